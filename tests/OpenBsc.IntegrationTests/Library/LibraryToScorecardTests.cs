using OpenBsc.Application.Data;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.Library;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Library;

/// <summary>Adding a library measure to a stored scorecard's objective, on a real SQLite file.</summary>
public abstract class LibraryToScorecardTests(DatabaseProvider provider)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : LibraryToScorecardTests(DatabaseProvider.Sqlite);

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres() : LibraryToScorecardTests(DatabaseProvider.Postgres);

    [Fact]
    public async Task Add_CalculatedMeasure_AddsItWithItsInputsAndTheScorecardStillScores()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var library = app.Services.GetRequiredService<LibraryToScorecard>();
        var entry = MeasureLibrary.Find("net-promoter-score")!;
        Assert.True(entry.IsCalculated);

        var result = await library.AddAsync(entry.Id, "northwind-2026", "win-customers");

        Assert.Equal(entry.Id, result.MeasureId);
        var snapshot = await app.Services.GetRequiredService<ScorecardSnapshots>().GetAsync("northwind-2026");
        var objective = snapshot!.Scorecard.AllObjectives().Single(o => o.Id == "win-customers");
        Assert.Contains(objective.Measures, m => m.Id == entry.Id && m.Formula == entry.Formula);
        Assert.All(entry.Inputs, i => Assert.Contains(snapshot.Scorecard.AllMeasures(), m => m.Id == i.Id));
        using var page = await app.Client.GetAsync(new Uri($"/scorecards/northwind-2026/measures/{entry.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Add_SameMeasureTwice_GetsADistinctId()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var library = app.Services.GetRequiredService<LibraryToScorecard>();
        var entry = MeasureLibrary.All.First(m => !m.IsCalculated);

        var first = await library.AddAsync(entry.Id, "customer-support", "fast-answers");
        var second = await library.AddAsync(entry.Id, "customer-support", "good-answers");

        Assert.Equal(entry.Id, first.MeasureId);
        Assert.Equal(entry.Id + "-2", second.MeasureId);
    }

    [Theory]
    [InlineData("no-such-measure", "customer-support", "fast-answers", "no library measure")]
    [InlineData(null, "no-such-card", "fast-answers", "no scorecard 'no-such-card'")]
    [InlineData(null, "customer-support", "nope", "no objective 'nope'")]
    public async Task Add_BadTarget_SaysWhatIsWrongAndChangesNothing(string? libraryId, string scorecard, string objective, string message)
    {
        await using var app = await RunningApp.StartAsync(provider);
        var snapshots = app.Services.GetRequiredService<ScorecardSnapshots>();
        string before = (await snapshots.GetAsync("customer-support"))!.Stamp;

        var result = await app.Services.GetRequiredService<LibraryToScorecard>().AddAsync(libraryId ?? MeasureLibrary.All[0].Id, scorecard, objective);

        Assert.Null(result.MeasureId);
        Assert.Contains(message, result.Problem, StringComparison.Ordinal);
        Assert.Equal(before, (await snapshots.GetAsync("customer-support"))!.Stamp);
    }

    [Fact]
    public async Task LibraryPage_FiltersByConcern()
    {
        await using var app = await RunningApp.StartAsync(provider);

        string html = await app.Client.GetStringAsync(new Uri("/library?concern=time", UriKind.Relative));

        int expected = MeasureLibrary.Filter(concern: OpenBsc.Domain.Scorecards.CustomerConcern.Time).Count;
        Assert.Contains($"{expected} measures", html, StringComparison.Ordinal);
        Assert.Contains("name=\"__RequestVerificationToken\"", html, StringComparison.Ordinal);
    }
}
