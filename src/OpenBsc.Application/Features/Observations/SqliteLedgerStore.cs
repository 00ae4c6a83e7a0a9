using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenBsc.Application.Data;
using SQLitePCL;

namespace OpenBsc.Application.Features.Observations;

/// <summary>
/// The ledger on SQLite: prepared statements in the batch's transaction (SQLite's write lock is held from the claim to
/// the commit). A few rows look up the value held per row through the one index; past <see cref="BulkAfter"/> rows (or
/// from the first, for a bulk batch) a Bloom filter of fixed size (8 MB) remembers the keys (measure, segment, period)
/// held: only a key it may have seen costs a look-up, so a file of new values is pure inserts, and memory does not grow
/// with the file. Rows are appended through SQLite's own API (SQLitePCL's raw binding, which Microsoft.Data.Sqlite is
/// built on): one prepared statement, bound and stepped per row, with the measure and period texts bound from UTF-8
/// kept per batch — no parameter objects, boxing or per-execution checks for a million rows.
/// </summary>
internal sealed class SqliteLedgerStore : LedgerStore
{
    private const int BulkAfter = 1000;
    private const int FilterBits = 1 << 26;

    private readonly LedgerScorecard _scorecard;
    private readonly LedgerDefinition _definition;
    private readonly string _enteredBy;
    private readonly DateTime _now;
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private const int MaxCachedPeriods = 10_000;

    // New rows of a bulk batch wait here and go in by one statement of this many rows: a statement's start (its
    // cursors opened, the table's end sought for the new row id) is paid once per 50 rows instead of per row.
    private const int RowsPerInsert = 50;
    private readonly LedgerRow[] _waiting = new LedgerRow[RowsPerInsert];
    private int _waitingCount;
    private sqlite3_stmt _insert = null!;
    private sqlite3_stmt _insertMany = null!;
    private byte[]?[] _measureText = [];
    private readonly Dictionary<string, byte[]> _periodText = new(StringComparer.Ordinal);
    private SqliteCommand _find = null!;
    private SqliteParameter _findMeasure = null!, _findSegment = null!, _findPeriod = null!, _findPeriodStart = null!;
    private SqliteCommand _supersede = null!;
    private SqliteParameter _supersedeId = null!, _supersedeReason = null!;
    private SqliteCommand _lastId = null!;
    private ulong[]? _filter;
    private long? _cacheSize;
    private bool _bulk;
    private int _writes;

    public SqliteLedgerStore(OpenBscDbContext db, LedgerScorecard scorecard, LedgerDefinition definition, string enteredBy, DateTime now, bool bulk)
    {
        _scorecard = scorecard;
        _definition = definition;
        _enteredBy = enteredBy;
        _now = now;
        _bulk = bulk;
        _connection = (SqliteConnection)db.Database.GetDbConnection();
        _transaction = (SqliteTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
    }

    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        // What is the same on every row is written into the statement as literals (in the forms EF Core stores:
        // upper-case GUID text, "yyyy-MM-dd HH:mm:ss.FFFFFFF"), so it is bound once when prepared, not per row.
        string values = $"({Literal(_scorecard.OrganisationId)}, {Literal(_scorecard.Id)}, ?, ?, ?, ?, ?, ?, {Literal(_enteredBy)}, {Literal(_now)})";
        const string Into = "INSERT INTO observations (OrganisationId, ScorecardId, MeasureKey, Segment, Period, PeriodStart, Value, Note, EnteredBy, EnteredAt) VALUES ";
        Check(raw.sqlite3_prepare_v2(_connection.Handle, Into + values, out _insert));
        Check(raw.sqlite3_prepare_v2(_connection.Handle, Into + string.Join(", ", Enumerable.Repeat(values, RowsPerInsert)), out _insertMany));
        _measureText = new byte[]?[_definition.Measures.Count];
        _find = Command($"""
            SELECT Id, Value, Note FROM observations
            WHERE ScorecardId = {Literal(_scorecard.Id)} AND MeasureKey = $measure AND PeriodStart = $periodStart AND Period = $period
              AND Segment IS $segment AND SupersededAt IS NULL
            ORDER BY Id DESC LIMIT 1
            """);
        _findMeasure = _find.Parameters.Add("$measure", SqliteType.Text);
        _findSegment = _find.Parameters.Add("$segment", SqliteType.Text);
        _findPeriod = _find.Parameters.Add("$period", SqliteType.Text);
        _findPeriodStart = _find.Parameters.Add("$periodStart", SqliteType.Integer);
        _supersede = Command($"UPDATE observations SET SupersededAt = {Literal(_now)}, SupersededBy = {Literal(_enteredBy)}, CorrectionReason = $reason WHERE Id = $id");
        _supersedeId = _supersede.Parameters.Add("$id", SqliteType.Integer);
        _supersedeReason = _supersede.Parameters.Add("$reason", SqliteType.Text);
        _lastId = Command("SELECT last_insert_rowid()");
        foreach (var command in new[] { _find, _supersede, _lastId })
        {
            command.Prepare();
        }

        if (_bulk)
        {
            StartBulk();
        }

        return Task.CompletedTask;
    }

    public override ValueTask<LedgerWritten> WriteAsync(LedgerRow row, bool wantId, CancellationToken cancellationToken)
    {
        if (!_bulk && ++_writes > BulkAfter)
        {
            StartBulk();
        }

        double? was = null;
        // In bulk, a key the filter has certainly not seen is held by no current row: no look-up.
        bool isNew = _bulk && Set(Key(row));
        if (isNew && !wantId)
        {
            _waiting[_waitingCount++] = row;
            if (_waitingCount == RowsPerInsert)
            {
                InsertWaiting();
            }

            return ValueTask.FromResult(new LedgerWritten(LedgerOutcome.Added, 0, null));
        }

        // A look-up, or an id wanted: the rows waiting go in first, in order.
        InsertWaiting();
        if (!isNew)
        {
            _findMeasure.Value = row.Measure;
            _findSegment.Value = (object?)row.Segment ?? DBNull.Value;
            _findPeriod.Value = row.Period;
            _findPeriodStart.Value = row.PeriodStart;
            long? heldId = null;
            using (var held = _find.ExecuteReader())
            {
                if (held.Read())
                {
                    string? heldNote = held.IsDBNull(2) ? null : held.GetString(2);
                    if (held.GetDouble(1).Equals(row.Value) && heldNote == row.Note)
                    {
                        return ValueTask.FromResult(new LedgerWritten(LedgerOutcome.Unchanged, held.GetInt64(0), null));
                    }

                    heldId = held.GetInt64(0);
                    was = held.GetDouble(1);
                }
            }

            if (heldId is long id)
            {
                _supersedeId.Value = id;
                _supersedeReason.Value = row.Reason;
                _supersede.ExecuteNonQuery();
            }
        }

        Insert(in row);
        long newId = wantId ? (long)_lastId.ExecuteScalar()! : 0;
        return ValueTask.FromResult(new LedgerWritten(was is null ? LedgerOutcome.Added : LedgerOutcome.Corrected, newId, was));
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        InsertWaiting();
        return Task.CompletedTask;
    }

    /// <summary>The rows waiting, by one statement of <see cref="RowsPerInsert"/> rows when that many wait, else one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InsertWaiting()
    {
        if (_waitingCount == RowsPerInsert)
        {
            var stmt = _insertMany;
            for (int i = 0; i < RowsPerInsert; i++)
            {
                Bind(stmt, i * 6, in _waiting[i]);
            }

            Step(stmt);
        }
        else
        {
            for (int i = 0; i < _waitingCount; i++)
            {
                Insert(in _waiting[i]);
            }
        }

        Array.Clear(_waiting, 0, _waitingCount);
        _waitingCount = 0;
    }

    // Called once per row of a million-row import: compiled optimised at once, not run unoptimised while the tiered JIT
    // counts calls (a share of a 1M-row import's calls ran at tier 0 before).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Insert(in LedgerRow row)
    {
        Bind(_insert, 0, in row);
        Step(_insert);
    }

    /// <summary>Binds a row's six values from parameter <paramref name="at"/> + 1 on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Bind(sqlite3_stmt stmt, int at, in LedgerRow row)
    {
        Check(raw.sqlite3_bind_text(stmt, at + 1, MeasureText(row.MeasureIndex, row.Measure)));
        Check(row.Segment is null ? raw.sqlite3_bind_null(stmt, at + 2) : raw.sqlite3_bind_text16(stmt, at + 2, row.Segment.AsSpan()));
        Check(raw.sqlite3_bind_text(stmt, at + 3, PeriodText(row.Period)));
        Check(raw.sqlite3_bind_int64(stmt, at + 4, row.PeriodStart));
        Check(raw.sqlite3_bind_double(stmt, at + 5, row.Value));
        Check(row.Note is null ? raw.sqlite3_bind_null(stmt, at + 6) : raw.sqlite3_bind_text16(stmt, at + 6, row.Note.AsSpan()));
    }

    private void Step(sqlite3_stmt stmt)
    {
        int rc = raw.sqlite3_step(stmt);
        // reset returns the step's error again; the step's code is the one to report.
        raw.sqlite3_reset(stmt);
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc);
        }
    }

    /// <summary>The measure id as UTF-8, kept per measure (a batch names its scorecard's measures over and over).</summary>
    private byte[] MeasureText(int index, string id) =>
        (uint)index < (uint)_measureText.Length
            ? _measureText[index] ??= System.Text.Encoding.UTF8.GetBytes(id)
            : System.Text.Encoding.UTF8.GetBytes(id);

    /// <summary>The period as UTF-8, kept for the first <see cref="MaxCachedPeriods"/> periods of the batch.</summary>
    private byte[] PeriodText(string period)
    {
        if (!_periodText.TryGetValue(period, out var text))
        {
            text = System.Text.Encoding.UTF8.GetBytes(period);
            if (_periodText.Count < MaxCachedPeriods)
            {
                _periodText[period] = text;
            }
        }

        return text;
    }

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
    }

    /// <summary>
    /// From here on, rows go through the filter: it learns the keys held now (those written by this batch so far
    /// included), and the connection gets a larger page cache. Rows for many measures insert at as many places in the
    /// (scorecard, measure, period) index; with the default 2 MB cache those pages were written out and read back for
    /// nearly every row (90,000 pwrite and 87,000 pread calls for 100,000 rows of 1,000 measures). 64 MB holds the hot
    /// pages of ~16,000 measures; it is a bound, not a buffer of the file. Set back when the batch ends (connections are
    /// pooled).
    /// </summary>
    private void StartBulk()
    {
        _bulk = true;
        _filter = new ulong[FilterBits / 64];
        using var command = Command("PRAGMA cache_size");
        _cacheSize = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        command.CommandText = "PRAGMA cache_size = -65536";
        command.ExecuteNonQuery();
        command.CommandText = $"SELECT MeasureKey, Segment, Period FROM observations WHERE ScorecardId = {Literal(_scorecard.Id)} AND SupersededAt IS NULL";
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            // A value of a measure or segment the definition no longer has can never be written again: not needed.
            int measure = _definition.MeasureOf(rows.GetString(0));
            int segment = _definition.SegmentOf(rows.IsDBNull(1) ? null : rows.GetString(1));
            if (measure >= 0 && segment >= -1 && Domain.Periods.Period.TryParse(rows.GetString(2), out var period))
            {
                Set(Key(measure, segment, period));
            }
        }
    }

    public override ValueTask DisposeAsync()
    {
        if (_cacheSize is { } size && _connection.State == System.Data.ConnectionState.Open)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = {size}");
            command.ExecuteNonQuery();
        }

        foreach (var command in new[] { _find, _supersede, _lastId })
        {
            command?.Dispose();
        }

        _insert?.Dispose();
        _insertMany?.Dispose();

        return ValueTask.CompletedTask;
    }

    private static string Literal(Guid id) => Literal(id.ToString().ToUpperInvariant());

    private static string Literal(DateTime at) => Literal(at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    private static ulong Key(LedgerRow row) => Key(row.MeasureIndex, row.SegmentIndex, row.Of);

    private static ulong Key(int measure, int segment, Domain.Periods.Period period)
    {
        ulong key = ((ulong)(uint)measure << 32) ^ ((ulong)(uint)(segment + 1) << 52) ^ ((ulong)period.Kind << 28) ^ ((ulong)(uint)period.Year << 9) ^ (uint)period.Number;
        // SplitMix64's finaliser: spreads the packed fields over all 64 bits.
        key = (key ^ (key >> 30)) * 0xBF58476D1CE4E5B9UL;
        key = (key ^ (key >> 27)) * 0x94D049BB133111EBUL;
        return key ^ (key >> 31);
    }

    /// <summary>Adds the key; true when it was certainly not there before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Set(ulong key)
    {
        var filter = _filter!;
        uint h1 = (uint)key, h2 = (uint)(key >> 32) | 1;
        bool added = false;
        for (uint i = 0; i < 4; i++)
        {
            uint bit = (h1 + i * h2) & (FilterBits - 1);
            ulong mask = 1UL << (int)(bit & 63);
            ref ulong word = ref filter[bit >> 6];
            if ((word & mask) == 0)
            {
                word |= mask;
                added = true;
            }
        }

        return added;
    }
}
