using System.Text.Json;

namespace OpenBsc.IntegrationTests.Cli;

/// <summary>A measure tracked per segment through the scorecard file and the built command (docs/scoring.md §8).</summary>
public sealed class SegmentsCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbsc-segments-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        string path = Path.Combine(_dir, "card.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private const string Card = """
        openbsc: 1
        scorecard:
          id: seg
          name: Segments
          segments:
            - { id: retail, name: Retail customers, kind: customer }
            - { id: dealers, name: Dealers, kind: partner }
          perspectives:
            - id: customer
              name: Customer
              objectives:
                - id: satisfied
                  name: Satisfied customers and dealers
                  measures:
                    - id: csat
                      name: CSAT
                      unit: "%"
                      aggregation: average
                      baseline: 70
                      target: 90
                      segments:
                        - { segment: retail }
                        - { segment: dealers, baseline: 60, target: 80, weight: 3 }
        observations:
          - { measure: csat, segment: retail, period: 2026-01, value: 80 }
          - { measure: csat, segment: dealers, period: 2026-01, value: 75 }
          - { measure: csat, segment: retail, period: 2026-02, value: 88 }
          - { measure: csat, segment: dealers, period: 2026-02, value: 76 }
        """;

    [Fact]
    public void Score_Json_ListsEachSeriesAndRollsTheirScoresUp()
    {
        var result = OpenBscCli.Run("score", Write(Card), "--at", "2026-02", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var nodes = json.RootElement.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        Assert.Equal(["seg", "customer", "satisfied", "csat", "csat@retail", "csat@dealers"], nodes.Keys);
        var retail = nodes["csat@retail"];
        Assert.Equal("series", retail.GetProperty("kind").GetString());
        Assert.Equal("csat", retail.GetProperty("parent").GetString());
        Assert.Equal(0.9, retail.GetProperty("score").GetDouble(), 12); // (88 − 70) / (90 − 70)
        Assert.Equal(0.8, nodes["csat@dealers"].GetProperty("score").GetDouble(), 12); // (76 − 60) / (80 − 60)
        var csat = nodes["csat"];
        Assert.Equal((0.9 + 3 * 0.8) / 4, csat.GetProperty("score").GetDouble(), 12);
        Assert.Equal(82, csat.GetProperty("value").GetDouble(), 12); // (88 + 76) / 2
        Assert.Equal(85, csat.GetProperty("target").GetDouble(), 12); // (90 + 80) / 2
        Assert.Equal(2, csat.GetProperty("childrenTotal").GetInt32());
        Assert.Equal("improving", csat.GetProperty("trend").GetString());
        Assert.Equal(csat.GetProperty("score").GetDouble(), nodes["satisfied"].GetProperty("score").GetDouble(), 12);
    }

    [Fact]
    public void Export_RoundTripsSegmentsAndObservationSegments()
    {
        string file = Write(Card);
        string exported = Path.Combine(_dir, "out.json");

        var export = OpenBscCli.Run("export", file, "-o", exported);
        var again = OpenBscCli.Run("score", exported, "--at", "2026-02", "--json");
        var original = OpenBscCli.Run("score", file, "--at", "2026-02", "--json");

        Assert.Equal(0, export.ExitCode);
        Assert.Contains("\"segments\"", File.ReadAllText(exported), StringComparison.Ordinal);
        Assert.Equal(original.Out, again.Out);
    }

    [Fact]
    public void Validate_ObservationWithoutSegment_NamesTheLineAndTheSegmentsExpected()
    {
        string file = Write(Card + "\n  - { measure: csat, period: 2026-03, value: 80 }\n");

        var result = OpenBscCli.Run("validate", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("observations[4].segment", result.Error, StringComparison.Ordinal);
        Assert.Contains("expected a segment, one of retail, dealers", result.Error, StringComparison.Ordinal);
        Assert.Contains("card.yaml:29:", result.Error, StringComparison.Ordinal);
    }
}
