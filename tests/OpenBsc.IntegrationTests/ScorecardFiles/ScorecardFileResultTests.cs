using OpenBsc.Application.Features.ScorecardFiles;

namespace OpenBsc.IntegrationTests.ScorecardFiles;

public sealed class ScorecardFileResultTests
{
    private const string Card = """
        openbsc: 1
        scorecard:
          id: s
          name: S
          perspectives:
            - id: p
              name: P
              objectives:
                - { id: o, name: O, measures: [{ id: m, name: M, target: 5 }] }
        observations:
          - { measure: m, period: 2026-01, value: 1 }
          - { measure: x, period: 2026-01, value: 1 }

        """;

    [Theory]
    [InlineData("scorecard.perspectives[0].objectives[0].measures[0].target", 9, 66)]
    [InlineData("scorecard.perspectives[0].objectives[0].measures[0]", 9, 40)]
    [InlineData("scorecard.perspectives[0]", 6, 7)]
    [InlineData("observations[1].measure", 12, 16)]
    [InlineData("scorecard.perspectives[0].objectives[0].measures[0].baseline", 9, 40)]
    [InlineData("scorecard.perspectives[0].weight", 6, 7)]
    [InlineData("", 1, 1)]
    public void LineOf_Path_GivesItsOrItsNearestAncestorsPosition(string path, int line, int column)
    {
        var result = ScorecardFileReader.Parse(Card, ScorecardFileFormat.Yaml, "card.yaml");

        Assert.Equal((line, column), result.LineOf(path));
    }

    [Fact]
    public void WithDefinitionErrors_Errors_GetLinesAndMergeInFileOrder()
    {
        var result = ScorecardFileReader.Parse(Card, ScorecardFileFormat.Yaml, "card.yaml");

        var validated = result.WithDefinitionErrors(
        [
            ("observations[1].measure", "no measure 'x' in this scorecard"),
            ("scorecard.perspectives[0].objectives[0].measures[0].baseline", "a measure with a target needs a baseline"),
        ]);

        Assert.True(result.IsValid);
        Assert.False(validated.IsValid);
        Assert.Same(result.Data, validated.Data);
        Assert.Equal(
        [
            "card.yaml:9:40: scorecard.perspectives[0].objectives[0].measures[0].baseline: a measure with a target needs a baseline",
            "card.yaml:12:16: observations[1].measure: no measure 'x' in this scorecard",
        ],
            validated.Errors.Select(FileError.Format));
    }

    [Theory]
    [InlineData(12, 7, "scorecard.name", "card.yaml:12:7: scorecard.name: missing")]
    [InlineData(3, null, "", "card.yaml:3: missing")]
    [InlineData(null, null, "observations[0]", "card.yaml: observations[0]: missing")]
    public void Format_Error_GivesFileLineColumnPathAndMessage(int? line, int? column, string path, string expected)
    {
        var error = new FileError("card.yaml", line, column, path, "missing");

        Assert.Equal(expected, FileError.Format(error));
        Assert.Equal(expected, error.ToString());
    }
}
