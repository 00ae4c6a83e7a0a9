using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Web;

/// <summary>
/// The organisation page of a large organisation (issue 19): once the scorecards are loaded, it costs the same number
/// of database queries for 12 scorecards as for 2 (it read every scorecard's version rows again for each one).
/// </summary>
public abstract class OrganisationPageQueryTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : OrganisationPageQueryTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : OrganisationPageQueryTests(DatabaseProvider.Postgres);

    [Fact]
    public async Task OrganisationPage_MakesAFixedNumberOfQueries_HoweverManyScorecards()
    {
        // Listening before the app starts: EF Core checks for listeners now and then, not at every command.
        using var counter = new QueryCounter();
        // Rendered on every request (no page cache) and no background alert passes querying meanwhile.
        await using var app = await RunningApp.StartAsync(provider, demo: false, 10_000, "--OpenBsc:PageCache=false", "--OpenBsc:Alerts:Background=false");
        await StoreAsync(app, 0, 2);
        int few = await QueriesOfSecondVisitAsync(app, counter, expectedCards: 2);
        await StoreAsync(app, 2, 12);
        int many = await QueriesOfSecondVisitAsync(app, counter, expectedCards: 12);

        Assert.Equal(few, many);
        // The session check, the visible scorecards and the version rows: nothing per scorecard.
        Assert.InRange(many, 1, 4);
    }

    private static async Task StoreAsync(RunningApp app, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            var card = new ScorecardBuilder().With(c => c with { Id = $"unit-{i:00}", Name = $"Unit {i:00}" })
                .WithPerspective("p", ScorecardBuilder.Objective("serve", ScorecardBuilder.Measure("calls", 0, 100)))
                .WithMonthly("calls", "2026-01", 40, 50, 60)
                .Build();
            await app.Services.GetRequiredService<ScorecardImport>().ImportAsync([card], new Dictionary<string, string>(), "Test org", "loader", "load");
        }
    }

    /// <summary>The first visit loads what changed; the second, counted, is what every later visit costs.</summary>
    private static async Task<int> QueriesOfSecondVisitAsync(RunningApp app, QueryCounter counter, int expectedCards)
    {
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/")).StatusCode);
        string database = app.DatabaseConnection is { } postgres ? new Npgsql.NpgsqlConnectionStringBuilder(postgres).Database! : Path.TrimEndingDirectorySeparator(Path.GetFullPath(app.DataDirectory));
        int before = counter.On(database);
        string html = await app.Client.GetStringAsync("/");
        int after = counter.On(database);
        Assert.Equal(expectedCards, System.Text.RegularExpressions.Regex.Count(html, "class=\"unit-name\""));
        return after - before;
    }
}
