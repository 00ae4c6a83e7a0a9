using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Observations;

/// <summary>
/// The contract of the one observation writer, the same on both providers: superseding, appending, the data stamp,
/// one audit entry per batch, the check before anything is written, all or nothing, and batches on one scorecard
/// queuing behind each other. The small path (row by row) and the bulk path (filter or COPY) give the same rows.
/// </summary>
public abstract class ObservationLedgerTests(DatabaseProvider provider) : IAsyncLifetime
{
    /// <summary>The contract on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : ObservationLedgerTests(DatabaseProvider.Sqlite);

    /// <summary>The same contract on PostgreSQL.</summary>
    public sealed class OnPostgres() : ObservationLedgerTests(DatabaseProvider.Postgres);

    private static readonly DateTimeOffset Now = new(2026, 5, 10, 9, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;

    private ObservationLedger Ledger => _services.GetRequiredService<ObservationLedger>();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        DatabaseSetup.Prepare(_database.Options, create: true);
        _services = new ServiceCollection().AddOpenBscData(_database.Options).AddSingleton<TimeProvider>(new FakeTimeProvider(Now)).BuildServiceProvider();
        var card = new ScorecardBuilder().With(c => c with { Id = "ops", Name = "Operations", Segments = [new Segment("smb", "Small business", SegmentKind.Customer)] })
            .WithMeasures(
                ScorecardBuilder.Measure("calls"),
                ScorecardBuilder.Measure("csat"),
                ScorecardBuilder.Measure("double") with { Formula = "[calls] * 2" },
                ScorecardBuilder.Measure("share") with { Segments = [new SegmentSeries { Segment = "smb" }] })
            .WithObservation("calls", "2026-01", 90)
            .Build();
        await _services.GetRequiredService<ScorecardImport>().ImportAsync([card], new Dictionary<string, string>(), "Test org", "loader", "first load");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static LedgerEntry Entry(string measure, string period, double value, string? note = null, string? segment = null, string? reason = null) =>
        new(measure, segment, Period.Parse(period), value, note, reason);

    /// <summary>Opens a batch as <paramref name="actor"/>, writes, commits; returns what the write said.</summary>
    private async Task<(LedgerWrite Write, int Added, int Corrected, int Unchanged)> WriteAsync(string actor, bool bulk, params LedgerEntry[] entries)
    {
        using var scope = _services.CreateScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().Set(null, actor);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
        await using var batch = (await Ledger.OpenAsync(db, "ops", actor, "test", bulk))!;
        var write = await batch.WriteAsync(entries, outcomes: true);
        if (!write.Refused)
        {
            await batch.CommitAsync();
        }

        return (write, batch.Added, batch.Corrected, batch.Unchanged);
    }

    private async Task<OpenBscDbContext> Db() => await _services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();

    private async Task<List<StoredObservation>> RowsAsync(string measure)
    {
        await using var db = await Db();
        return await db.Observations.AsNoTracking().Where(o => o.MeasureKey == measure).OrderBy(o => o.Id).ToListAsync();
    }

    private async Task<(long DataVersion, List<StoredAuditEntry> Audit)> StampAndAuditAsync()
    {
        await using var db = await Db();
        return (await db.Scorecards.Where(s => s.Key == "ops").Select(s => s.DataVersion).SingleAsync(),
            await db.AuditLog.AsNoTracking().Where(a => a.Action == "observations.written").OrderBy(a => a.Id).ToListAsync());
    }

    [Fact]
    public async Task ImportAsync_NewScorecardWithACellTwice_KeepsTheFirstValueInTheHistoryAndCountsEachRow()
    {
        // A new scorecard is written by the bulk path from its first row, however few its values.
        var card = new ScorecardBuilder().With(c => c with { Id = "fresh", Name = "Fresh" })
            .WithMeasures(ScorecardBuilder.Measure("visits"), ScorecardBuilder.Measure("calls"))
            .WithObservation("visits", "2026-01", 10).WithObservation("calls", "2026-01", 5).WithObservation("visits", "2026-01", 12)
            .Build();

        var summary = (await _services.GetRequiredService<ScorecardImport>().ImportAsync([card], new Dictionary<string, string>(), "Test org", "loader", "new card")).Single();

        Assert.Equal(("fresh", true, 2, 1, 0), (summary.ScorecardKey, summary.Created, summary.Added, summary.Corrected, summary.Unchanged));
        await using var db = await Db();
        var fresh = await db.Scorecards.Where(c => c.Key == "fresh").Select(c => c.Id).SingleAsync();
        var visits = await db.Observations.AsNoTracking().Where(o => o.MeasureKey == "visits" && o.ScorecardId == fresh).OrderBy(o => o.Id).ToListAsync();
        Assert.Equal([10.0, 12.0], visits.Select(v => v.Value));
        Assert.NotNull(visits[0].SupersededAt);
        Assert.Null(visits[1].SupersededAt);
        Assert.Single(await db.Observations.AsNoTracking().Where(o => o.MeasureKey == "calls" && o.ScorecardId == fresh).ToListAsync());
    }

    [Fact]
    public async Task Write_NewValueThenCorrection_AppendsSupersedesMovesTheStampOnceAndAuditsEachBatchOnce()
    {
        var (stampBefore, auditBefore) = await StampAndAuditAsync();

        var added = await WriteAsync("ana", bulk: false, Entry("csat", "2026-02", 80, "first"));
        var corrected = await WriteAsync("ben", bulk: false, Entry("csat", "2026-02", 82, reason: "recount"));

        Assert.Equal(LedgerOutcome.Added, added.Write.Written[0].Outcome);
        Assert.Equal(LedgerOutcome.Corrected, corrected.Write.Written[0].Outcome);
        Assert.Equal(80, corrected.Write.Written[0].Was);
        var rows = await RowsAsync("csat");
        Assert.Equal([80.0, 82.0], rows.Select(r => r.Value));
        Assert.Equal([added.Write.Written[0].Id, corrected.Write.Written[0].Id], rows.Select(r => r.Id));
        Assert.Equal(("ben", "recount", Now.UtcDateTime), (rows[0].SupersededBy, rows[0].CorrectionReason, rows[0].SupersededAt!.Value));
        Assert.Null(rows[1].SupersededAt);
        Assert.Equal(["ana", "ben"], rows.Select(r => r.EnteredBy));
        var (stamp, audit) = await StampAndAuditAsync();
        Assert.Equal(stampBefore + 2, stamp);
        var mine = audit.Skip(auditBefore.Count).ToList();
        Assert.Equal(["ana", "ben"], mine.Select(a => a.Actor));
        Assert.All(mine, a => Assert.Equal(("ops", "csat 2026-02"), (a.Scorecard, a.Subject)));
        var after = JsonNode.Parse(mine[1].After!)!;
        Assert.Equal((1, 0, 1), ((int)after["Rows"]!, (int)after["Added"]!, (int)after["Corrected"]!));
        Assert.Equal(80, (double)after["Values"]![0]!["Was"]!);
        Assert.Equal("recount", (string)after["Values"]![0]!["Reason"]!);
    }

    [Fact]
    public async Task Write_TheValueAndNoteHeld_IsUnchanged_NoRowNoStampNoAudit()
    {
        await WriteAsync("ana", bulk: false, Entry("csat", "2026-02", 80, "n"));
        var (stamp, audit) = await StampAndAuditAsync();

        var again = await WriteAsync("ana", bulk: false, Entry("csat", "2026-02", 80, "n"));
        var bulkAgain = await WriteAsync("ana", bulk: true, Entry("csat", "2026-02", 80, "n"));

        Assert.Equal((0, 0, 1), (again.Added, again.Corrected, again.Unchanged));
        Assert.Equal((0, 0, 1), (bulkAgain.Added, bulkAgain.Corrected, bulkAgain.Unchanged));
        Assert.Single(await RowsAsync("csat"));
        Assert.Equal((stamp, audit.Count), ((await StampAndAuditAsync()).DataVersion, (await StampAndAuditAsync()).Audit.Count));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Write_OneCellTwiceInOneBatch_KeepsTheEarlierAsHistory_OnTheSmallAndTheBulkPath(bool bulk)
    {
        var result = await WriteAsync("ana", bulk, Entry("calls", "2026-01", 91, reason: "first fix"), Entry("calls", "2026-01", 92, reason: "second fix"), Entry("calls", "2026-02", 50));

        Assert.Equal((1, 2, 0), (result.Added, result.Corrected, result.Unchanged));
        var rows = await RowsAsync("calls");
        Assert.Equal([90.0, 91.0, 92.0, 50.0], rows.Select(r => r.Value));
        Assert.Equal(["first fix", "second fix", null, null], rows.Select(r => r.CorrectionReason));
        Assert.Equal([true, true, false, false], rows.Select(r => r.SupersededAt is not null));
    }

    [Fact]
    public async Task Write_ManyRows_TheSmallPathTurnsBulkAndBothAgreeAcrossFlushes()
    {
        // 25,000 rows: past the switch to bulk (1,000) and over two COPY batches (10,000) on PostgreSQL, with a
        // correction of a row stored in an earlier batch and a repeat of the value held.
        var entries = new List<LedgerEntry>();
        var month = Period.Parse("2100-01");
        for (int i = 0; i < 25_000; i++)
        {
            entries.Add(new LedgerEntry(i % 2 == 0 ? "csat" : "calls", null, month, i, null));
            if (i % 2 == 1)
            {
                month = month.Next();
            }
        }

        entries.Add(Entry("csat", "2100-01", -1, reason: "late fix"));
        entries.Add(Entry("calls", "2026-01", 90));
        var result = await WriteAsync("ana", bulk: false, [.. entries]);

        Assert.Equal((25_000, 1, 1), (result.Added, result.Corrected, result.Unchanged));
        var csat = await RowsAsync("csat");
        Assert.Equal(12_501, csat.Count);
        Assert.Equal(0, csat[0].Value);
        Assert.Equal("late fix", csat[0].CorrectionReason);
        // A large call is stored in the index's key order: the fix follows the value it corrects, not the call's last row.
        Assert.Equal(-1, Assert.Single(csat, r => r.Period == "2100-01" && r.SupersededAt is null).Value);
        var (_, audit) = await StampAndAuditAsync();
        var last = JsonNode.Parse(audit[^1].After!)!;
        Assert.Equal((25_002, 25_000, 1, 1), ((int)last["Rows"]!, (int)last["Added"]!, (int)last["Corrected"]!, (int)last["Unchanged"]!));
        Assert.Equal("25,001 values (25,000 added, 1 corrected)", audit[^1].Subject);
    }

    [Fact]
    public async Task Write_LargeCallsOutOfKeyOrder_InBulk_KeepTheCallsOrderForEachCellAcrossCorrections()
    {
        // Two write calls of 6,001 rows in one bulk batch, month by month for two measures in turn (not the index's key
        // order, so each call is stored sorted by measure and period). The second call corrects a value stored before
        // the batch, a value its first call wrote (on PostgreSQL: sent on the open COPY already), and one cell twice
        // with every other row between; the outcomes come back in the call's order.
        static List<LedgerEntry> Months(Period from, int rows)
        {
            var entries = new List<LedgerEntry>();
            for (int i = 0; i < rows; i++)
            {
                entries.Add(new LedgerEntry(i % 2 == 0 ? "csat" : "calls", null, from, i, null));
                from = i % 2 == 1 ? from.Next() : from;
            }

            return entries;
        }

        List<LedgerEntry> first = Months(Period.Parse("2100-01"), 6_000), second = Months(Period.Parse("2400-01"), 6_000);
        second.Insert(0, Entry("csat", "2000-01", 1));
        second.Insert(3_000, Entry("calls", "2026-01", 91, reason: "fix of the stored value"));
        second.Insert(3_001, Entry("csat", "2100-01", -1, reason: "fix of the first call"));
        second.Add(Entry("csat", "2000-01", 2, reason: "second of two"));
        using var scope = _services.CreateScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().Set(null, "ana");
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
        LedgerWrite written;
        await using (var batch = (await Ledger.OpenAsync(db, "ops", "ana", "test", bulk: true))!)
        {
            Assert.False((await batch.WriteAsync(first)).Refused);
            written = await batch.WriteAsync(second, outcomes: true);
            await batch.CommitAsync();
            Assert.Equal((12_001, 3, 0), (batch.Added, batch.Corrected, batch.Unchanged));
        }

        Assert.Equal(second.Count, written.Written.Count);
        Assert.Equal((LedgerOutcome.Added, LedgerOutcome.Corrected, LedgerOutcome.Corrected, LedgerOutcome.Corrected), (written.Written[0].Outcome, written.Written[3_000].Outcome, written.Written[3_001].Outcome, written.Written[^1].Outcome));
        Assert.Equal((90.0, 0.0, 1.0), (written.Written[3_000].Was, written.Written[3_001].Was, written.Written[^1].Was));
        Assert.Equal(LedgerOutcome.Added, written.Written[2].Outcome);
        var calls = await RowsAsync("calls");
        var csat = await RowsAsync("csat");
        Assert.Equal(
            [(90.0, "fix of the stored value", true), (91.0, null, false)],
            calls.Where(r => r.Period == "2026-01").Select(r => (r.Value, r.CorrectionReason, r.SupersededAt is not null)));
        Assert.Equal(
            [(0.0, "fix of the first call", true), (-1.0, null, false)],
            csat.Where(r => r.Period == "2100-01").Select(r => (r.Value, r.CorrectionReason, r.SupersededAt is not null)));
        Assert.Equal(
            [(1.0, "second of two", true), (2.0, null, false)],
            csat.Where(r => r.Period == "2000-01").Select(r => (r.Value, r.CorrectionReason, r.SupersededAt is not null)));
        Assert.Equal(12_000 + 2, calls.Count(r => r.SupersededAt is null) + csat.Count(r => r.SupersededAt is null));
    }

    [Theory]
    [InlineData("nope", null, 1.0, null, "measure", "there is no measure 'nope'")]
    [InlineData("double", null, 1.0, null, "measure", "'double' is calculated")]
    [InlineData("csat", "smb", 1.0, null, "segment", "'csat' is not tracked per segment, so 'smb' cannot be stored")]
    [InlineData("share", null, 1.0, null, "segment", "'share' is tracked per segment (smb)")]
    [InlineData("share", "bogus", 1.0, null, "segment", "one of the segments of 'share' (smb), not 'bogus'")]
    [InlineData("csat", null, double.NaN, null, "value", "a finite number")]
    [InlineData("csat", null, 1.0, "a\0b", "note", "without NUL characters")]
    public async Task Write_AnEntryTheCheckRefuses_StoresNothingOfTheBatch(string measure, string? segment, double value, string? note, string field, string message)
    {
        var (stamp, audit) = await StampAndAuditAsync();

        var result = await WriteAsync("ana", bulk: false, Entry("calls", "2026-03", 5), new LedgerEntry(measure, segment, Period.Parse("2026-03"), value, note));

        var problem = Assert.Single(result.Write.Problems);
        Assert.Equal((1, field), (problem.Index, problem.Field));
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await RowsAsync("calls"), r => r.Period == "2026-03");
        Assert.Equal((stamp, audit.Count), ((await StampAndAuditAsync()).DataVersion, (await StampAndAuditAsync()).Audit.Count));
    }

    [Fact]
    public async Task Batch_DisposedWithoutCommit_KeepsNothing()
    {
        var (stamp, audit) = await StampAndAuditAsync();
        await using (var db = await Db())
        await using (var batch = (await Ledger.OpenAsync(db, "ops", "ana", "test"))!)
        {
            Assert.False((await batch.WriteAsync([Entry("csat", "2026-04", 1)])).Refused);
        }

        Assert.Empty(await RowsAsync("csat"));
        Assert.Equal((stamp, audit.Count), ((await StampAndAuditAsync()).DataVersion, (await StampAndAuditAsync()).Audit.Count));
    }

    [Fact]
    public async Task Open_AMissingScorecard_IsNull()
    {
        await using var db = await Db();
        Assert.Null(await Ledger.OpenAsync(db, "missing", "ana", "test"));
    }

    [Fact]
    public async Task TwoBatchesOnOneScorecard_TheSecondWaitsForTheFirst_AndSeesItsValue()
    {
        await using var first = await Db();
        await using var batch = (await Ledger.OpenAsync(first, "ops", "ana", "test"))!;
        await batch.WriteAsync([Entry("csat", "2026-05", 1)]);

        var second = Task.Run(() => WriteAsync("ben", bulk: false, Entry("csat", "2026-05", 2, reason: "later")));
        await Task.Delay(500);
        Assert.False(second.IsCompleted, "the second batch wrote while the first held its claim");
        await batch.CommitAsync();
        var result = await second.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(LedgerOutcome.Corrected, result.Write.Written[0].Outcome);
        Assert.Equal([1.0, 2.0], (await RowsAsync("csat")).Select(r => r.Value));
    }

    [Fact]
    public async Task SavingAnObservationAsATrackedEntity_IsRefused_SoNoWriterBypassesTheLedger()
    {
        await using var db = await Db();
        var card = await db.Scorecards.SingleAsync(s => s.Key == "ops");
        db.Observations.Add(new StoredObservation { OrganisationId = card.OrganisationId, ScorecardId = card.Id, MeasureKey = "csat", Period = "2026-06", PeriodStart = 1, Value = 1 });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());

        Assert.Contains("ObservationLedger", refused.Message, StringComparison.Ordinal);
    }
}
