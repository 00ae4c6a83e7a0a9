using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Scorecards;
using OpenBsc.IntegrationTests.Cli;

namespace OpenBsc.IntegrationTests.ScorecardFiles;

/// <summary>The optional keys for initiative milestones and the risk register: read, validated with lines, written back.</summary>
public sealed class InitiativesAndRisksFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbsc-risks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Card = """
        openbsc: 1
        scorecard:
          id: s
          name: S
          perspectives:
            - id: customer
              name: Customer
              objectives:
                - id: loyal-customers
                  name: Keep customers loyal
          initiatives:
            - id: portal
              name: Dealer portal
              objectives: [loyal-customers]
              start: 2026-01-01
              end: 2026-09-30
              budget: 120000
              actualCost: 70000
              complete: 0.4
              milestones:
                - { name: Pilot live, due: 2026-03-31, done: 2026-04-02 }
                - { name: All dealers, due: 2026-06-30, done: false }
                - { name: Old portal off, due: 2026-09-30, done: true }
          risks:
            - id: dealer-churn
              name: Churn of dealer partners after the price change
              description: Dealers leave for a competitor when margins shrink.
              objectives: [loyal-customers]
              owner: cco@example.org
              likelihood: 4
              impact: 5
              target: { likelihood: 2, impact: 3 }
              residual: { likelihood: 3, impact: 4 }
              mitigations: [portal]
              review: 2026-06-30

        """;

    private static readonly ScorecardData Expected = new(new Scorecard
    {
        Id = "s",
        Name = "S",
        Perspectives = [new Perspective { Id = "customer", Name = "Customer", Objectives = [new Objective { Id = "loyal-customers", Name = "Keep customers loyal" }] }],
        Initiatives =
        [
            new Initiative
            {
                Id = "portal",
                Name = "Dealer portal",
                Objectives = ["loyal-customers"],
                Start = new DateOnly(2026, 1, 1),
                End = new DateOnly(2026, 9, 30),
                Budget = 120000,
                ActualCost = 70000,
                Complete = 0.4,
                Milestones =
                [
                    new InitiativeMilestone("Pilot live", new DateOnly(2026, 3, 31), true, new DateOnly(2026, 4, 2)),
                    new InitiativeMilestone("All dealers", new DateOnly(2026, 6, 30)),
                    new InitiativeMilestone("Old portal off", new DateOnly(2026, 9, 30), true),
                ],
            },
        ],
        Risks =
        [
            new Risk
            {
                Id = "dealer-churn",
                Name = "Churn of dealer partners after the price change",
                Description = "Dealers leave for a competitor when margins shrink.",
                Objectives = ["loyal-customers"],
                Owner = "cco@example.org",
                Inherent = new RiskRating(4, 5),
                Target = new RiskRating(2, 3),
                Residual = new RiskRating(3, 4),
                Mitigations = ["portal"],
                Review = new DateOnly(2026, 6, 30),
            },
        ],
    }, []);

    [Fact]
    public void Parse_MilestonesAndRisks_ReadsEveryKey()
    {
        var result = ScorecardFileReader.Parse(Card, ScorecardFileFormat.Yaml, "card.yaml").Validated();

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(Expected, result.Data);
    }

    [Theory]
    [InlineData(ScorecardFileFormat.Yaml)]
    [InlineData(ScorecardFileFormat.Json)]
    public void Write_MilestonesAndRisks_ReadsBackEqual(ScorecardFileFormat format)
    {
        string text = ScorecardFileWriter.Write(Expected, format);
        var result = ScorecardFileReader.Parse(text, format, "written").Validated();

        Assert.True(result.IsValid, string.Join("\n", result.Errors) + "\n" + text);
        Assert.Equal(Expected, result.Data);
    }

    [Fact]
    public void ToYaml_Risk_WritesTheDocumentedForm()
    {
        string yaml = ScorecardFileWriter.ToYaml(Expected);

        Assert.Contains("""
                  milestones:
                    - { name: Pilot live, due: 2026-03-31, done: 2026-04-02 }
                    - { name: All dealers, due: 2026-06-30 }
                    - { name: Old portal off, due: 2026-09-30, done: true }
              risks:
                - id: dealer-churn
            """.ReplaceLineEndings("\n"), yaml, StringComparison.Ordinal);
        Assert.Contains("      likelihood: 4\n      impact: 5\n      target: { likelihood: 2, impact: 3 }\n      residual: { likelihood: 3, impact: 4 }\n      mitigations: [portal]\n      review: 2026-06-30\n", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("likelihood: 4", "likelihood: 6", 30, "scorecard.risks[0].likelihood", "expected a likelihood from 1 (rare) to 5 (almost certain), found 6")]
    [InlineData("likelihood: 4", "likelihood: 2.5", 30, "scorecard.risks[0].likelihood", "expected a whole-number likelihood from 1 to 5, found '2.5'")]
    [InlineData("residual: { likelihood: 3, impact: 4 }", "residual: { likelihood: 3, impact: 0 }", 33, "scorecard.risks[0].residual.impact", "expected an impact from 1 (minor) to 5 (severe), found 0")]
    [InlineData("mitigations: [portal]", "mitigations: [portl]", 34, "scorecard.risks[0].mitigations", "'portl' is not an initiative of this scorecard (did you mean 'portal'?); a mitigation names an initiative's id")]
    [InlineData("      objectives: [loyal-customers]\n      owner", "      objectives: [loyal-customer]\n      owner", 28, "scorecard.risks[0].objectives", "'loyal-customer' is not an objective of this scorecard (did you mean 'loyal-customers'?)")]
    [InlineData("due: 2026-06-30, done: false", "due: 2026-10-31, done: false", 22, "scorecard.initiatives[0].milestones[1].due", "the milestone is due 2026-10-31, after the initiative ends (2026-09-30); expected a date from start to end")]
    [InlineData("done: false", "done: maybe", 22, "scorecard.initiatives[0].milestones[1].done", "expected true, false or the date it was done (yyyy-MM-dd, such as 2026-03-28), found 'maybe'")]
    [InlineData("review: 2026-06-30", "reviw: 2026-06-30", 35, "scorecard.risks[0].reviw", "unknown field 'reviw' (did you mean 'review'?)")]
    [InlineData("      likelihood: 4\n", "", 25, "scorecard.risks[0].likelihood", "missing required field 'likelihood'")]
    public void Parse_WrongRiskOrMilestone_NamesTheFieldAndLine(string from, string to, int line, string path, string message)
    {
        Assert.Contains(from, Card, StringComparison.Ordinal);
        var result = ScorecardFileReader.Parse(Card.Replace(from, to, StringComparison.Ordinal), ScorecardFileFormat.Yaml, "card.yaml").Validated();

        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void Score_ExampleWithRisksAndMilestonesAdded_ScoresExactlyAsWithout()
    {
        string example = Path.Combine(OpenBscCli.Examples, "customer-support.yaml");
        string text = File.ReadAllText(example);
        Assert.DoesNotContain("risks:", text, StringComparison.Ordinal);
        string withRisks = Path.Combine(_dir, "with-risks.yaml");
        File.WriteAllText(withRisks, text.Replace("\nobservations:\n", """

              risks:
                - { id: support-backlog, name: Support backlog during the portal launch, objectives: [fast-answers], likelihood: 3, impact: 4, mitigations: [self-service] }

            observations:

            """.ReplaceLineEndings("\n"), StringComparison.Ordinal));

        var original = OpenBscCli.Run("score", example, "--at", "2026-Q3", "--json");
        var added = OpenBscCli.Run("score", withRisks, "--at", "2026-Q3", "--json");

        Assert.Equal(0, added.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(original.Out));
        Assert.Equal(original.Out, added.Out);
    }
}
