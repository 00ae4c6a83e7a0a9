using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OpenBsc.IntegrationTests.Cli;

/// <summary><c>openbsc analyze</c>: the built command's text and JSON output and its exit codes (docs/analytics.md).</summary>
public sealed class AnalyzeCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbsc-analyze-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// 18 months (2025-01..2026-06): "results" repeats "drivers" one month later (a supported link with best lag 1),
    /// "costs" moves against "drivers" (an undeclared tension), and "backlog" grows while it should fall
    /// (a forecast predicted to miss).
    /// </summary>
    private string Card()
    {
        var text = new StringBuilder("""
            openbsc: 1
            scorecard:
              id: lab
              name: Analytics lab
              perspectives:
                - id: customer
                  name: Customer
                  objectives:
                    - id: results
                      name: Loyal customers
                      measures:
                        - { id: loyalty, name: Loyalty, unit: "%", baseline: 0, target: 100, aggregation: average }
                - id: internal
                  name: Internal
                  objectives:
                    - id: drivers
                      name: Fast service
                      measures:
                        - { id: speed, name: Speed, baseline: 0, target: 100, aggregation: average }
                    - id: costs
                      name: Low costs
                      measures:
                        - { id: savings, name: Savings, baseline: 0, target: 100, aggregation: average }
                        - { id: backlog, name: Backlog, direction: decrease, baseline: 100, target: 20, aggregation: last }
              links:
                - { from: drivers, to: results, note: "fast service keeps customers" }
            observations:

            """);
        var month = new DateOnly(2025, 1, 1);
        for (int i = 0; i < 18; i++, month = month.AddMonths(1))
        {
            string period = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            double speed = Speed(i);
            Observation(period, "speed", speed);
            Observation(period, "savings", 100 - speed);
            Observation(period, "backlog", 40 + 2 * i);
            if (i > 0)
            {
                Observation(period, "loyalty", Speed(i - 1));
            }
        }

        string path = Path.Combine(_dir, "lab.yaml");
        File.WriteAllText(path, text.ToString());
        return path;

        static double Speed(int i) => Math.Round(50 + 30 * Math.Sin(i * 1.3), 1);

        void Observation(string period, string measure, double value) =>
            text.Append(CultureInfo.InvariantCulture, $"  - {{ measure: {measure}, period: {period}, value: {value} }}\n");
    }

    [Fact]
    public void Analyze_Json_OneObjectWithEverySection()
    {
        var result = OpenBscCli.Run("analyze", Card(), "--at", "2026-06", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("lab", root.GetProperty("scorecard").GetString());
        Assert.Equal("2026-06", root.GetProperty("period").GetString());
        Assert.Equal("2024-07", root.GetProperty("windowStart").GetString());

        var link = Assert.Single(root.GetProperty("links").EnumerateArray());
        Assert.Equal("drivers", link.GetProperty("from").GetString());
        Assert.Equal("Supported", link.GetProperty("verdict").GetString());
        Assert.Equal(1, link.GetProperty("bestLag").GetInt32());
        Assert.Equal(1, link.GetProperty("r").GetDouble(), 6);
        Assert.Equal(17, link.GetProperty("pairs").GetInt32());
        Assert.Equal(4, link.GetProperty("lags").GetArrayLength());

        var tensions = root.GetProperty("tensions").EnumerateArray().ToList();
        Assert.Contains(tensions, t => t.GetProperty("first").GetString() == "drivers" && t.GetProperty("second").GetString() == "costs");

        var forecasts = root.GetProperty("forecasts").EnumerateArray().ToDictionary(f => f.GetProperty("id").GetString()!);
        Assert.Equal(["loyalty", "speed", "savings", "backlog"], forecasts.Keys);
        var backlog = forecasts["backlog"];
        Assert.Equal("2026-12", backlog.GetProperty("targetPeriod").GetString());
        Assert.Equal("Decrease", backlog.GetProperty("direction").GetString());
        var forecast = backlog.GetProperty("forecast");
        // Backlog = 40 + 2i, i = 10..17 over the last 8 months; 2026-12 is i = 23: 86, far above the target 20.
        Assert.Equal(2, forecast.GetProperty("slope").GetDouble(), 9);
        Assert.Equal(86, forecast.GetProperty("projected").GetDouble(), 9);
        Assert.False(forecast.GetProperty("onTrack").GetBoolean());
        Assert.Equal(JsonValueKind.Null, forecast.GetProperty("reason").ValueKind);

        // Four scored measures: the top 5 and bottom 5 are all four, in opposite orders.
        var best = root.GetProperty("best").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        var worst = root.GetProperty("worst").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Equal(4, best.Count);
        Assert.Equal(best.AsEnumerable().Reverse(), worst);
        double weights = root.GetProperty("weights").EnumerateArray().Sum(w => w.GetProperty("weight").GetDouble());
        Assert.Equal(1, weights, 12);
    }

    [Fact]
    public void Analyze_Text_ShowsEverySectionWithVerdictsInWords()
    {
        var result = OpenBscCli.Run("analyze", Card(), "--at", "2026-06");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Error);
        foreach (string expected in new[]
        {
            "Analytics lab", "Forecasts predicted to miss", "Backlog", "predicted to miss", "Cause-effect links",
            "Fast service → Loyal customers", "✔ supported", "Detected tensions", "Low costs", "Best performers",
            "Worst performers", "Absolute weights", "shares sum to 100%",
        })
        {
            Assert.Contains(expected, result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Analyze_Example_RunsAtAQuarter()
    {
        var result = OpenBscCli.Run("analyze", Path.Combine(OpenBscCli.Examples, "customer-support.yaml"), "--at", "2026-Q3", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(7, json.RootElement.GetProperty("links").GetArrayLength());
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("Q3")]
    public void Analyze_BadPeriod_ExitsOneNamingTheAcceptedForms(string period)
    {
        var result = OpenBscCli.Run("analyze", Card(), "--at", period, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Out);
        Assert.Contains(period, result.Error, StringComparison.Ordinal);
        Assert.Contains("2026-Q1", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_BadForecastPeriod_ExitsOne()
    {
        var result = OpenBscCli.Run("analyze", Card(), "--at", "2026-06", "--forecast-to", "next year");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--forecast-to", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WithoutAt_ExitsOne()
    {
        var result = OpenBscCli.Run("analyze", Card());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--at", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_MissingFile_ExitsTwo()
    {
        var result = OpenBscCli.Run("analyze", Path.Combine(_dir, "nope.yaml"), "--at", "2026-01");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void Analyze_Help_ExplainsTheVerb()
    {
        var result = OpenBscCli.Run("analyze", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("FILE", result.Out, StringComparison.Ordinal);
        Assert.Contains("--forecast-to", result.Out, StringComparison.Ordinal);
    }
}
