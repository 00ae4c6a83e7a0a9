using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Scorecards;
using OpenBsc.IntegrationTests.Cli;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// Two organisations in one database, each with a scorecard <c>customer-support</c>: the demo's (Northwind Ltd, the
/// oldest) and Harbour Ltd's, with other measures and values. Keys are unique per organisation only.
/// </summary>
public abstract class SameKeyTests(DatabaseProvider provider)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : SameKeyTests(DatabaseProvider.Sqlite);

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres() : SameKeyTests(DatabaseProvider.Postgres);

    private const string Key = "customer-support";
    private const string Harbour = "Harbour Ltd";

    private const string HarbourSupport = """
        openbsc: 1
        scorecard:
          id: customer-support
          name: Harbour Helpdesk Scorecard
          perspectives:
            - id: customer
              name: Customer
              objectives:
                - { id: quick-callbacks, name: Call back quickly, measures: [{ id: callback-rate, name: Callbacks within an hour, unit: "%", target: 90 }] }
        observations:
          - { measure: callback-rate, period: 2026-01, value: 42 }
        """;

    private static async Task<OpenBscDbContext> DbAsync(RunningApp app) =>
        await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();

    /// <summary>
    /// Harbour Ltd's administrator, signed in, and Harbour's own customer-support scorecard. Stored directly: creating
    /// a key another organisation holds is refused (docs/decisions/0010), but the (organisation, key) index allows it,
    /// as two organisations creating the same key at once would leave it.
    /// </summary>
    private static async Task<(HttpClient Client, Guid Scorecard)> HarbourAsync(RunningApp app)
    {
        var client = await app.SignInAsync("boss@harbour.example", AccessRole.Administrator, Harbour);
        var data = ScorecardFileReader.Parse(HarbourSupport, ScorecardFileFormat.Yaml, "harbour.yaml").Validated().Data!;
        var at = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc);
        await using var db = await DbAsync(app);
        var organisation = await db.Organisations.SingleAsync(o => o.Name == Harbour);
        var card = new StoredScorecard
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisation.Id,
            Key = Key,
            Name = data.Scorecard.Name,
            Definition = ScorecardFileWriter.ToJson(new ScorecardData(data.Scorecard, [])),
            Version = 1,
            DataVersion = 1,
            UpdatedAt = at,
        };
        db.Scorecards.Add(card);
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.SaveChangesAsync();
        await using (var batch = await app.Services.GetRequiredService<ObservationLedger>().OpenAsync(db, new LedgerScorecard(card.Id, organisation.Id, Key, data.Scorecard), "seed", "seed"))
        {
            Assert.False((await batch.WriteAsync([.. data.Observations.Select(o => new LedgerEntry(o.Measure, o.Segment, o.Period, o.Value, o.Note))])).Refused);
            await batch.CommitAsync();
        }

        await transaction.CommitAsync();
        return (client, card.Id);
    }

    private static async Task<string> PageAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body[..Math.Min(500, body.Length)]}");
        return body;
    }

    private static async Task<JsonNode> JsonAsync(HttpClient client, string url) => JsonNode.Parse(await PageAsync(client, url))!;

    private static List<string> NodeIds(JsonNode scores) => [.. scores["nodes"]!.AsArray().Select(n => (string)n!["id"]!)];

    [Fact]
    public async Task SameKey_EachOrganisationsUser_SeesAndChangesOnlyTheirOwn()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var (harbour, harbourCard) = await HarbourAsync(app);
        await using var db = await DbAsync(app);
        var northwindCard = await db.Scorecards.Where(s => s.Key == Key && s.OrganisationId != db.Organisations.Single(o => o.Name == Harbour).Id).Select(s => s.Id).SingleAsync();
        int northwindRows = await db.Observations.CountAsync(o => o.ScorecardId == northwindCard);

        string ours = await PageAsync(app.Client, $"/scorecards/{Key}");
        string theirs = await PageAsync(harbour, $"/scorecards/{Key}");
        Assert.Contains("Customer Support Scorecard", ours, StringComparison.Ordinal);
        Assert.Contains("Cost per ticket", ours, StringComparison.Ordinal);
        Assert.DoesNotContain("Harbour Helpdesk", ours, StringComparison.Ordinal);
        Assert.DoesNotContain("Callbacks within an hour", ours, StringComparison.Ordinal);
        Assert.Contains("Harbour Helpdesk Scorecard", theirs, StringComparison.Ordinal);
        Assert.Contains("Callbacks within an hour", theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("Customer Support Scorecard", theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("Cost per ticket", theirs, StringComparison.Ordinal);

        Assert.Equal("Customer Support Scorecard", (string?)(await JsonAsync(app.Client, $"/api/v1/scorecards/{Key}"))["name"]);
        Assert.Equal("Harbour Helpdesk Scorecard", (string?)(await JsonAsync(harbour, $"/api/v1/scorecards/{Key}"))["name"]);
        var ourScores = await JsonAsync(app.Client, $"/api/v1/scorecards/{Key}/scores?period=2026-01");
        var theirScores = await JsonAsync(harbour, $"/api/v1/scorecards/{Key}/scores?period=2026-01");
        Assert.Contains("cost-per-ticket", NodeIds(ourScores));
        Assert.DoesNotContain("callback-rate", NodeIds(ourScores));
        Assert.Contains("callback-rate", NodeIds(theirScores));
        Assert.DoesNotContain("cost-per-ticket", NodeIds(theirScores));
        Assert.Equal(42, (double)theirScores["nodes"]!.AsArray().Single(n => (string?)n!["id"] == "callback-rate")!["value"]!);

        // Each enters data into their own; a measure of the other organisation's scorecard is unknown.
        using (var entered = await harbour.PostAsJsonAsync($"/api/v1/scorecards/{Key}/measures/callback-rate/observations", new { period = "2026-02", value = 55 }))
        {
            Assert.True(entered.StatusCode == HttpStatusCode.Created, await entered.Content.ReadAsStringAsync());
        }

        using (var entered = await app.Client.PostAsJsonAsync($"/api/v1/scorecards/{Key}/measures/cost-per-ticket/observations", new { period = "2030-01", value = 8 }))
        {
            Assert.True(entered.StatusCode == HttpStatusCode.Created, await entered.Content.ReadAsStringAsync());
        }

        using (var foreign = await harbour.PostAsJsonAsync($"/api/v1/scorecards/{Key}/measures/cost-per-ticket/observations", new { period = "2030-02", value = 9 }))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }

        var harbourRows = await db.Observations.AsNoTracking().Where(o => o.ScorecardId == harbourCard).OrderBy(o => o.Period).Select(o => new { o.MeasureKey, o.Period, o.Value }).ToListAsync();
        Assert.Equal([("callback-rate", "2026-01", 42.0), ("callback-rate", "2026-02", 55.0)], harbourRows.Select(r => (r.MeasureKey, r.Period, r.Value)));
        Assert.Equal(northwindRows + 1, await db.Observations.CountAsync(o => o.ScorecardId == northwindCard));
        Assert.Equal(8, (await db.Observations.SingleAsync(o => o.ScorecardId == northwindCard && o.Period == "2030-01")).Value);
        Assert.False(await db.Observations.AnyAsync(o => o.ScorecardId == northwindCard && o.MeasureKey == "callback-rate"));
        Assert.False(await db.Observations.AnyAsync(o => o.Period == "2030-02"));
        Assert.Equal(55, (double)(await JsonAsync(harbour, $"/api/v1/scorecards/{Key}/scores?period=2026-02"))["nodes"]!.AsArray().Single(n => (string?)n!["id"] == "callback-rate")!["value"]!);

        // A scorecard only the other organisation has stays missing.
        Assert.Equal(HttpStatusCode.NotFound, (await harbour.GetAsync("/api/v1/scorecards/northwind-2026")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await harbour.GetAsync("/api/v1/scorecards/northwind-2026/scores")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await harbour.GetAsync("/scorecards/northwind-2026")).StatusCode);
    }

    [Fact]
    public async Task SnapshotCache_OneOrganisationsScorecardLoadedFirst_TheOtherGetsItsOwn()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var (harbour, _) = await HarbourAsync(app);

        // Northwind's snapshot is loaded and cached first, then Harbour asks for the same key, then Northwind again.
        Assert.Contains("Cost per ticket", await PageAsync(app.Client, $"/scorecards/{Key}"), StringComparison.Ordinal);
        string theirs = await PageAsync(harbour, $"/scorecards/{Key}");
        Assert.Contains("Harbour Helpdesk Scorecard", theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("Cost per ticket", theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("Callbacks within an hour", await PageAsync(app.Client, $"/scorecards/{Key}/data"), StringComparison.Ordinal);
        Assert.Contains("Callbacks within an hour", await PageAsync(harbour, $"/scorecards/{Key}/data"), StringComparison.Ordinal);

        // The service itself, in each organisation's flow of work (a scope whose request context names it).
        await using var db = await DbAsync(app);
        var organisations = await db.Organisations.ToDictionaryAsync(o => o.Name, o => o.Id);
        using (var northwind = app.Services.CreateScope())
        {
            northwind.ServiceProvider.GetRequiredService<RequestContext>().Set(organisations["Northwind Ltd"], "test");
            Assert.Equal("Customer Support Scorecard", (await northwind.ServiceProvider.GetRequiredService<ScorecardSnapshots>().GetAsync(Key))!.Scorecard.Name);
        }

        using (var harbourScope = app.Services.CreateScope())
        {
            harbourScope.ServiceProvider.GetRequiredService<RequestContext>().Set(organisations[Harbour], "test");
            var snapshots = harbourScope.ServiceProvider.GetRequiredService<ScorecardSnapshots>();
            Assert.Equal("Harbour Helpdesk Scorecard", (await snapshots.GetAsync(Key))!.Scorecard.Name);
            Assert.Null(await snapshots.GetAsync("northwind-2026"));
        }
    }

    [Fact]
    public async Task Cli_KeyHeldByTwoOrganisations_UsesTheOldestAndSaysSo()
    {
        await using var app = await RunningApp.StartAsync(provider);
        await HarbourAsync(app);
        var database = app.Services.GetRequiredService<DatabaseOptions>();
        string[] where = database.Provider == DatabaseProvider.Postgres ? ["--db", "postgres", "--connection", database.PostgresConnection!] : ["--database", database.SqliteFile];
        string output = Path.Combine(Directory.CreateTempSubdirectory("openbsc-samekey-").FullName, "out.csv");

        var exported = OpenBscCli.Run(["observations", "export", "--scorecard", Key, "-o", output, .. where]);
        var scored = OpenBscCli.Run(["score", Key, "--at", "2026-01", "--json", .. where]);

        Assert.True(exported.ExitCode == 0, exported.Error);
        Assert.Contains($"note: scorecard '{Key}' exists in 2 organisations (Northwind Ltd, {Harbour}); using the oldest, Northwind Ltd.", exported.Error, StringComparison.Ordinal);
        string csv = await File.ReadAllTextAsync(output);
        Assert.Contains("cost-per-ticket,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("callback-rate", csv, StringComparison.Ordinal);
        Assert.True(scored.ExitCode == 0, scored.Error);
        Assert.Contains("\"cost-per-ticket\"", scored.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("callback-rate", scored.Out, StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
    }
}
