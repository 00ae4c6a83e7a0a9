using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Domain.Editing;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Validation;

namespace OpenBsc.Application.Features.Editing;

/// <summary>
/// One stored value of a measure. <see cref="Id"/> identifies this very value (a correction makes a new one), so
/// it serves as the version a corrector must name; superseded values carry who replaced them, when and why.
/// </summary>
public sealed record ObservationRow(
    long Id,
    string Period,
    string? Segment,
    double Value,
    string? Note,
    string? EnteredBy,
    DateTime EnteredAt,
    DateTime? SupersededAt,
    string? SupersededBy,
    string? CorrectionReason);

/// <summary>What writing a value did: the value now current, or why nothing was stored.</summary>
public sealed record ObservationWrite(EditStatus Status, ObservationRow? Current, string? Message, IReadOnlyList<DefinitionError> Errors)
{
    public static ObservationWrite Failed(EditStatus status, string message, ObservationRow? current = null) => new(status, current, message, []);

    public static ObservationWrite Invalid(string path, string message) => new(EditStatus.Invalid, null, message, [new DefinitionError(path, message)]);
}

/// <summary>
/// Reads and writes the observations of one measure: list (paged, by period range, with or without the
/// superseded history), add a value for a period that has none, and correct a value with a reason. Values are
/// append-only: a correction inserts a row and marks the one it replaces superseded. Writes go through the
/// <see cref="ObservationLedger"/> (data stamp, audit entry).
/// </summary>
public sealed class MeasureObservations(IDbContextFactory<OpenBscDbContext> contexts, ObservationLedger ledger)
{
    private sealed record Target(Guid ScorecardId, Guid OrganisationId, FiscalCalendar Calendar, bool Calculated);

    /// <summary>
    /// The values of a measure from period <paramref name="from"/> to <paramref name="to"/> (both included, by start
    /// day), newest period first; null when the scorecard or measure does not exist.
    /// </summary>
    public async Task<Paged<ObservationRow>?> ListAsync(string key, string measure, Period? from, Period? to, bool history, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var target = await TargetAsync(db, key, measure, cancellationToken);
        if (target is null)
        {
            return null;
        }

        var query = db.Observations.AsNoTracking().Where(o => o.ScorecardId == target.ScorecardId && o.MeasureKey == measure);
        if (!history)
        {
            query = query.Where(o => o.SupersededAt == null);
        }

        if (from is { } first)
        {
            int day = first.Start(target.Calendar).DayNumber;
            query = query.Where(o => o.PeriodStart >= day);
        }

        if (to is { } last)
        {
            int day = last.End(target.Calendar).DayNumber;
            query = query.Where(o => o.PeriodStart <= day);
        }

        int total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(o => o.PeriodStart).ThenBy(o => o.Segment).ThenByDescending(o => o.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).Select(Row).ToListAsync(cancellationToken);
        return new Paged<ObservationRow>(items, page, pageSize, total);
    }

    /// <summary>The current value of a measure for a period (and segment), or null.</summary>
    public async Task<ObservationRow?> CurrentAsync(string key, string measure, Period period, string? segment, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string text = period.ToString();
        return await db.Observations.AsNoTracking()
            .Where(o => o.MeasureKey == measure && o.Period == text && o.Segment == segment && o.SupersededAt == null && db.Scorecards.Any(s => s.Id == o.ScorecardId && s.Key == key))
            .Select(Row).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Adds the value for a period that has none yet; a period that has one needs a correction (with a reason).</summary>
    public Task<ObservationWrite> AddAsync(string key, string measure, Period period, double value, string? note, string? segment, string by, CancellationToken cancellationToken = default) =>
        WriteAsync(key, measure, period, segment, value, note, reason: null, expectedId: null, correct: false, by, cancellationToken);

    /// <summary>
    /// Replaces the current value for a period with <paramref name="value"/>, keeping the old one in the history with
    /// <paramref name="reason"/>. <paramref name="expectedId"/> is the id of the value the corrector saw: if another
    /// correction came first, nothing is stored and the result holds the value now current.
    /// </summary>
    public Task<ObservationWrite> CorrectAsync(string key, string measure, Period period, string? segment, double value, string? note, string? reason, long? expectedId, string by, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Task.FromResult(ObservationWrite.Invalid("reason", "a correction needs a reason (why the value was wrong); it is kept with the old value"));
        }

        return WriteAsync(key, measure, period, segment, value, note, reason.Trim(), expectedId, correct: true, by, cancellationToken);
    }

    /// <summary>An addition or a correction through the ledger: the held value is read under the ledger's claim, so the check and the write cannot be overtaken.</summary>
    private async Task<ObservationWrite> WriteAsync(string key, string measure, Period period, string? segment, double value, string? note, string? reason, long? expectedId, bool correct, string by, CancellationToken cancellationToken)
    {
        if (!double.IsFinite(value))
        {
            return ObservationWrite.Invalid("value", "expected a finite number");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var batch = await ledger.OpenAsync(db, key, by, "api", cancellationToken: cancellationToken);
        if (batch is null || ScorecardEdits.FindMeasure(batch.Scorecard.Definition, measure) is null)
        {
            return ObservationWrite.Failed(EditStatus.NotFound, $"There is no measure '{measure}' in scorecard '{key}'.");
        }

        string text = period.ToString();
        var held = await db.Observations.AsNoTracking()
            .Where(o => o.ScorecardId == batch.Scorecard.Id && o.MeasureKey == measure && o.Period == text && o.Segment == segment && o.SupersededAt == null)
            .OrderByDescending(o => o.Id).Select(Row).FirstOrDefaultAsync(cancellationToken);
        if (!correct && held is not null)
        {
            return ObservationWrite.Failed(EditStatus.Conflict, $"'{measure}' already has a value for {text} ({held.Value}); correct it with a reason instead.", held);
        }

        if (correct && held is null)
        {
            return ObservationWrite.Failed(EditStatus.NotFound, $"'{measure}' has no value for {text} to correct; add one instead.");
        }

        if (correct && expectedId is long id && id != held!.Id)
        {
            return ObservationWrite.Failed(EditStatus.Stale, $"The value of '{measure}' for {text} was corrected since you read it: it is now {held.Value} (entered by {held.EnteredBy}). Nothing was stored.", held);
        }

        var write = await batch.WriteAsync([new LedgerEntry(measure, segment, period, value, string.IsNullOrWhiteSpace(note) ? null : note, reason)], outcomes: true, cancellationToken);
        if (write.Refused)
        {
            var errors = write.Problems.Select(p => new DefinitionError(p.Field, p.Message)).ToList();
            return new ObservationWrite(EditStatus.Invalid, null, errors[0].Message, errors);
        }

        await batch.CommitAsync(cancellationToken);
        var written = write.Written[0];
        // The same value and note again: nothing new was stored, the value held stays current.
        return new ObservationWrite(EditStatus.Saved, written.Outcome == LedgerOutcome.Unchanged ? held : await db.Observations.AsNoTracking().Where(o => o.Id == written.Id).Select(Row).SingleAsync(cancellationToken), null, []);
    }

    private static async Task<Target?> TargetAsync(OpenBscDbContext db, string key, string measure, CancellationToken cancellationToken)
    {
        var stored = await db.Scorecards.AsNoTracking().Where(s => s.Key == key).Select(s => new { s.Id, s.OrganisationId, s.Definition }).SingleOrDefaultAsync(cancellationToken);
        if (stored is null)
        {
            return null;
        }

        var card = ScorecardEditor.Parse(stored.Definition, key);
        var found = ScorecardEdits.FindMeasure(card, measure);
        return found is null ? null : new Target(stored.Id, stored.OrganisationId, card.Calendar, found.IsCalculated);
    }

    private static readonly System.Linq.Expressions.Expression<Func<StoredObservation, ObservationRow>> Row =
        o => new ObservationRow(o.Id, o.Period, o.Segment, o.Value, o.Note, o.EnteredBy, o.EnteredAt, o.SupersededAt, o.SupersededBy, o.CorrectionReason);
}
