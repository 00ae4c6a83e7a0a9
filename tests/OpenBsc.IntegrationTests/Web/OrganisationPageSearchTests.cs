using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Web;

/// <summary>
/// The organisation page (<c>/</c>) of a large organisation over real HTTP: 50 scorecards a page with Previous and
/// Next, a search by name or key; a small organisation's page looks as before (no search box, no pages).
/// </summary>
public abstract partial class OrganisationPageSearchTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : OrganisationPageSearchTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : OrganisationPageSearchTests(DatabaseProvider.Postgres);

    [Fact]
    public async Task OrganisationPage_PagesFiftyAtATime_AndSearchesByNameOrKey_OnlyWhenNeeded()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false, 10_000, "--OpenBsc:Alerts:Background=false");
        await StoreAsync(app, 0, 5);

        string small = await PageAsync(app, "/");
        Assert.Equal(5, Names(small).Count);
        Assert.DoesNotContain("role=\"search\"", small, StringComparison.Ordinal);
        Assert.DoesNotContain("Showing", small, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", small, StringComparison.Ordinal);

        await StoreAsync(app, 5, 60);
        string first = await PageAsync(app, "/");
        string second = await PageAsync(app, "/?page=2");

        Assert.Equal(50, Names(first).Count);
        Assert.Contains("role=\"search\"", first, StringComparison.Ordinal);
        Assert.Contains("Showing 1–50 of 60", first, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/?page=2\" rel=\"next\">Next</a>", first, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"prev\"", first, StringComparison.Ordinal);
        Assert.Equal(10, Names(second).Count);
        Assert.Contains("Showing 51–60 of 60", second, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/?page=1\" rel=\"prev\">Previous</a>", second, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", second, StringComparison.Ordinal);
        // Every scorecard on exactly one page.
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"Unit {i:00}").Order(StringComparer.Ordinal), Names(first).Concat(Names(second)).Order(StringComparer.Ordinal));
        // A page past the last shows the last.
        Assert.Equal(Names(second), Names(await PageAsync(app, "/?page=9")));

        // By name (case ignored), by key, and a search that finds nothing says so.
        string byName = await PageAsync(app, "/?q=unit+42");
        Assert.Equal(["Unit 42"], Names(byName));
        Assert.Contains("1 scorecard matches “unit 42”", byName, StringComparison.Ordinal);
        Assert.Contains("value=\"unit 42\"", byName, StringComparison.Ordinal);
        Assert.Equal(["Unit 07"], Names(await PageAsync(app, "/?q=UNIT-07")));
        Assert.Equal(Enumerable.Range(50, 10).Select(i => $"Unit {i}"), Names(await PageAsync(app, "/?q=unit+5"))); // not Unit 05
        Assert.Contains("No scorecard's name or key holds “no such unit”", await PageAsync(app, "/?q=no+such+unit"), StringComparison.Ordinal);
    }

    /// <summary>Scorecards unit-NN ("Unit NN") with three months of one measure, in one import.</summary>
    private static async Task StoreAsync(RunningApp app, int from, int to)
    {
        var cards = Enumerable.Range(from, to - from).Select(i => new ScorecardBuilder().With(c => c with { Id = $"unit-{i:00}", Name = $"Unit {i:00}" })
            .WithPerspective("p", ScorecardBuilder.Objective("serve", ScorecardBuilder.Measure("calls", 0, 100)))
            .WithMonthly("calls", "2026-01", 40, 50, 60)
            .Build()).ToList();
        await app.Services.GetRequiredService<ScorecardImport>().ImportAsync(cards, new Dictionary<string, string>(), "Test org", "loader", "load");
    }

    private static async Task<string> PageAsync(RunningApp app, string path)
    {
        using var response = await app.Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The scorecards listed, by name.</summary>
    private static List<string> Names(string html) => [.. UnitName().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("class=\"unit-name\" href=\"[^\"]*\">([^<]*)</a>")]
    private static partial Regex UnitName();
}
