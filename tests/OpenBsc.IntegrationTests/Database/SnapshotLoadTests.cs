using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Demo;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Database;

/// <summary>Loading stored scorecards for evaluation: what a node loads at start, and cascades kept current.</summary>
public abstract class SnapshotLoadTests(DatabaseProvider provider)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : SnapshotLoadTests(DatabaseProvider.Sqlite);

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres() : SnapshotLoadTests(DatabaseProvider.Postgres);

    /// <summary>Snapshots with a cache of their own (nothing loaded yet).</summary>
    private static ScorecardSnapshots Fresh(RunningApp app, IDbContextFactory<OpenBscDbContext> contexts) =>
        new(contexts, new ScorecardSnapshotCache(app.Services.GetRequiredService<SystemDbContexts>()));

    [Fact]
    public async Task WarmUp_LoadsTheSmallestScorecardsFirst_WithinTheMeasureBudget_CascadeSourcesCounted()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var contexts = app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>();
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var summary in await Fresh(app, contexts).ListAsync())
        {
            var snapshot = (await Fresh(app, contexts).GetAsync(summary.Key))!;
            sizes[summary.Key] = snapshot.Cards.Values.Sum(c => c.AllMeasures().Count());
        }

        // The company scorecard takes contributions from customer support: its size counts both.
        Assert.True(sizes[DemoOrganisation.CompanyKey] > sizes["customer-support"], string.Join(", ", sizes));

        Assert.Empty(await Fresh(app, contexts).WarmUpAsync(0));
        Assert.Equal(["customer-support"], await Fresh(app, contexts).WarmUpAsync(sizes["customer-support"]));
        Assert.Equal(["customer-support"], await Fresh(app, contexts).WarmUpAsync(sizes[DemoOrganisation.CompanyKey]));
        Assert.Equal(["customer-support", DemoOrganisation.CompanyKey], await Fresh(app, contexts).WarmUpAsync(sizes[DemoOrganisation.CompanyKey] + sizes["customer-support"]));
        Assert.Equal(sizes.Keys.Order(StringComparer.Ordinal), (await Fresh(app, contexts).WarmUpAsync(int.MaxValue)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cascade_IsLoadedWithItsSources_AndAValueSavedInASourceIsInTheNextSnapshot()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var snapshots = Fresh(app, app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>());
        var company = (await snapshots.GetAsync(DemoOrganisation.CompanyKey))!;
        var support = (await snapshots.GetAsync("customer-support"))!;
        Assert.Equal([DemoOrganisation.CompanyKey, "customer-support"], company.Bundle.Select(b => b.Scorecard.Id));
        Assert.Equal(support.Bundle[0].Observations.Count, company.Bundle[1].Observations.Count);
        Assert.Same(company, await snapshots.GetAsync(DemoOrganisation.CompanyKey));

        var editor = await app.SignInAsync("editor@example.org", AccessRole.Editor);
        using var saved = await editor.PostAsJsonAsync("/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations", new { period = "2035-01", value = 123.5 });
        Assert.True(saved.StatusCode == HttpStatusCode.Created, await saved.Content.ReadAsStringAsync());

        var after = (await snapshots.GetAsync(DemoOrganisation.CompanyKey))!;
        Assert.NotSame(company, after);
        Assert.NotEqual(company.Stamp, after.Stamp);
        Assert.Contains(after.Bundle[1].Observations, o => o.Measure == "cost-per-ticket" && o.Period.ToString() == "2035-01" && o.Value == 123.5);
    }
}
