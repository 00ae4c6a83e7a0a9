using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Application.Features.Observations;

/// <summary>The scorecard a ledger batch writes to, read under the batch's claim on it.</summary>
public sealed record LedgerScorecard(Guid Id, Guid OrganisationId, string Key, Scorecard Definition);

/// <summary>
/// One value to store for a measure (and customer segment) and period. <see cref="Reason"/> is kept on the value it
/// supersedes, when the period already holds a different one (null: the batch's source, e.g. "import FILE").
/// </summary>
public readonly record struct LedgerEntry(string Measure, string? Segment, Period Period, double Value, string? Note, string? Reason = null);

/// <summary>What writing one entry did.</summary>
public enum LedgerOutcome
{
    /// <summary>The period held no value: the entry was appended.</summary>
    Added,

    /// <summary>The period held a different value: it was superseded (kept in the history) and the entry appended.</summary>
    Corrected,

    /// <summary>The period holds this very value and note already: nothing was written.</summary>
    Unchanged,
}

/// <summary>An entry written: its outcome, the new row's id (0 where a bulk path does not return ids) and the value it replaced.</summary>
public readonly record struct LedgerWritten(LedgerOutcome Outcome, long Id, double? Was);

/// <summary>
/// Why the ledger refused an entry of a write call: the entry's index in the call, its cell, the field (measure,
/// segment, value, note, reason, period) and what was expected.
/// </summary>
public sealed record LedgerProblem(int Index, string Measure, string? Segment, string Period, string Field, string Message);

/// <summary>What a write call did: refused (problems, and then nothing of the call was written) or the outcome of each entry.</summary>
public sealed record LedgerWrite(IReadOnlyList<LedgerProblem> Problems, IReadOnlyList<LedgerWritten> Written)
{
    public bool Refused => Problems.Count > 0;
}

/// <summary>
/// The one writer of observations (docs/architecture.md, "One owner per datum"): the data-entry grid, the API,
/// observation files (CSV, XLSX), scorecard files and new scorecards all store values through a
/// <see cref="LedgerBatch"/>. A batch claims its scorecard (writers of one scorecard queue behind each other), checks
/// every entry at one hook point before anything of a write call is stored (<see cref="LedgerBatch.CheckAsync"/>),
/// supersedes a held value and appends the new one (history kept), moves the scorecard's data stamp once and writes
/// one audit entry naming the user and the row count. Provider speed lives in the two adapters: prepared statements
/// on SQLite, binary COPY on PostgreSQL.
/// </summary>
public sealed class ObservationLedger(TimeProvider clock)
{
    public const int MaxNoteLength = 2000;

    /// <summary>
    /// Opens a batch on the scorecard <paramref name="key"/> of the current organisation (the oldest organisation's
    /// when several hold it and there is no current one), or null when there is none. Begins a transaction on
    /// <paramref name="db"/> when none is open (the batch then commits it); claims the scorecard's row first, so the
    /// definition read and every value held are as of the claim.
    /// </summary>
    /// <param name="db">The context to write on (its connection and transaction).</param>
    /// <param name="key">The scorecard's key.</param>
    /// <param name="enteredBy">Kept with every value written (for an approved value: its submitter).</param>
    /// <param name="source">What wrote it, for the audit entry and the default correction reason ("grid", "api", "import FILE").</param>
    /// <param name="bulk">Many rows are coming: the adapters take their bulk path from the first row.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<LedgerBatch?> OpenAsync(OpenBscDbContext db, string key, string enteredBy, string source, bool bulk = false, CancellationToken cancellationToken = default)
    {
        var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var ids = await db.Scorecards.AsNoTracking().Where(s => s.Key == key).Select(s => new { s.Id, s.OrganisationId }).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                await DisposeAsync(owned);
                return null;
            }

            var id = ids[0].Id;
            if (ids.Count > 1)
            {
                // No current organisation (command line, background work): the oldest holder's, as everywhere (ScorecardKeys).
                var oldest = (await Scorecards.ScorecardKeys.HoldersAsync(db, key, cancellationToken))[0].Id;
                id = ids.First(i => i.OrganisationId == oldest).Id;
            }

            await ClaimAsync(db, id, cancellationToken);
            var stored = await db.Scorecards.AsNoTracking().IgnoreQueryFilters().Where(s => s.Id == id)
                .Select(s => new { s.Id, s.OrganisationId, s.Key, s.Definition }).SingleAsync(cancellationToken);
            var scorecard = new LedgerScorecard(stored.Id, stored.OrganisationId, stored.Key, ScorecardFileReader.ParseStored(stored.Definition, stored.Key));
            return await OpenClaimedAsync(db, owned, scorecard, enteredBy, source, bulk, cancellationToken);
        }
        catch
        {
            await DisposeAsync(owned);
            throw;
        }
    }

    /// <summary>
    /// Opens a batch on a scorecard the caller has just stored or read in the open transaction of <paramref name="db"/>
    /// (a scorecard file's import, a new scorecard): claims it, and writes within the caller's transaction, which the
    /// caller commits.
    /// </summary>
    public async Task<LedgerBatch> OpenAsync(OpenBscDbContext db, LedgerScorecard scorecard, string enteredBy, string source, bool bulk = false, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A batch on a scorecard the caller read is opened inside the caller's transaction.");
        }

        await ClaimAsync(db, scorecard.Id, cancellationToken);
        return await OpenClaimedAsync(db, null, scorecard, enteredBy, source, bulk, cancellationToken);
    }

    private async Task<LedgerBatch> OpenClaimedAsync(OpenBscDbContext db, IDbContextTransaction? owned, LedgerScorecard scorecard, string enteredBy, string source, bool bulk, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var definition = new LedgerDefinition(scorecard.Definition);
        LedgerStore store = ObservationCopy.Applies(db)
            ? new PostgresLedgerStore(db, scorecard, definition, enteredBy, now, bulk)
            : new SqliteLedgerStore(db, scorecard, definition, enteredBy, now, bulk);
        await store.OpenAsync(cancellationToken);
        // Read after the claim: a close of this scorecard (which claims the same row) is either before it or waits for it.
        var lockedThrough = await ReportingCycle.PeriodCloses.LockedThroughAsync(db, scorecard.Id, cancellationToken);
        return new LedgerBatch(db, owned, scorecard, definition, store, enteredBy, source, now, lockedThrough);
    }

    /// <summary>
    /// An UPDATE that changes nothing still takes the row's lock (PostgreSQL) or the write lock (SQLite): batches on
    /// one scorecard run one after the other, and each sees the values the one before it stored.
    /// </summary>
    private static Task<int> ClaimAsync(OpenBscDbContext db, Guid scorecardId, CancellationToken cancellationToken) =>
        db.Scorecards.IgnoreQueryFilters().Where(s => s.Id == scorecardId).ExecuteUpdateAsync(u => u.SetProperty(s => s.DataVersion, s => s.DataVersion), cancellationToken);

    private static async Task DisposeAsync(IDbContextTransaction? transaction)
    {
        if (transaction is not null)
        {
            await transaction.DisposeAsync();
        }
    }
}

/// <summary>
/// One batch of writes to one scorecard's observations: write calls (each checked whole before any of it is stored),
/// then <see cref="CommitAsync"/>. Disposed without a commit, nothing of it is kept (the transaction it began is
/// rolled back; in a caller's transaction, the caller rolls back).
/// </summary>
public sealed class LedgerBatch : IAsyncDisposable
{
    // The values listed in the audit entry; a larger batch is summed up by its counts (the rows keep who and when).
    private const int ListedInAudit = 20;

    // Bounded: a batch names few distinct periods; past this many they are formatted each time rather than kept.
    private const int MaxCachedPeriods = 10_000;

    // A write call of this many entries or more is stored in the index's key order (WriteOrder).
    private const int SortFrom = 256;

    private readonly OpenBscDbContext _db;
    private readonly IDbContextTransaction? _owned;
    private readonly LedgerStore _store;
    private readonly string _enteredBy;
    private readonly string _source;
    private readonly DateTime _now;
    private readonly Dictionary<Period, (string Text, int Start)> _periods = [];
    private readonly List<object> _listed = [];
    private readonly LedgerDefinition _definition;

    // The last day of the latest closed period (docs/reporting-cycle.md): values of periods ending on or before it are locked.
    private readonly int _lockedThrough;
    private int[] _measureOf = [], _segmentOf = [];
    private (long Key, int Index)[] _order = [];
    private long _rows;
    private bool _committed;

    internal LedgerBatch(OpenBscDbContext db, IDbContextTransaction? owned, LedgerScorecard scorecard, LedgerDefinition definition, LedgerStore store, string enteredBy, string source, DateTime now, DateOnly? lockedThrough = null)
    {
        _lockedThrough = lockedThrough?.DayNumber ?? int.MinValue;
        _db = db;
        _definition = definition;
        _owned = owned;
        Scorecard = scorecard;
        _store = store;
        _enteredBy = enteredBy;
        _source = source;
        _now = now;
    }

    public LedgerScorecard Scorecard { get; }

    public int Added { get; private set; }

    public int Corrected { get; private set; }

    public int Unchanged { get; private set; }

    /// <summary>
    /// Checks <paramref name="entries"/> at the one hook point, then writes them in order (a later entry for the same
    /// cell corrects an earlier one). Refused, nothing of this call is written.
    /// </summary>
    /// <param name="entries">The values.</param>
    /// <param name="outcomes">Return each entry's outcome (and, outside the bulk path, the new row's id).</param>
    /// <param name="cancellationToken">Cancels (the batch is then not committed).</param>
    public async Task<LedgerWrite> WriteAsync(IReadOnlyList<LedgerEntry> entries, bool outcomes = false, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        var problems = await CheckAsync(entries, cancellationToken);
        if (problems.Count > 0)
        {
            return new LedgerWrite(problems, []);
        }

        var written = outcomes ? new LedgerWritten[entries.Count] : null;
        var order = WriteOrder(entries);
        for (int n = 0; n < entries.Count; n++)
        {
            int i = order is null ? n : order[n].Index;
            var entry = entries[i];
            var period = PeriodOf(entry.Period);
            var row = new LedgerRow(entry.Measure, _measureOf[i], entry.Segment, _segmentOf[i], entry.Period, period.Text, period.Start, entry.Value, entry.Note, entry.Reason ?? _source);
            var result = await _store.WriteAsync(row, outcomes, cancellationToken);
            if (written is not null)
            {
                written[i] = result;
            }

            Count(result, entry);
        }

        _rows += entries.Count;
        return new LedgerWrite([], written ?? []);
    }

    private (string Text, int Start) PeriodOf(Period of)
    {
        if (!_periods.TryGetValue(of, out var period))
        {
            period = (of.ToString(), of.Start(Scorecard.Definition.Calendar).DayNumber);
            if (_periods.Count < MaxCachedPeriods)
            {
                _periods[of] = period;
            }
        }

        return period;
    }

    /// <summary>
    /// The order to store a large write call's entries in: by the index's key (measure id in ordinal order, then the
    /// period's first day), stable, so a later entry for the same cell still comes later and corrects the earlier one.
    /// Rows arriving day by day for many measures would otherwise insert at as many places in the
    /// (scorecard, measure, period) index, one B-tree descent and page each; in key order consecutive rows land on the
    /// same page (sqlite3's own INSERT of 1M rows: 5.3 s CPU unsorted, 3.0 s sorted in chunks of 32,768 rows;
    /// bench/README.md). Null (the given order) for a small call: the grid and the API write a few values.
    /// </summary>
    private (long Key, int Index)[]? WriteOrder(IReadOnlyList<LedgerEntry> entries)
    {
        if (entries.Count < SortFrom)
        {
            return null;
        }

        // Kept for the batch's next call: a large array is costly garbage (collected only with the oldest generation).
        if (_order.Length < entries.Count)
        {
            _order = new (long, int)[entries.Count];
        }

        var order = _order;
        bool sorted = true;
        for (int i = 0; i < entries.Count; i++)
        {
            // Measure rank in the high bits, the period's first day (a day number, < 2^22) in the low ones.
            long key = ((long)_definition.RankOf(_measureOf[i]) << 24) | (uint)PeriodOf(entries[i].Period).Start;
            order[i] = (key, i);
            sorted &= i == 0 || order[i - 1].Key <= key;
        }

        if (sorted)
        {
            return null;
        }

        // The index breaks ties: equal keys keep the call's order.
        Array.Sort(order, 0, entries.Count);
        return order;
    }

    /// <summary>
    /// The one check every write call passes before any of its rows is stored: each entry against the scorecard's
    /// definition (a measure that takes values, the segment rule of docs/scoring.md §8, a finite value, a note and
    /// reason within limits and free of NUL characters, which PostgreSQL cannot store). Rules that refuse a whole batch
    /// — a closed period, once periods can be closed — belong here, so every writer obeys them. Memory: a streaming
    /// import calls it per write call (a few thousand rows), never with the whole file.
    /// </summary>
    /// <returns>The problems; none when the entries may be written.</returns>
    internal ValueTask<IReadOnlyList<LedgerProblem>> CheckAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        if (_measureOf.Length < entries.Count)
        {
            _measureOf = new int[entries.Count];
            _segmentOf = new int[entries.Count];
        }

        List<LedgerProblem>? problems = null;
        for (int index = 0; index < entries.Count; index++)
        {
            CheckEntry(entries[index], index, ref problems);
        }

        return ValueTask.FromResult<IReadOnlyList<LedgerProblem>>(problems ?? []);
    }

    // Per row of a million-row import: no lambda or closure here (a captured variable costs an allocation per row).
    private void CheckEntry(in LedgerEntry entry, int index, ref List<LedgerProblem>? problems)
    {
        int m = _definition.MeasureOf(entry.Measure);
        _measureOf[index] = m;
        _segmentOf[index] = _definition.SegmentOf(entry.Segment);
        if (m < 0)
        {
            Add(ref problems, index, entry, "measure", $"a measure of scorecard '{Scorecard.Key}': there is no measure '{entry.Measure}'");
            return;
        }

        var measure = _definition.Measures[m];
        if (measure.IsCalculated)
        {
            Add(ref problems, index, entry, "measure", $"a measure that takes values: '{measure.Id}' is calculated from its formula ({measure.Formula})");
        }
        else if (entry.Segment is null ? measure.IsSegmented : !LedgerDefinition.Tracks(measure, entry.Segment))
        {
            Add(ref problems, index, entry, "segment", LedgerDefinition.SegmentExpected(measure, entry.Segment));
        }

        if (!double.IsFinite(entry.Value))
        {
            Add(ref problems, index, entry, "value", "a finite number (not NaN or Infinity)");
        }

        if (_lockedThrough != int.MinValue && entry.Period.End(Scorecard.Definition.Calendar).DayNumber <= _lockedThrough)
        {
            Add(ref problems, index, entry, "period", $"a period that is open: {entry.Period} is closed for scorecard '{Scorecard.Key}' (values through {DateOnly.FromDayNumber(_lockedThrough):yyyy-MM-dd} are locked); an administrator can reopen it with a reason");
        }

        if (TextProblem(entry.Note) is { } note)
        {
            Add(ref problems, index, entry, "note", note);
        }

        if (TextProblem(entry.Reason) is { } reason)
        {
            Add(ref problems, index, entry, "reason", reason);
        }
    }

    private static string? TextProblem(string? text) =>
        text is null ? null
        : text.Length > ObservationLedger.MaxNoteLength ? $"at most {ObservationLedger.MaxNoteLength:N0} characters, found {text.Length:N0}"
        : text.Contains('\0', StringComparison.Ordinal) ? "text without NUL characters (U+0000)"
        : null;

    private static void Add(ref List<LedgerProblem>? problems, int index, in LedgerEntry entry, string field, string message) =>
        (problems ??= []).Add(new LedgerProblem(index, entry.Measure ?? "", entry.Segment, entry.Period.ToString(), field, message));

    /// <summary>
    /// Stores what was written: the last rows, the scorecard's data stamp moved once (every cache on every node sees
    /// the new values) and one audit entry naming the user and the row count — only when anything changed. Commits the
    /// transaction the batch began.
    /// </summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        await _store.FlushAsync(cancellationToken);
        if (Added + Corrected > 0)
        {
            await _db.Scorecards.IgnoreQueryFilters().Where(s => s.Id == Scorecard.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.DataVersion, s => s.DataVersion + 1), cancellationToken);
            _db.AuditLog.Add(AuditEntry());
            await _db.SaveChangesAsync(cancellationToken);
        }

        _committed = true;
        if (_owned is not null)
        {
            await _owned.CommitAsync(cancellationToken);
        }
    }

    private StoredAuditEntry AuditEntry()
    {
        int changed = Added + Corrected;
        string subject = changed == 1 && _listed.Count == 1 && _listed[0] is AuditedValue only
            ? $"{only.Measure}{(only.Segment is null ? "" : "/" + only.Segment)} {only.Period}"
            : string.Create(CultureInfo.InvariantCulture, $"{changed:N0} values ({Added:N0} added, {Corrected:N0} corrected)");
        var after = new
        {
            Rows = _rows,
            Added,
            Corrected,
            Unchanged,
            Source = _source,
            EnteredBy = _enteredBy,
            Values = _listed,
            More = changed > _listed.Count ? changed - _listed.Count : 0,
        };
        return new StoredAuditEntry
        {
            OrganisationId = Scorecard.OrganisationId,
            At = _now,
            Actor = _db.Actor,
            Action = "observations.written",
            Scorecard = Scorecard.Key,
            Subject = subject.Length > 500 ? subject[..500] : subject,
            After = JsonSerializer.Serialize(after),
        };
    }

    private void Count(LedgerWritten result, LedgerEntry entry)
    {
        switch (result.Outcome)
        {
            case LedgerOutcome.Added:
                Added++;
                break;
            case LedgerOutcome.Corrected:
                Corrected++;
                break;
            default:
                Unchanged++;
                return;
        }

        if (_listed.Count < ListedInAudit)
        {
            _listed.Add(new AuditedValue(entry.Measure, entry.Segment, entry.Period.ToString(), entry.Value, entry.Note, result.Was, result.Outcome == LedgerOutcome.Corrected ? entry.Reason ?? _source : null));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        if (_owned is not null)
        {
            // Not committed: rolled back.
            await _owned.DisposeAsync();
        }
    }

    private sealed record AuditedValue(string Measure, string? Segment, string Period, double Value, string? Note, double? Was, string? Reason);
}

/// <summary>
/// One row as the adapters store it: the measure and segment with their places in the definition (-1: no segment),
/// the period as text and its first day, the correction reason for a value it supersedes.
/// </summary>
internal readonly record struct LedgerRow(string Measure, int MeasureIndex, string? Segment, int SegmentIndex, Period Of, string Period, int PeriodStart, double Value, string? Note, string Reason);

/// <summary>A scorecard's measures and segments by id, looked up once per row.</summary>
internal sealed class LedgerDefinition
{
    private readonly Dictionary<string, int> _measures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _segments = new(StringComparer.Ordinal);
    private readonly int[] _ranks;

    public LedgerDefinition(Scorecard card)
    {
        Measures = [.. card.AllMeasures().DistinctBy(m => m.Id, StringComparer.Ordinal)];
        for (int i = 0; i < Measures.Count; i++)
        {
            _measures[Measures[i].Id] = i;
        }

        // Each measure's place among the ids in ordinal order, the order of the observations index (on SQLite exactly).
        _ranks = new int[Measures.Count];
        var byId = Enumerable.Range(0, Measures.Count).ToArray();
        Array.Sort(byId, (a, b) => string.CompareOrdinal(Measures[a].Id, Measures[b].Id));
        for (int rank = 0; rank < byId.Length; rank++)
        {
            _ranks[byId[rank]] = rank;
        }

        for (int i = 0; i < card.Segments.Count; i++)
        {
            _segments.TryAdd(card.Segments[i].Id, i);
        }
    }

    public IReadOnlyList<Measure> Measures { get; }

    /// <summary>The measure's place, or -1 when the scorecard has no such measure.</summary>
    public int MeasureOf(string? id) => id is not null && _measures.TryGetValue(id, out int index) ? index : -1;

    /// <summary>The measure's place among the ids in ordinal order (an unknown measure, -1: first).</summary>
    public int RankOf(int measure) => (uint)measure < (uint)_ranks.Length ? _ranks[measure] : -1;

    /// <summary>The segment's place; -1 for none, -2 for one the scorecard does not define.</summary>
    public int SegmentOf(string? id) => id is null ? -1 : _segments.TryGetValue(id, out int index) ? index : -2;

    public static bool Tracks(Measure measure, string segment)
    {
        foreach (var series in measure.Segments)
        {
            if (series.Segment == segment)
            {
                return true;
            }
        }

        return false;
    }

    public static string SegmentExpected(Measure measure, string? given) =>
        !measure.IsSegmented ? $"no segment: '{measure.Id}' is not tracked per segment, so '{given}' cannot be stored"
        : given is null ? $"a segment: '{measure.Id}' is tracked per segment ({string.Join(", ", measure.Segments.Select(s => s.Segment))})"
        : $"one of the segments of '{measure.Id}' ({string.Join(", ", measure.Segments.Select(s => s.Segment))}), not '{given}'";
}

/// <summary>A provider's way of superseding and appending rows (<see cref="SqliteLedgerStore"/>, <see cref="PostgresLedgerStore"/>).</summary>
internal abstract class LedgerStore : IAsyncDisposable
{
    public abstract Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>Supersedes the value held for the row's cell, if different, and appends the row; unchanged when the same value and note are held.</summary>
    public abstract ValueTask<LedgerWritten> WriteAsync(LedgerRow row, bool wantId, CancellationToken cancellationToken);

    /// <summary>Writes whatever is still buffered.</summary>
    public abstract Task FlushAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
