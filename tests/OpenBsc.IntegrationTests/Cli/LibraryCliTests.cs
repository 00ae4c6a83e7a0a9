using System.Text.Json;

namespace OpenBsc.IntegrationTests.Cli;

/// <summary><c>openbsc library list|show</c>.</summary>
public sealed class LibraryCliTests
{
    [Fact]
    public void List_PrintsTheEntries()
    {
        var result = OpenBscCli.Run("library", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("market-share", result.Out, StringComparison.Ordinal);
        Assert.Contains("customer-retention-rate", result.Out, StringComparison.Ordinal);
        Assert.Contains("library measures", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void List_ConcernTimeJson_HoldsOnlyTimeEntriesWithEveryField()
    {
        var result = OpenBscCli.Run("library", "list", "--concern", "time", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.True(items.Count >= 6);
        Assert.All(items, item =>
        {
            Assert.Equal("time", item.GetProperty("concern").GetString());
            foreach (string field in new[] { "id", "name", "definition", "unit", "direction", "frequency", "aggregation", "scoring", "leading", "inputs" })
            {
                Assert.True(item.TryGetProperty(field, out _), field);
            }
        });
        Assert.Contains(items, i => i.GetProperty("id").GetString() == "on-time-delivery");
    }

    [Fact]
    public void List_SearchAndOutcome_Filter()
    {
        var result = OpenBscCli.Run("library", "list", "--outcome", "retention", "--search", "churn", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("churn-rate", Assert.Single(json.RootElement.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public void Show_PrintsFieldsFormulaInputsAndSnippet()
    {
        var result = OpenBscCli.Run("library", "show", "net-promoter-score");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Net Promoter Score", result.Out, StringComparison.Ordinal);
        Assert.Contains("[promoters-pct] - [detractors-pct]", result.Out, StringComparison.Ordinal);
        Assert.Contains("outcome:          satisfaction", result.Out, StringComparison.Ordinal);
        Assert.Contains("- id: net-promoter-score", result.Out, StringComparison.Ordinal);
        Assert.Contains("- id: promoters-pct", result.Out, StringComparison.Ordinal);
        Assert.Contains("scoring: { type: none }", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_Json_HasTheInputs()
    {
        var result = OpenBscCli.Run("library", "show", "on-time-delivery", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("thresholds", json.RootElement.GetProperty("scoring").GetProperty("type").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("inputs").GetArrayLength());
    }

    [Fact]
    public void Show_UnknownId_Exits1WithSuggestions()
    {
        var result = OpenBscCli.Run("library", "show", "retention-rate");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no library measure 'retention-rate'; did you mean:", result.Error, StringComparison.Ordinal);
        Assert.Contains("customer-retention-rate", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void List_BadConcern_Exits1ListingTheAllowedValues()
    {
        var result = OpenBscCli.Run("library", "list", "--concern", "speed");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("time, quality, performance-service, cost", result.Error, StringComparison.Ordinal);
    }
}
