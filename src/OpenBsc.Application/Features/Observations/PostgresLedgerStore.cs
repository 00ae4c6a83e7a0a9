using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using OpenBsc.Application.Data;

namespace OpenBsc.Application.Features.Observations;

/// <summary>
/// The ledger on PostgreSQL, in the batch's transaction (the scorecard's row lock is held from the claim to the
/// commit). A few rows are looked up, superseded and inserted one by one (the new row's id comes back). Past
/// <see cref="BulkAfter"/> rows (or from the first, for a bulk batch) the values held are read once, new rows are
/// appended in batches by binary COPY (<see cref="ObservationCopy"/>) and the values they replace are superseded by one
/// UPDATE per batch; a cell written twice in the batch keeps the earlier row in the history, written already superseded.
/// <para>A batch opened as bulk keeps one COPY open across its batches of rows (until a value stored before must be
/// superseded, or the commit): the server inserts rows while the client reads and checks the next ones, instead of
/// each side waiting for the other at every batch. Its connection is then busy until the commit; a batch that turns
/// bulk only after <see cref="BulkAfter"/> single writes ends each COPY at its batch's end.</para>
/// </summary>
internal sealed class PostgresLedgerStore(OpenBscDbContext db, LedgerScorecard scorecard, LedgerDefinition definition, string enteredBy, DateTime now, bool bulk) : LedgerStore
{
    private const int BulkAfter = 1000;
    private const int Batch = 10_000;

    private readonly DateTime _now = ObservationCopy.Utc(now);
    private NpgsqlConnection _connection = null!;
    private bool _bulk = bulk;
    private readonly bool _keepCopyOpen = bulk;
    private NpgsqlBinaryImporter? _copy;
    private int _writes;

    // The bulk path: the values held (as of the start of bulk, kept up to date), rows waiting for COPY, the pending row
    // of each cell, and the cells whose stored value the next flush supersedes (with the reason). Cells are keyed by
    // the measure's and segment's places in the definition and the period: no string hashing per row.
    private Dictionary<Cell, (long Id, double Value, string? Note)> _held = null!;
    private readonly List<StoredObservation> _pending = [];
    private readonly Dictionary<Cell, int> _pendingIndex = [];
    private readonly Dictionary<Cell, (string Measure, string? Segment, string Period, int Start, string Reason)> _supersede = [];

    private readonly record struct Cell(int Measure, int Segment, Domain.Periods.Period Period);

    public override async Task OpenAsync(CancellationToken cancellationToken)
    {
        // Open already: the batch runs in a transaction.
        _connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (_bulk)
        {
            await StartBulkAsync(cancellationToken);
        }
    }

    public override async ValueTask<LedgerWritten> WriteAsync(LedgerRow row, bool wantId, CancellationToken cancellationToken)
    {
        if (!_bulk && ++_writes > BulkAfter)
        {
            await StartBulkAsync(cancellationToken);
        }

        return _bulk ? await WriteBulkAsync(row, cancellationToken) : await WriteOneAsync(row, cancellationToken);
    }

    private async Task<LedgerWritten> WriteOneAsync(LedgerRow row, CancellationToken cancellationToken)
    {
        double? was = null;
        await using (var find = Command("""
            SELECT "Id", "Value", "Note" FROM observations
            WHERE "ScorecardId" = @scorecard AND "MeasureKey" = @measure AND "PeriodStart" = @start AND "Period" = @period
              AND "Segment" IS NOT DISTINCT FROM @segment AND "SupersededAt" IS NULL
            ORDER BY "Id" DESC LIMIT 1
            """))
        {
            Key(find, row);
            long? heldId = null;
            await using (var held = await find.ExecuteReaderAsync(cancellationToken))
            {
                if (await held.ReadAsync(cancellationToken))
                {
                    string? heldNote = held.IsDBNull(2) ? null : held.GetString(2);
                    if (held.GetDouble(1).Equals(row.Value) && heldNote == row.Note)
                    {
                        return new LedgerWritten(LedgerOutcome.Unchanged, held.GetInt64(0), null);
                    }

                    heldId = held.GetInt64(0);
                    was = held.GetDouble(1);
                }
            }

            if (heldId is long id)
            {
                await using var supersede = Command("""UPDATE observations SET "SupersededAt" = @at, "SupersededBy" = @by, "CorrectionReason" = @reason WHERE "Id" = @id""");
                supersede.Parameters.AddWithValue("at", NpgsqlDbType.TimestampTz, _now);
                supersede.Parameters.AddWithValue("by", NpgsqlDbType.Varchar, enteredBy);
                supersede.Parameters.AddWithValue("reason", NpgsqlDbType.Varchar, row.Reason);
                supersede.Parameters.AddWithValue("id", NpgsqlDbType.Bigint, id);
                await supersede.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using var insert = Command("""
            INSERT INTO observations ("OrganisationId", "ScorecardId", "MeasureKey", "Segment", "Period", "PeriodStart", "Value", "Note", "EnteredBy", "EnteredAt")
            VALUES (@organisation, @scorecard, @measure, @segment, @period, @start, @value, @note, @by, @at) RETURNING "Id"
            """);
        Key(insert, row);
        insert.Parameters.AddWithValue("organisation", NpgsqlDbType.Uuid, scorecard.OrganisationId);
        insert.Parameters.AddWithValue("value", NpgsqlDbType.Double, row.Value);
        insert.Parameters.AddWithValue("note", NpgsqlDbType.Varchar, (object?)row.Note ?? DBNull.Value);
        insert.Parameters.AddWithValue("by", NpgsqlDbType.Varchar, enteredBy);
        insert.Parameters.AddWithValue("at", NpgsqlDbType.TimestampTz, _now);
        long newId = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        return new LedgerWritten(was is null ? LedgerOutcome.Added : LedgerOutcome.Corrected, newId, was);
    }

    private async ValueTask<LedgerWritten> WriteBulkAsync(LedgerRow row, CancellationToken cancellationToken)
    {
        var key = new Cell(row.MeasureIndex, row.SegmentIndex, row.Of);
        bool isHeld = _held.TryGetValue(key, out var current);
        if (isHeld && current.Value.Equals(row.Value) && current.Note == row.Note)
        {
            return new LedgerWritten(LedgerOutcome.Unchanged, 0, null);
        }

        if (_pendingIndex.TryGetValue(key, out int earlier))
        {
            // Written earlier in this batch and not stored yet: that row goes in already superseded.
            var replaced = _pending[earlier];
            (replaced.SupersededAt, replaced.SupersededBy, replaced.CorrectionReason) = (_now, enteredBy, row.Reason);
        }
        else if (isHeld)
        {
            _supersede[key] = (row.Measure, row.Segment, row.Period, row.PeriodStart, row.Reason);
        }

        _held[key] = (long.MaxValue, row.Value, row.Note);
        _pendingIndex[key] = _pending.Count;
        _pending.Add(new StoredObservation
        {
            OrganisationId = scorecard.OrganisationId,
            ScorecardId = scorecard.Id,
            MeasureKey = row.Measure,
            Segment = row.Segment,
            Period = row.Period,
            PeriodStart = row.PeriodStart,
            Value = row.Value,
            Note = row.Note,
            EnteredBy = enteredBy,
            EnteredAt = _now,
        });
        if (_pending.Count >= Batch)
        {
            await SendAsync(complete: !_keepCopyOpen, cancellationToken);
        }

        return new LedgerWritten(isHeld ? LedgerOutcome.Corrected : LedgerOutcome.Added, 0, isHeld ? current.Value : null);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => SendAsync(complete: true, cancellationToken);

    /// <summary>Supersedes the stored values the pending rows replace, then sends the rows; with <paramref name="complete"/> the COPY ends.</summary>
    private async Task SendAsync(bool complete, CancellationToken cancellationToken)
    {
        if (_supersede.Count > 0)
        {
            // Values stored before this batch of rows are superseded first, so the batch's own rows stay current; the
            // rows sent so far must be in the table for that (a cell corrected again is superseded by its key).
            await CompleteCopyAsync(cancellationToken);
            await using var update = Command("""
                UPDATE observations o SET "SupersededAt" = @at, "SupersededBy" = @by, "CorrectionReason" = k.reason
                FROM unnest(@measures, @segments, @periods, @starts, @reasons) AS k(measure, segment, period, start, reason)
                WHERE o."ScorecardId" = @scorecard AND o."MeasureKey" = k.measure AND o."PeriodStart" = k.start AND o."Period" = k.period
                  AND o."Segment" IS NOT DISTINCT FROM k.segment AND o."SupersededAt" IS NULL
                """);
            update.Parameters.AddWithValue("at", NpgsqlDbType.TimestampTz, _now);
            update.Parameters.AddWithValue("by", NpgsqlDbType.Varchar, enteredBy);
            update.Parameters.AddWithValue("scorecard", NpgsqlDbType.Uuid, scorecard.Id);
            update.Parameters.AddWithValue("measures", NpgsqlDbType.Array | NpgsqlDbType.Text, _supersede.Values.Select(k => k.Measure).ToArray());
            update.Parameters.AddWithValue("segments", NpgsqlDbType.Array | NpgsqlDbType.Text, _supersede.Values.Select(k => k.Segment).ToArray());
            update.Parameters.AddWithValue("periods", NpgsqlDbType.Array | NpgsqlDbType.Text, _supersede.Values.Select(k => k.Period).ToArray());
            update.Parameters.AddWithValue("starts", NpgsqlDbType.Array | NpgsqlDbType.Integer, _supersede.Values.Select(v => v.Start).ToArray());
            update.Parameters.AddWithValue("reasons", NpgsqlDbType.Array | NpgsqlDbType.Text, _supersede.Values.Select(v => v.Reason).ToArray());
            await update.ExecuteNonQueryAsync(cancellationToken);
            _supersede.Clear();
        }

        if (_pending.Count > 0)
        {
            _copy ??= await ObservationCopy.BeginAsync(_connection, keepIds: false, cancellationToken);
            foreach (var row in _pending)
            {
                ObservationCopy.WriteRow(_copy, row, keepIds: false);
            }

            _pending.Clear();
            _pendingIndex.Clear();
        }

        if (complete)
        {
            await CompleteCopyAsync(cancellationToken);
        }
    }

    private async Task CompleteCopyAsync(CancellationToken cancellationToken)
    {
        if (_copy is { } copy)
        {
            _copy = null;
            await using (copy)
            {
                await copy.CompleteAsync(cancellationToken);
            }
        }
    }

    /// <summary>From here on, rows are appended by COPY: the values held now are read once (this batch's so far included).</summary>
    private async Task StartBulkAsync(CancellationToken cancellationToken)
    {
        _bulk = true;
        var held = _held = [];
        await foreach (var o in db.Observations.AsNoTracking()
            .Where(o => o.ScorecardId == scorecard.Id && o.SupersededAt == null)
            .Select(o => new { o.MeasureKey, o.Segment, o.Period, o.Id, o.Value, o.Note })
            .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            // A value of a measure or segment the definition no longer has can never be written again: not needed.
            int measure = definition.MeasureOf(o.MeasureKey), segment = definition.SegmentOf(o.Segment);
            if (measure < 0 || segment < -1 || !Domain.Periods.Period.TryParse(o.Period, out var period))
            {
                continue;
            }

            var key = new Cell(measure, segment, period);
            // The newest row of a cell is its value (ids grow).
            if (!held.TryGetValue(key, out var known) || known.Id < o.Id)
            {
                held[key] = (o.Id, o.Value, o.Note);
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_copy is { } copy)
        {
            // Not completed (no commit): disposing cancels the COPY, and the transaction rolls back.
            _copy = null;
            await copy.DisposeAsync();
        }
    }

    private NpgsqlCommand Command(string sql) => new(sql, _connection);

    private void Key(NpgsqlCommand command, LedgerRow row)
    {
        command.Parameters.AddWithValue("scorecard", NpgsqlDbType.Uuid, scorecard.Id);
        command.Parameters.AddWithValue("measure", NpgsqlDbType.Varchar, row.Measure);
        command.Parameters.AddWithValue("segment", NpgsqlDbType.Varchar, (object?)row.Segment ?? DBNull.Value);
        command.Parameters.AddWithValue("period", NpgsqlDbType.Varchar, row.Period);
        command.Parameters.AddWithValue("start", NpgsqlDbType.Integer, row.PeriodStart);
    }
}
