using System.Text.Json;

namespace OpenBsc.IntegrationTests.Cli;

/// <summary>The built command: output and exit codes (docs/cli.md).</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbsc-cli-").FullName;

    private static string Example => Path.Combine(OpenBscCli.Examples, "customer-support.yaml");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Minimal = """
        openbsc: 1
        scorecard:
          id: mini
          name: Mini
          perspectives:
            - id: customer
              name: Customer
              objectives:
                - id: loyal
                  name: Loyal customers
                  measures:
                    - { id: retention, name: Retention, unit: "%", baseline: 80, target: 90, aggregation: average }
                    - { id: complaints, name: Complaints, direction: decrease, baseline: 100, target: 50, aggregation: sum }
        observations:
          - { measure: retention, period: 2026-01, value: 85 }
          - { measure: retention, period: 2026-02, value: 88 }
          - { measure: complaints, period: 2026-01, value: 75 }
          - { measure: complaints, period: 2026-02, value: 60 }
        """;

    [Fact]
    public void Validate_Example_IsValid()
    {
        var result = OpenBscCli.Run("validate", Example);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("valid:", result.Out, StringComparison.Ordinal);
        Assert.Contains("support-2026", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CustomerCoverageGaps_AreWarningsNotErrors()
    {
        string file = Write("mini.yaml", Minimal);

        var result = OpenBscCli.Run("validate", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("customer perspective 'customer': concerns measured: none", result.Out, StringComparison.Ordinal);
        Assert.Contains("warning: customer perspective 'Customer' measures no time concern", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_Json_FollowsTheContractAndTheArithmetic()
    {
        string file = Write("mini.yaml", Minimal);

        var result = OpenBscCli.Run("score", file, "--at", "2026-02", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("mini", root.GetProperty("scorecard").GetProperty("id").GetString());
        var nodes = root.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        Assert.Equal(["mini", "customer", "loyal", "retention", "complaints"], nodes.Keys);

        var retention = nodes["retention"];
        Assert.Equal("measure", retention.GetProperty("kind").GetString());
        Assert.Equal(88, retention.GetProperty("value").GetDouble());
        Assert.Equal(0.8, retention.GetProperty("score").GetDouble(), 12);
        Assert.Equal("Yellow", retention.GetProperty("status").GetString());
        Assert.Equal("improving", retention.GetProperty("trend").GetString());

        var complaints = nodes["complaints"];
        Assert.Equal(0.8, complaints.GetProperty("score").GetDouble(), 12);

        var loyal = nodes["loyal"];
        Assert.Equal(0.8, loyal.GetProperty("score").GetDouble(), 12);
        Assert.Equal(2, loyal.GetProperty("childrenWithData").GetInt32());
        Assert.Equal(2, loyal.GetProperty("childrenTotal").GetInt32());
        Assert.Equal(JsonValueKind.Null, loyal.GetProperty("value").ValueKind);
        foreach (string field in new[] { "id", "kind", "name", "score", "status", "value", "target", "progress", "performance", "trend", "childrenWithData", "childrenTotal" })
        {
            Assert.True(loyal.TryGetProperty(field, out _), $"NODE lacks '{field}'");
        }
    }

    [Fact]
    public void Score_Quarter_AggregatesByMethod()
    {
        string file = Write("mini.yaml", Minimal);

        var result = OpenBscCli.Run("score", file, "--at", "2026-Q1", "--json");

        using var json = JsonDocument.Parse(result.Out);
        var nodes = json.RootElement.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        Assert.Equal(86.5, nodes["retention"].GetProperty("value").GetDouble(), 12);
        Assert.Equal(135, nodes["complaints"].GetProperty("value").GetDouble(), 12);
        Assert.Equal(150, nodes["complaints"].GetProperty("target").GetDouble(), 12);
    }

    [Fact]
    public void Score_Table_ShowsStatusInWordsAndALegend()
    {
        var result = OpenBscCli.Run("score", Example, "--at", "2026-Q3");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Customer Support Scorecard", result.Out, StringComparison.Ordinal);
        Assert.Contains("Net Promoter Score", result.Out, StringComparison.Ordinal);
        Assert.Matches("(Green|Yellow|Red)", result.Out);
        Assert.Contains("Status:", result.Out, StringComparison.Ordinal);
        Assert.Contains("of", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("Q3")]
    public void Score_BadPeriod_ExitsOneNamingTheAcceptedForms(string period)
    {
        var result = OpenBscCli.Run("score", Example, "--at", period, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.Contains(period, result.Error, StringComparison.Ordinal);
        Assert.Contains("2026-Q1", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_MissingFile_ExitsTwo()
    {
        var result = OpenBscCli.Run("score", Path.Combine(_dir, "nope.yaml"), "--at", "2026-01");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope.yaml", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void Validate_InvalidFile_ExitsOneWithFileLineAndPath()
    {
        string file = Write("bad.yaml", Minimal.Replace("target: 90", "targt: 90", StringComparison.Ordinal));

        var result = OpenBscCli.Run("validate", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.Contains("bad.yaml:12:", result.Error, StringComparison.Ordinal);
        Assert.Contains("scorecard.perspectives[0].objectives[0].measures[0]", result.Error, StringComparison.Ordinal);
        Assert.Contains("targt", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SemanticErrors_AreLocatedToo()
    {
        string file = Write("bad.yaml", Minimal.Replace("baseline: 80, target: 90", "baseline: 90, target: 90", StringComparison.Ordinal)
            .Replace("measure: complaints, period: 2026-01", "measure: complaint, period: 2026-01", StringComparison.Ordinal));

        var result = OpenBscCli.Run("validate", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.yaml:12:", result.Error, StringComparison.Ordinal);
        Assert.Contains("equals the baseline", result.Error, StringComparison.Ordinal);
        Assert.Contains("observations[2].measure", result.Error, StringComparison.Ordinal);
        Assert.Contains("did you mean 'complaints'", result.Error, StringComparison.Ordinal);
        Assert.Contains("2 errors", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_InvalidFile_PrintsNothingToStandardOutput()
    {
        string file = Write("bad.yaml", Minimal.Replace("baseline: 80", "baseline: eighty", StringComparison.Ordinal));

        var result = OpenBscCli.Run("score", file, "--at", "2026-01", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void Export_ToJsonAndBack_KeepsTheScores()
    {
        string json = Path.Combine(_dir, "card.json");
        string yaml = Path.Combine(_dir, "card.yaml");

        Assert.Equal(0, OpenBscCli.Run("export", Example, "--to", "json", "-o", json).ExitCode);
        Assert.Equal(0, OpenBscCli.Run("convert", json, "--to", "yaml", "-o", yaml).ExitCode);

        string original = OpenBscCli.Run("score", Example, "--at", "2026-Q3", "--json").Out;
        string viaJson = OpenBscCli.Run("score", json, "--at", "2026-Q3", "--json").Out;
        string viaYaml = OpenBscCli.Run("score", yaml, "--at", "2026-Q3", "--json").Out;
        Assert.False(string.IsNullOrWhiteSpace(original));
        Assert.Equal(original, viaJson);
        Assert.Equal(original, viaYaml);
    }

    [Fact]
    public void Score_CascadeFromAFileBesideIt()
    {
        Write("emea.yaml", """
            openbsc: 1
            scorecard:
              id: emea-support
              name: EMEA support
              perspectives:
                - id: customer
                  name: Customer
                  objectives:
                    - id: loyal-customers
                      name: Loyal
                      measures:
                        - { id: nps-emea, name: NPS EMEA, baseline: 0, target: 50 }
            observations:
              - { measure: nps-emea, period: 2026-01, value: 25 }
            """);
        string company = Write("company.yaml", Minimal.Replace(
            "observations:", "  cascade:\n    - { objective: loyal, from: \"emea-support#loyal-customers\", weight: 2 }\nobservations:", StringComparison.Ordinal));

        var result = OpenBscCli.Run("score", company, "--at", "2026-01", "--json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var nodes = doc.RootElement.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        Assert.Equal(0.5, nodes["emea-support#loyal-customers"].GetProperty("score").GetDouble(), 12);
        // retention (85 of 80→90) 0.5, complaints (75 of 100→50) 0.5, EMEA 0.5 with weight 2.
        Assert.Equal(0.5, nodes["loyal"].GetProperty("score").GetDouble(), 12);
        Assert.Equal(3, nodes["loyal"].GetProperty("childrenTotal").GetInt32());
    }

    [Fact]
    public void Help_EveryVerbExplainsItself()
    {
        foreach (string verb in new[] { "validate", "score", "export", "convert" })
        {
            var result = OpenBscCli.Run(verb, "--help");

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("FILE", result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UnknownOption_ExitsOne()
    {
        var result = OpenBscCli.Run("score", Example, "--at", "2026-01", "--jsno");

        Assert.Equal(1, result.ExitCode);
    }
}
