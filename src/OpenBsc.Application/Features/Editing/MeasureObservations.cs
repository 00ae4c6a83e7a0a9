using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
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
/// append-only: a correction inserts a row and marks the one it replaces superseded. Every write bumps the
/// scorecard's data version in SQL (so concurrent writers never lose a bump and caches see the change).
/// </summary>
public sealed class MeasureObservations(IDbContextFactory<OpenBscDbContext> contexts, TimeProvider clock)
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
    public async Task<ObservationWrite> AddAsync(string key, string measure, Period period, double value, string? note, string? segment, string by, CancellationToken cancellationToken = default)
    {
        if (!double.IsFinite(value))
        {
            return ObservationWrite.Invalid("value", "expected a finite number");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var target = await TargetAsync(db, key, measure, cancellationToken);
        if (target is null)
        {
            return ObservationWrite.Failed(EditStatus.NotFound, $"There is no measure '{measure}' in scorecard '{key}'.");
        }

        if (target.Calculated)
        {
            return ObservationWrite.Invalid("measure", $"'{measure}' is a calculated measure; it takes no observations");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        string text = period.ToString();
        var held = await db.Observations.AsNoTracking()
            .Where(o => o.ScorecardId == target.ScorecardId && o.MeasureKey == measure && o.Period == text && o.Segment == segment && o.SupersededAt == null)
            .Select(Row).SingleOrDefaultAsync(cancellationToken);
        if (held is not null)
        {
            return ObservationWrite.Failed(EditStatus.Conflict, $"'{measure}' already has a value for {text} ({held.Value}); correct it with a reason instead.", held);
        }

        var row = NewRow(target, measure, period, value, note, segment, by);
        db.Observations.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await BumpAsync(db, target.ScorecardId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ObservationWrite(EditStatus.Saved, ToRow(row), null, []);
    }

    /// <summary>
    /// Replaces the current value for a period with <paramref name="value"/>, keeping the old one in the history with
    /// <paramref name="reason"/>. <paramref name="expectedId"/> is the id of the value the corrector saw: if another
    /// correction came first, nothing is stored and the result holds the value now current.
    /// </summary>
    public async Task<ObservationWrite> CorrectAsync(string key, string measure, Period period, string? segment, double value, string? note, string? reason, long? expectedId, string by, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return ObservationWrite.Invalid("reason", "a correction needs a reason (why the value was wrong); it is kept with the old value");
        }

        if (!double.IsFinite(value))
        {
            return ObservationWrite.Invalid("value", "expected a finite number");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var target = await TargetAsync(db, key, measure, cancellationToken);
        if (target is null)
        {
            return ObservationWrite.Failed(EditStatus.NotFound, $"There is no measure '{measure}' in scorecard '{key}'.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        string text = period.ToString();
        var held = await db.Observations
            .Where(o => o.ScorecardId == target.ScorecardId && o.MeasureKey == measure && o.Period == text && o.Segment == segment && o.SupersededAt == null)
            .SingleOrDefaultAsync(cancellationToken);
        if (held is null)
        {
            return ObservationWrite.Failed(EditStatus.NotFound, $"'{measure}' has no value for {text} to correct; add one instead.");
        }

        if (expectedId is long id && id != held.Id)
        {
            return ObservationWrite.Failed(EditStatus.Stale, $"The value of '{measure}' for {text} was corrected since you read it: it is now {held.Value} (entered by {held.EnteredBy}). Nothing was stored.", ToRow(held));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        held.SupersededAt = now;
        held.SupersededBy = by;
        held.CorrectionReason = reason.Trim();
        var row = NewRow(target, measure, period, value, note, segment, by);
        db.Observations.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await BumpAsync(db, target.ScorecardId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ObservationWrite(EditStatus.Saved, ToRow(row), null, []);
    }

    private StoredObservation NewRow(Target target, string measure, Period period, double value, string? note, string? segment, string by) => new()
    {
        OrganisationId = target.OrganisationId,
        ScorecardId = target.ScorecardId,
        MeasureKey = measure,
        Segment = segment,
        Period = period.ToString(),
        PeriodStart = period.Start(target.Calendar).DayNumber,
        Value = value,
        Note = string.IsNullOrWhiteSpace(note) ? null : note,
        EnteredBy = by,
        EnteredAt = clock.GetUtcNow().UtcDateTime,
    };

    private static Task<int> BumpAsync(OpenBscDbContext db, Guid scorecardId, CancellationToken cancellationToken) =>
        db.Scorecards.Where(s => s.Id == scorecardId).ExecuteUpdateAsync(s => s.SetProperty(x => x.DataVersion, x => x.DataVersion + 1), cancellationToken);

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

    private static ObservationRow ToRow(StoredObservation o) =>
        new(o.Id, o.Period, o.Segment, o.Value, o.Note, o.EnteredBy, o.EnteredAt, o.SupersededAt, o.SupersededBy, o.CorrectionReason);
}
