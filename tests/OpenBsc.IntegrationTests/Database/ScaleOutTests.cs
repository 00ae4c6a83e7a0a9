using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Alerts;
using OpenBsc.Application.Features.Demo;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.Application.Features.Transfer;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.IntegrationTests.Cli;
using OpenBsc.IntegrationTests.DataEntry;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Database;

/// <summary>Several web nodes on one PostgreSQL, the same scores on both providers, and moving an installation to PostgreSQL.</summary>
public sealed partial class ScaleOutTests
{
    private const string Grid = "/scorecards/ops/data?range=2026";

    [Fact]
    public async Task TwoNodes_SignInOnOneIsValidOnTheOther_AndAWriteOnOneIsSeenByTheNextRequestOnTheOther()
    {
        await using var a = await RunningApp.StartAsync(DatabaseProvider.Postgres, demo: false);
        await a.Services.GetRequiredService<ScorecardImport>().ImportAsync([GridDatabase.Card()], new Dictionary<string, string>(), "Test org", "loader", "first load");
        await using var b = await RunningApp.StartNodeAsync(a.Services.GetRequiredService<DatabaseOptions>());
        Assert.NotEqual(a.BaseAddress, b.BaseAddress);

        // A user signs in on node A; the load balancer sends the next request to node B: still signed in (one key ring,
        // sessions checked against the database, nothing in a node's memory). Cookies are per host, not per port.
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = a.BaseAddress };
        using var signedIn = await RunningApp.SignInAsync(browser, RunningApp.AdminName, RunningApp.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        using var onB = await browser.GetAsync(new Uri(b.BaseAddress, "/scorecards/ops?period=2026-04"));
        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        Assert.DoesNotContain("110 calls", WebUtility.HtmlDecode(await onB.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.DoesNotContain("110 calls", await PageAsync(a.Client, "/scorecards/ops?period=2026-04"), StringComparison.Ordinal);

        // The form and its antiforgery token (cookie + field) come from node A; the POST goes to node B.
        var form = await FormAsync(browser, new Uri(a.BaseAddress, Grid));
        form["v|calls|2026-04"] = "110";
        using var posted = await browser.PostAsync(new Uri(b.BaseAddress, Grid), new FormUrlEncodedContent(form));

        Assert.True(posted.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.SeeOther, $"node B refused node A's form: {(int)posted.StatusCode}");
        // Written through B, seen by the next request on A (its page cache checks the data version).
        Assert.Contains("110 calls", await PageAsync(a.Client, "/scorecards/ops?period=2026-04"), StringComparison.Ordinal);

        // And the other way: written through A's API, seen on B.
        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/v1/scorecards/ops/measures/calls/observations/2026-04", UriKind.Relative))
        {
            Content = new StringContent("""{"value": 111, "reason": "recount"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        put.Headers.TryAddWithoutValidation("If-Match", "*");
        using var api = await a.Client.SendAsync(put);
        Assert.True(api.IsSuccessStatusCode, $"correction through node A failed: {(int)api.StatusCode} {await api.Content.ReadAsStringAsync()}");
        Assert.Contains("111 calls", WebUtility.HtmlDecode(await browser.GetStringAsync(new Uri(b.BaseAddress, "/scorecards/ops?period=2026-04"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoNodes_KeysAreInTheDatabase_OneKeyRingForBoth()
    {
        await using var a = await RunningApp.StartAsync(DatabaseProvider.Postgres, demo: false);
        await using var b = await RunningApp.StartNodeAsync(a.Services.GetRequiredService<DatabaseOptions>());
        var fromA = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        var fromB = b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

        string secret = fromA.Protect("signed in as ana");

        Assert.Equal("signed in as ana", fromB.Unprotect(secret));
        var contexts = a.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
    }

    public static TheoryData<string> Organisations => ["demo", "synthetic"];

    [Theory]
    [MemberData(nameof(Organisations))]
    public async Task SameData_GivesIdenticalScoresOnSqliteAndPostgres(string organisation)
    {
        await using var sqlite = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var postgres = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        foreach (var database in new[] { sqlite, postgres })
        {
            await LoadAsync(database.Options, organisation);
        }

        var onSqlite = await DatabaseCopy.ScoresAsync(sqlite.Options);
        var onPostgres = await DatabaseCopy.ScoresAsync(postgres.Options);

        Assert.NotEmpty(onSqlite);
        Assert.Equal(onSqlite.Keys.Order(), onPostgres.Keys.Order());
        foreach (var (key, scores) in onSqlite)
        {
            Assert.True(scores.Nodes > 10, $"{key} has too few nodes to compare");
            Assert.Equal(scores, onPostgres[key]);
        }
    }

    [Fact]
    public async Task DbCopy_SqliteToPostgres_LosesNothingAndReportsCountsAndScores()
    {
        await using var source = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await LoadAsync(source.Options, "synthetic");
        await using (var services = new ServiceCollection().AddOpenBscData(source.Options).BuildServiceProvider())
        {
            // A data-protection key, as a served installation has one.
            var contexts = services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>();
            await using var db = await contexts.CreateDbContextAsync();
            db.DataProtectionKeys.Add(new Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey { FriendlyName = "key-1", Xml = "<key id=\"1\" />" });
            await db.SaveChangesAsync();

            // People, their roles, an alert rule and a webhook: an installation's own data beside the scorecards.
            using var scope = services.CreateScope();
            Assert.True((await scope.ServiceProvider.GetRequiredService<Users>().AddAsync("ana@example.org", AccessRole.Editor, null)).Succeeded);
            var card = (await services.ScorecardRefAsync("synthetic"))!;
            var rules = services.GetRequiredService<AlertRules>();
            Assert.NotNull((await rules.AddAsync(card, new AlertRuleInput("MeasureTurnsRed", null, null, null, "owners", InApp: true, Email: false, Webhook: false), "test")).Rule);
        }

        string target = await TestPostgres.CreateDatabaseAsync();
        try
        {
            var copy = OpenBscCli.Run("db", "copy", "--from", $"sqlite:{source.Options.SqliteFile}", "--to", $"postgres:{target}");
            var again = OpenBscCli.Run("db", "copy", "--from", $"sqlite:{source.Options.SqliteFile}", "--to", $"postgres:{target}");

            Assert.True(copy.ExitCode == 0, copy.Out + copy.Error);
            Assert.Matches(@"observations\s+2460\s+→\s+2460\s+same", copy.Out);
            Assert.Matches(@"observations superseded\s+60\s+→\s+60\s+same", copy.Out);
            Assert.Matches(@"data_protection_keys\s+1\s+→\s+1\s+same", copy.Out);
            Assert.Matches(@"users\s+1\s+→\s+1\s+same", copy.Out);
            Assert.Matches(@"alert_rules\s+1\s+→\s+1\s+same", copy.Out);
            Assert.Matches(@"audit_log\s+[1-9]\d*\s+→\s+[1-9]\d*\s+same", copy.Out);
            Assert.DoesNotContain("differ", copy.Out, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("scores of 'synthetic' at 2026-12 (", copy.Out, StringComparison.Ordinal);
            Assert.Contains("nothing lost", copy.Out, StringComparison.Ordinal);
            Assert.Equal(3, again.ExitCode);
            Assert.Contains("already holds data", again.Error, StringComparison.Ordinal);

            // The copy is a working installation: history (superseded rows) intact and new rows get fresh ids.
            var options = DatabaseOptions.ForPostgres(target);
            DatabaseSetup.Prepare(options, create: false);
            await using var services = new ServiceCollection().AddOpenBscData(options).BuildServiceProvider();
            var history = await services.GetRequiredService<ScorecardSnapshots>().HistoryAsync("synthetic", "m0");
            Assert.Contains(history, h => h.SupersededAt is not null);
            var summary = await services.GetRequiredService<ScorecardImport>().ImportAsync(
                [Synthetic(value: (_, _) => 1)], new Dictionary<string, string>(), null, "after", "after the copy");
            // Over 2,000 corrections go by COPY with new ids: they must not collide with the copied ones.
            Assert.Equal(0, summary[0].Added);
            Assert.True(summary[0].Corrected > 2000, $"{summary[0].Corrected} corrected");
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(target);
        }
    }

    /// <summary>The demo organisation, or a synthetic scorecard large enough for PostgreSQL's COPY path, then corrections.</summary>
    private static async Task LoadAsync(DatabaseOptions options, string organisation)
    {
        DatabaseSetup.Prepare(options, create: true);
        await using var services = new ServiceCollection().AddOpenBscData(options).BuildServiceProvider();
        if (organisation == "demo")
        {
            await services.GetRequiredService<DemoOrganisation>().LoadAsync();
            return;
        }

        var import = services.GetRequiredService<ScorecardImport>();
        await import.ImportAsync([Synthetic((m, month) => ((m * 37) + (month * 11)) % 100)], new Dictionary<string, string>(), "Synthetic org", "loader", "load");
        // Corrections of one measure in ten for the last 6 months: superseded rows in the history.
        await import.ImportAsync([Synthetic((m, month) => m % 10 == 0 && month >= 18 ? 100 - (((m * 37) + (month * 11)) % 100) - 0.5 : ((m * 37) + (month * 11)) % 100)],
            new Dictionary<string, string>(), null, "corrector", "recount");
    }

    /// <summary>100 measures under 10 objectives in 2 perspectives, 24 months each (2,400 values), with mixed scoring.</summary>
    private static ScorecardData Synthetic(Func<int, int, double> value)
    {
        var builder = new ScorecardBuilder().With(c => c with { Id = "synthetic", Name = "Synthetic" });
        for (int p = 0; p < 2; p++)
        {
            var objectives = Enumerable.Range(0, 5).Select(o => ScorecardBuilder.Objective($"o{p}{o}",
                [.. Enumerable.Range(0, 10).Select(i => (p * 50) + (o * 10) + i).Select(m => ScorecardBuilder.Measure($"m{m}", m % 2 == 0 ? 0 : 100, m % 2 == 0 ? 100 : 0) with
                {
                    Aggregation = (m % 3) switch { 0 => Aggregation.Average, 1 => Aggregation.Sum, _ => Aggregation.Last },
                })])).ToArray();
            builder = builder.WithPerspective($"p{p}", objectives);
        }

        for (int m = 0; m < 100; m++)
        {
            int measure = m;
            builder = builder.WithMonthly($"m{m}", "2025-01", [.. Enumerable.Range(0, 24).Select(month => value(measure, month))]);
        }

        return builder.Build();
    }

    private static async Task<string> PageAsync(HttpClient client, string url) =>
        WebUtility.HtmlDecode(await client.GetStringAsync(new Uri(url, UriKind.Relative)));

    private static async Task<Dictionary<string, string>> FormAsync(HttpClient client, Uri url)
    {
        string html = await client.GetStringAsync(url);
        string form = html[html.IndexOf("data-entry-form", StringComparison.Ordinal)..];
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputPattern().Matches(form))
        {
            fields[WebUtility.HtmlDecode(input.Groups["name"].Value)] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        Assert.Contains("__RequestVerificationToken", fields.Keys);
        return fields;
    }

    [GeneratedRegex(@"<input\b(?=[^>]*\bname=""(?<name>[^""]+)"")(?:(?=[^>]*\bvalue=""(?<value>[^""]*)""))?[^>]*>")]
    private static partial Regex InputPattern();
}
