using OpenBsc.Application.Data;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Web;

/// <summary>A stored correction: the next request shows the new value, and the history keeps the old one.</summary>
public abstract class CorrectionTests(DatabaseProvider provider)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : CorrectionTests(DatabaseProvider.Sqlite);

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres() : CorrectionTests(DatabaseProvider.Postgres);

    [Fact]
    public async Task Import_CorrectedValue_SupersedesAndStaysInHistory()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        var import = app.Services.GetRequiredService<ScorecardImport>();
        var card = new ScorecardBuilder().With(c => c with { Id = "mini", Name = "Mini" })
            .WithMeasures(ScorecardBuilder.Measure("csat", 0, 100) with { Unit = "%" });
        var first = card.WithObservation("csat", "2026-01", 70).Build();
        await import.ImportAsync([first], new Dictionary<string, string>(), "Test org", "ana", "first load");

        string before = await app.Client.GetStringAsync(new Uri("/scorecards/mini?period=2026-01", UriKind.Relative));
        Assert.Contains("70%", before, StringComparison.Ordinal);

        var corrected = first with { Observations = [new Observation("csat", Period.Parse("2026-01"), 75, "recounted")] };
        var summary = await import.ImportAsync([corrected], new Dictionary<string, string>(), null, "ben", "survey recount");

        Assert.Equal(1, Assert.Single(summary).Corrected);
        string after = await app.Client.GetStringAsync(new Uri("/scorecards/mini?period=2026-01", UriKind.Relative));
        Assert.Contains("75%", after, StringComparison.Ordinal);
        using var page = await app.Client.GetAsync(new Uri("/scorecards/mini/measures/csat?period=2026-01", UriKind.Relative));
        string history = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("was 70%", history, StringComparison.Ordinal);
        Assert.Contains("by ben: survey recount", history, StringComparison.Ordinal);
        Assert.Contains("recounted", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_SameValuesAgain_ChangesNothing()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        var import = app.Services.GetRequiredService<ScorecardImport>();
        var data = new ScorecardBuilder().With(c => c with { Id = "mini", Name = "Mini" })
            .WithMeasures(ScorecardBuilder.Measure("csat")).WithMonthly("csat", "2026-01", 1, 2, 3).Build();

        await import.ImportAsync([data], new Dictionary<string, string>(), null, "ana", "load");
        var again = await import.ImportAsync([data], new Dictionary<string, string>(), null, "ana", "load");

        var summary = Assert.Single(again);
        Assert.Equal((0, 0, 3), (summary.Added, summary.Corrected, summary.Unchanged));
    }
}
