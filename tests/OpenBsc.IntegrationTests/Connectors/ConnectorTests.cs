using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Connectors;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Connectors;

/// <summary>
/// Data connectors end to end, on both storage providers, reading real sources: a PostgreSQL database, a SQLite file,
/// a MariaDB server and a Kestrel endpoint on loopback (CSV and JSON). Runs store through the ledger (history, audit,
/// all or nothing), are recorded, alert the owner when they fail, keep within their limits, refuse internal addresses,
/// and run once however many nodes find them due.
/// </summary>
public abstract class ConnectorTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : ConnectorTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : ConnectorTests(DatabaseProvider.Postgres);

    private const string Secret = "openbsc-test-secret";
    private const string Owner = "owner@example.org";
    private static readonly DateTimeOffset Now = new(2026, 5, 10, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly List<ServiceProvider> _nodes = [];
    private TestDatabase _database = null!;
    private SourceServer _http = null!;
    private string _sqliteFile = null!;
    private string _postgresSource = null!;
    private string _mariaSource = null!;
    private Guid _organisation;

    private static ConnectorSettings Settings => new() { AllowLoopback = true, Timeout = TimeSpan.FromSeconds(3), MaxBytes = 1024 * 1024, MaxRows = 1000 };

    private ServiceProvider Services => _nodes[0];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        DatabaseSetup.Prepare(_database.Options, create: true);
        NewNode();
        var card = new ScorecardBuilder().With(c => c with { Id = "ops", Name = "Operations", Segments = [new Segment("smb", "Small business", SegmentKind.Customer)] })
            .WithMeasures(ScorecardBuilder.Measure("calls"), ScorecardBuilder.Measure("csat"), ScorecardBuilder.Measure("share") with { Segments = [new SegmentSeries { Segment = "smb" }] })
            .Build();
        await Services.GetRequiredService<ScorecardImport>().ImportAsync([card], new Dictionary<string, string>(), "Test org", "loader", "first load");
        await using (var db = await Db())
        {
            _organisation = await db.Organisations.Select(o => o.Id).SingleAsync();
        }

        using (var scope = Services.CreateScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<Users>().AddAsync(Owner, AccessRole.Editor, _organisation)).Succeeded);
        }

        _http = await SourceServer.StartAsync();
        _sqliteFile = Path.Combine(_database.Directory ?? Path.GetTempPath(), $"source-{Guid.NewGuid():N}.db");
        await using (var sqlite = new SqliteConnection($"Data Source={_sqliteFile}"))
        {
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = "CREATE TABLE kpi (measure TEXT, period TEXT, value REAL, note TEXT); INSERT INTO kpi VALUES ('calls', '2026-01', 120, NULL), ('calls', '2026-02', 130, 'busy'), ('csat', '2026-01', 4.5, NULL);";
            await command.ExecuteNonQueryAsync();
        }

        _postgresSource = await TestPostgres.CreateDatabaseAsync();
        await using (var pg = new NpgsqlConnection(_postgresSource))
        {
            await pg.OpenAsync();
            await using var command = pg.CreateCommand();
            command.CommandText = "CREATE TABLE calls (month text, total double precision); INSERT INTO calls VALUES ('2026-03', 140), ('2026-04', 141.5);";
            await command.ExecuteNonQueryAsync();
        }

        _mariaSource = await TestMariaDb.CreateDatabaseAsync(
            "CREATE TABLE kpi (measure VARCHAR(50), period VARCHAR(10), value DOUBLE, segment VARCHAR(20)); INSERT INTO kpi VALUES ('calls', '2026-01', 120, NULL), ('share', '2026-01', 0.25, 'smb');");
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _http.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_postgresSource);
        await TestMariaDb.DropDatabaseAsync(_mariaSource);
        SqliteConnection.ClearAllPools();
        File.Delete(_sqliteFile);
        await _database.DisposeAsync();
    }

    private ServiceProvider NewNode(ConnectorSettings? settings = null)
    {
        var node = new ServiceCollection().AddSingleton<TimeProvider>(_clock).AddSingleton(settings ?? Settings).AddOpenBscData(_database.Options).BuildServiceProvider();
        _nodes.Add(node);
        return node;
    }

    private Task<OpenBscDbContext> Db() => Services.GetRequiredService<SystemDbContexts>().CreateDbContextAsync();

    private static string WithoutPassword(string connection)
    {
        var builder = new MySqlConnector.MySqlConnectionStringBuilder(connection);
        builder.Remove("Password");
        return builder.ConnectionString;
    }

    private async Task<SourceEntry> SaveAsync(SourceDefinition definition, string? secret = null)
    {
        using var scope = Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().Set(_organisation, "admin");
        var write = await scope.ServiceProvider.GetRequiredService<DataSources>().SaveAsync(_organisation, null, null, definition, secret, false, "admin");
        Assert.True(write.Status == EditStatus.Saved, write.Message);
        return write.Source!;
    }

    private async Task<SourceRunRow> RunAsync(long id, ServiceProvider? node = null)
    {
        using var scope = (node ?? Services).CreateScope();
        var run = await scope.ServiceProvider.GetRequiredService<SourceRuns>().RunAsync(_organisation, id, "demand", "admin");
        Assert.NotNull(run);
        return run;
    }

    private SourceDefinition Sqlite(string query = "select measure, period, value, note from kpi") =>
        new("Finance file", "sqlite", $"Data Source={_sqliteFile}", [new BindingDefinition("ops", null, query, NoteColumn: "note")], Owner: Owner);

    private SourceDefinition MariaDb(string query = "select measure, period, value, segment from kpi") =>
        new("CRM", "mysql", WithoutPassword(_mariaSource), [new BindingDefinition("ops", null, query, SegmentColumn: "segment")], Owner: Owner);

    private async Task<List<StoredObservation>> RowsAsync(string measure)
    {
        await using var db = await Db();
        return await db.Observations.AsNoTracking().Where(o => o.MeasureKey == measure).OrderBy(o => o.Id).ToListAsync();
    }

    [Fact]
    public async Task EveryKindOfSourceStoresItsValues_AndASecondRunChangesNothing()
    {
        _http.Token = "bearer-" + Secret;
        _http.Put("/kpi.csv", "text/csv", "Measure,Period,Value\ncsat,2026-02,4.1\n");
        _http.Put("/kpi.json", "application/json", """{"data": {"rows": [{"kpi": "csat", "month": "2026-03", "score": 4.4}]}}""");
        var sources = new[]
        {
            await SaveAsync(Sqlite()),
            await SaveAsync(new("Warehouse", "postgresql", _postgresSource, [new BindingDefinition("ops", "calls", "select month, total from calls", PeriodColumn: "month", ValueColumn: "total")])),
            await SaveAsync(MariaDb(), Secret),
            await SaveAsync(new("Survey CSV", "http", _http.Url + "/kpi.csv", [new BindingDefinition("ops", null, "")], Format: "csv", Auth: "bearer"), "bearer-" + Secret),
            await SaveAsync(new("Survey JSON", "http", _http.Url + "/kpi.json", [new BindingDefinition("ops", null, "", MeasureColumn: "kpi", PeriodColumn: "month", ValueColumn: "score")], Format: "json", RowsPath: "$.data.rows", Auth: "bearer"), "bearer-" + Secret),
        };

        var first = new List<SourceRunRow>();
        foreach (var source in sources)
        {
            first.Add(await RunAsync(source.Id));
        }

        Assert.All(first, run => Assert.True(run.Status == "succeeded", run.Error));
        Assert.Equal([3, 2, 2, 1, 1], first.Select(r => r.Added + r.Corrected + r.Unchanged));
        Assert.Equal("Bearer bearer-" + Secret, _http.LastAuthorization);
        var calls = await RowsAsync("calls");
        var current = calls.Where(o => o.SupersededAt is null).ToDictionary(o => o.Period, o => o.Value);
        Assert.Equal(120, current["2026-01"]);
        Assert.Equal(130, current["2026-02"]);
        Assert.Equal(141.5, current["2026-04"]);
        Assert.Equal(4.1, (await RowsAsync("csat")).Single(o => o.Period == "2026-02").Value);
        Assert.Equal(4.4, (await RowsAsync("csat")).Single(o => o.Period == "2026-03").Value);
        Assert.Equal(0.25, (await RowsAsync("share")).Single().Value);
        Assert.Equal("smb", (await RowsAsync("share")).Single().Segment);
        Assert.Equal("busy", calls.First(o => o.Period == "2026-02").Note);

        // Every source read again changes nothing.
        int observations;
        await using (var db = await Db())
        {
            observations = await db.Observations.CountAsync();
        }

        foreach (var source in sources)
        {
            var again = await RunAsync(source.Id);
            Assert.True(again.Status == "succeeded", again.Error);
            Assert.Equal((0, 0), (again.Added, again.Corrected));
        }

        await using (var db = await Db())
        {
            Assert.Equal(observations, await db.Observations.CountAsync());
            var audit = await db.AuditLog.AsNoTracking().Where(a => a.Action == "observations.written").ToListAsync();
            Assert.Contains(audit, a => a.Actor == "source:Warehouse" && a.After!.Contains($"source Warehouse run {first[1].Id}", StringComparison.Ordinal));
            Assert.Contains(audit, a => a.Actor == "source:CRM");
        }

        Assert.Equal(2, (await Services.CreateScope().ServiceProvider.GetRequiredService<SourceRuns>().HistoryAsync(_organisation, sources[2].Id)).Count);
    }

    [Fact]
    public async Task ACorrectedValueSupersedesTheOldOne_WithTheRunAsReason()
    {
        var source = await SaveAsync(Sqlite());
        await RunAsync(source.Id);
        await using (var sqlite = new SqliteConnection($"Data Source={_sqliteFile};Pooling=false"))
        {
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = "UPDATE kpi SET value = 125 WHERE measure = 'calls' AND period = '2026-01'";
            await command.ExecuteNonQueryAsync();
        }

        var second = await RunAsync(source.Id);
        Assert.Equal((0, 1, 2), (second.Added, second.Corrected, second.Unchanged));
        var history = (await RowsAsync("calls")).Where(o => o.Period == "2026-01").ToList();
        Assert.Equal([120, 125], history.Select(o => o.Value));
        Assert.Equal($"source Finance file run {second.Id}", history[0].CorrectionReason);
        Assert.Equal("source Finance file", history[0].SupersededBy);
        Assert.Null(history[1].SupersededAt);
        Assert.Equal("source Finance file", history[1].EnteredBy);
    }

    [Fact]
    public async Task ABadRowStoresNothing_TheRunFailsNamingTheRow_AndTheOwnerIsAlerted()
    {
        await TestMariaDb.ExecuteAsync(_mariaSource, "INSERT INTO kpi VALUES ('calls', '2026-02', NULL, NULL), ('csat', '2026-13', 4, NULL)");
        var source = await SaveAsync(MariaDb(), Secret);
        var run = await RunAsync(source.Id);
        Assert.Equal("failed", run.Status);
        Assert.Contains("2 bad rows, nothing stored", run.Error, StringComparison.Ordinal);
        Assert.Contains("CRM (ops):row 4: value: (empty): expected a number", run.Error, StringComparison.Ordinal);
        Assert.Contains("CRM (ops):row 5: period: 2026-13", run.Error, StringComparison.Ordinal);
        Assert.Empty(await RowsAsync("calls"));
        Assert.Empty(await RowsAsync("share"));
        await using var db = await Db();
        var owner = await db.Users.SingleAsync(u => u.UserName == Owner);
        var note = await db.Notifications.SingleAsync(n => n.UserId == owner.Id);
        Assert.Equal("Source CRM failed", note.Title);
        Assert.Contains("row 4", note.Body, StringComparison.Ordinal);
        Assert.Equal(Owner, (await db.Deliveries.SingleAsync()).Target);

        // The preview reports the same rows with the same errors as a CSV import of the same values.
        using var scope = Services.CreateScope();
        var preview = await scope.ServiceProvider.GetRequiredService<SourceRuns>().PreviewAsync(_organisation, source.Id);
        scope.ServiceProvider.GetRequiredService<RequestContext>().Set(_organisation, "admin");
        var csv = "measure,period,value,note,segment\ncalls,2026-01,120,,\nshare,2026-01,0.25,,smb\ncalls,2026-02,,,\ncsat,2026-13,4,,\n";
        var import = await scope.ServiceProvider.GetRequiredService<ObservationImport>().ImportAsync("ops", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), ObservationFileFormat.Csv, "same.csv", "admin");
        Assert.Equal(import.Errors, preview.Errors);
        Assert.Equal(4, preview.Rows.Count);
        Assert.Equal(new PreviewRow(3, "ops", "share", "2026-01", "0.25", null, "smb"), preview.Rows[1]);
    }

    [Fact]
    public async Task ASourceThatHangsIsStoppedAtTheTimeLimit()
    {
        var http = await SaveAsync(new("Slow API", "http", _http.Url + "/hang", [new BindingDefinition("ops", null, "")], Owner: Owner));
        var pg = await SaveAsync(new("Slow SQL", "postgresql", _postgresSource, [new BindingDefinition("ops", "calls", "select pg_sleep(30), '2026-01' as period, 1 as value")]));
        var started = DateTime.UtcNow;
        foreach (var run in new[] { await RunAsync(http.Id), await RunAsync(pg.Id) })
        {
            Assert.Equal("failed", run.Status);
            Assert.Equal("the source did not answer within 3 s (the time limit)", run.Error);
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task ASourceAnsweringTwoGigabytesIsCutAtTheSizeLimit()
    {
        var announced = await SaveAsync(new("Huge", "http", _http.Url + "/huge?length=1", [new BindingDefinition("ops", null, "")]));
        var streamed = await SaveAsync(new("Huge stream", "http", _http.Url + "/huge", [new BindingDefinition("ops", null, "")]));
        Assert.Equal("the source answers 2,147,483,648 bytes, more than 1,048,576 (the size limit)", (await RunAsync(announced.Id)).Error);
        Assert.Equal("the source answered more than 1,048,576 bytes (the size limit)", (await RunAsync(streamed.Id)).Error);
        Assert.Empty(await RowsAsync("calls"));
    }

    [Fact]
    public async Task InternalAddressesAreRefused_RedirectsIncluded_UnlessConfigurationAllowsThem()
    {
        var redirect = await SaveAsync(new("Redirecting", "http", _http.Url + "/redirect", [new BindingDefinition("ops", null, "")]));
        var run = await RunAsync(redirect.Id);
        Assert.Equal("failed", run.Status);
        Assert.StartsWith("refused to connect to 169.254.169.254 (169.254.169.254): a link-local address", run.Error, StringComparison.Ordinal);

        _http.RedirectTo = "http://10.1.2.3/rows.csv";
        Assert.Contains("a private network address", (await RunAsync(redirect.Id)).Error, StringComparison.Ordinal);

        // Without the test's explicit allowance, loopback itself is refused.
        var strict = NewNode(Settings with { AllowLoopback = false });
        _http.Put("/ok.csv", "text/csv", "measure,period,value\ncalls,2026-01,1\n");
        var local = await SaveAsync(new("Local", "http", _http.Url + "/ok.csv", [new BindingDefinition("ops", null, "")]));
        var refused = await RunAsync(local.Id, strict);
        Assert.StartsWith("refused to connect to 127.0.0.1 (127.0.0.1): a loopback address", refused.Error, StringComparison.Ordinal);
        Assert.True((await RunAsync(local.Id)).Status == "succeeded");
        Assert.Equal(["a private network address", "a link-local address (such as the cloud metadata service 169.254.169.254)", null, "a private network address (including the metadata service fd00:ec2::254)"],
            new[] { "192.168.1.1", "169.254.169.254", "93.184.216.34", "fd00:ec2::254" }.Select(a => Settings.Refusal(IPAddress.Parse(a))));
    }

    [Fact]
    public async Task AfterPeriodEnd_RunsOnceNDaysAfterEachMonthEnds()
    {
        // 10 May: April ended 5 days + 5 days ago, before the source existed; May's run is due on 5 June.
        await SaveAsync(Sqlite() with { Schedule = "after-close", DaysAfterClose = 5 });
        async Task<int> PassAsync()
        {
            using var scope = Services.CreateScope();
            return (await scope.ServiceProvider.GetRequiredService<SourceRuns>().RunDueAsync()).Count;
        }

        Assert.Equal(0, await PassAsync());
        _clock.Advance(TimeSpan.FromDays(25));
        Assert.Equal(0, await PassAsync());
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await PassAsync());
        Assert.Equal(0, await PassAsync());
        await using var db = await Db();
        Assert.Equal(3, await db.Observations.CountAsync());
    }

    [Fact]
    public async Task TwoNodesFindingASourceDueAtOnceRunItOnce()
    {
        var source = await SaveAsync(Sqlite() with { Schedule = "cron", Cron = "0 6 * * *" });
        var second = NewNode();
        using (var scope = Services.CreateScope())
        {
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<SourceRuns>().RunDueAsync());
        }

        _clock.Advance(TimeSpan.FromDays(1));
        var passes = await Task.WhenAll(new[] { Services, second, Services, second }.Select(async node =>
        {
            using var scope = node.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<SourceRuns>().RunDueAsync();
        }));
        Assert.Single(passes.SelectMany(p => p));
        await using var db = await Db();
        var runs = await db.SourceRuns.AsNoTracking().Where(r => r.SourceId == source.Id).ToListAsync();
        Assert.Equal("schedule", Assert.Single(runs).Trigger);
        Assert.Equal("succeeded", runs[0].Status);
        Assert.Null((await db.DataSources.AsNoTracking().SingleAsync(s => s.Id == source.Id)).LeaseUntil);
        Assert.Equal(3, (await db.Observations.CountAsync()));

        // While a node holds the lease, "run now" on another node does not start a second run.
        await db.DataSources.Where(s => s.Id == source.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LeaseUntil, Now.UtcDateTime.AddDays(2)));
        using var other = second.CreateScope();
        Assert.Null(await other.ServiceProvider.GetRequiredService<SourceRuns>().RunAsync(_organisation, source.Id, "demand", "admin"));
    }

    [Fact]
    public async Task TheSecretIsKeptEncrypted_AndNeverShownInEntriesAuditOrErrors()
    {
        using var scope = Services.CreateScope();
        var sources = scope.ServiceProvider.GetRequiredService<DataSources>();
        var inAddress = await sources.SaveAsync(_organisation, null, null, MariaDb() with { Address = _mariaSource }, null, false, "admin");
        Assert.Equal(EditStatus.Invalid, inAddress.Status);
        Assert.Contains("address: no password in the connection string", inAddress.Message, StringComparison.Ordinal);

        var saved = await SaveAsync(MariaDb(), Secret);
        Assert.True(saved.HasSecret);
        Assert.True((await RunAsync(saved.Id)).Status == "succeeded");
        var changed = await sources.SaveAsync(_organisation, saved.Id, saved.Version, saved.Definition, "wrong-" + Secret, false, "admin");
        Assert.Equal(EditStatus.Saved, changed.Status);
        var stale = await sources.SaveAsync(_organisation, saved.Id, saved.Version, saved.Definition, null, false, "admin");
        Assert.Equal(EditStatus.Stale, stale.Status);
        var failed = await RunAsync(saved.Id);
        Assert.Equal("failed", failed.Status);
        Assert.Contains("Access denied", failed.Error, StringComparison.Ordinal);

        await using var db = await Db();
        var row = await db.DataSources.AsNoTracking().SingleAsync();
        Assert.DoesNotContain(Secret, row.SecretProtected, StringComparison.Ordinal);
        var everything = string.Join("\n", (await db.AuditLog.AsNoTracking().ToListAsync()).Select(a => $"{a.Subject} {a.Before} {a.After}"))
            + string.Join("\n", (await db.SourceRuns.AsNoTracking().ToListAsync()).Select(r => r.Error))
            + string.Join("\n", (await db.Notifications.AsNoTracking().ToListAsync()).Select(n => n.Body))
            + System.Text.Json.JsonSerializer.Serialize(await sources.ListAsync(_organisation));
        Assert.DoesNotContain(Secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(row.SecretProtected!, everything, StringComparison.Ordinal);
        Assert.Contains("source.changed", (await db.AuditLog.AsNoTracking().Select(a => a.Action).ToListAsync()));
    }
}
