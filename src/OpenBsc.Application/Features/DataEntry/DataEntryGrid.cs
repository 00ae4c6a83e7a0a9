using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.DataEntry;

/// <summary>
/// Data entry: reads a scorecard's grid of measures × periods (targets, inherited and calculated values from the
/// engine; stored values with the row each came from) and saves a batch of cell changes in one transaction, all or
/// nothing, with corrections kept in the history and concurrent writes refused as conflicts.
/// </summary>
public sealed class DataEntryGrid(IDbContextFactory<OpenBscDbContext> contexts, ScorecardSnapshots snapshots, ObservationLedger ledger, TimeProvider clock, Organisations.OrganisationClock organisationClock)
{
    /// <summary>
    /// A period without a value becomes overdue this many days after it ends: about two weeks is the usual
    /// month-end close, so a monthly value due at the close is not flagged the day after the month ends.
    /// </summary>
    public const int OverdueAfterDays = 15;

    /// <summary>The base of a cell that had no stored value when it was read.</summary>
    public const string NoBase = "none";

    public const int MaxNoteLength = 2000;


    /// <summary>The grid of scorecard <paramref name="key"/> for <paramref name="range"/>, or null when there is no such scorecard.</summary>
    /// <param name="key">The scorecard's id.</param>
    /// <param name="range">The days shown (see <see cref="GridRange"/>).</param>
    /// <param name="owner">Only the measures this owner owns (case-insensitive); all measures when null or blank.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<DataGrid?> ReadAsync(string key, GridRange range, string? owner, CancellationToken cancellationToken = default)
    {
        var snapshot = await snapshots.GetAsync(key, cancellationToken);
        if (snapshot is null)
        {
            return null;
        }

        var card = snapshot.Scorecard;
        var calendar = card.Calendar;
        owner = string.IsNullOrWhiteSpace(owner) ? null : owner.Trim();
        var rows = MeasuresWithObjective(card)
            .Where(m => owner is null || string.Equals(m.Measure.Owner, owner, StringComparison.OrdinalIgnoreCase))
            .ToList();

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored0 = await db.Scorecards.AsNoTracking().Where(s => s.Key == key).Select(s => new { s.Id, s.OrganisationId }).SingleAsync(cancellationToken);
        var scorecardId = stored0.Id;
        // Overdue and in-progress periods follow the organisation's day (its time zone).
        var today = await organisationClock.TodayAsync(stored0.OrganisationId, cancellationToken);
        var lockedThrough = await ReportingCycle.PeriodCloses.LockedThroughAsync(db, scorecardId, cancellationToken);
        var measureKeys = rows.Select(r => r.Measure.Id).ToList();
        // Weeks anchored in the range may start up to three days before it.
        int first = range.From.DayNumber - 7, last = range.To.DayNumber;
        var stored = (await db.Observations.AsNoTracking()
                .Where(o => o.ScorecardId == scorecardId && o.SupersededAt == null && o.Segment == null
                    && measureKeys.Contains(o.MeasureKey) && o.PeriodStart >= first && o.PeriodStart <= last)
                .Select(o => new { o.Id, o.MeasureKey, o.Period, o.Value, o.Note, o.EnteredBy, o.EnteredAt })
                .ToListAsync(cancellationToken))
            .ToDictionary(o => (o.MeasureKey, o.Period), o => new StoredCellValue(o.Id, o.Value, o.Note, o.EnteredBy, o.EnteredAt));
        var segmented = card.AllMeasures().Where(m => m.IsSegmented).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);

        var nodeOf = snapshot.Model.Nodes
            .Where(n => n.Kind == NodeKind.Measure && n.ScorecardId == card.Id)
            .GroupBy(n => n.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Index, StringComparer.Ordinal);
        var sections = new List<GridSection>();
        foreach (var group in rows.GroupBy(r => r.Measure.Frequency).OrderBy(g => g.Key))
        {
            var periods = range.PeriodsOf(group.Key, calendar, out bool truncated);
            var evaluations = periods.Select(p => snapshot.Evaluate(new PeriodView(p))).ToList();
            var sectionRows = new List<GridRow>();
            foreach (var (measure, objective) in group)
            {
                string? readOnly = measure.IsCalculated
                    ? "calculated from its formula: enter its inputs instead"
                    : segmented.Contains(measure.Id) ? "tracked per customer segment: enter each segment's values by import (a segment column) or the API" : null;
                var cells = new List<GridCell>(periods.Count);
                for (int i = 0; i < periods.Count; i++)
                {
                    var period = periods[i];
                    NodeScore? score = nodeOf.TryGetValue(measure.Id, out int node) ? evaluations[i][node] : null;
                    var value = stored.GetValueOrDefault((measure.Id, period.ToString()));
                    cells.Add(Cell(measure, period, value, score, segmented.Contains(measure.Id), calendar, today, lockedThrough));
                }

                sectionRows.Add(new GridRow(measure, objective, readOnly, cells));
            }

            sections.Add(new GridSection(group.Key, periods, sectionRows, truncated));
        }

        var owners = card.AllMeasures().Select(m => m.Owner).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return new DataGrid(card.Id, card.Name, range, owner, owners, today, sections);
    }

    private static GridCell Cell(Measure measure, Period period, StoredCellValue? stored, NodeScore? score, bool segmented, FiscalCalendar calendar, DateOnly today, DateOnly? lockedThrough)
    {
        var marks = CellMarks.None;
        var start = period.Start(calendar);
        var end = period.End(calendar);
        // The same test as the ledger's lock: a period ending on or before the last closed day takes no value.
        bool closed = end <= lockedThrough;
        if (closed)
        {
            marks |= CellMarks.Closed;
        }
        if (start > today)
        {
            marks |= CellMarks.Future;
        }
        else if (end >= today)
        {
            marks |= CellMarks.InProgress;
        }

        bool inherited = stored is null && score is { Inherited: true, Value: not null };
        if (measure.IsCalculated)
        {
            marks |= CellMarks.Calculated;
        }
        else if (segmented)
        {
            marks |= CellMarks.Segmented;
        }
        else if (inherited)
        {
            marks |= CellMarks.Inherited;
        }
        else if (stored is null && end < today)
        {
            // An inherited value counts as the period's value (that is what inheritance is for), so it is not missing.
            marks |= CellMarks.Missing;
            if (!closed && today.DayNumber - end.DayNumber > OverdueAfterDays)
            {
                marks |= CellMarks.Overdue;
            }
        }

        double? shown = stored?.Value ?? score?.Value;
        return new GridCell(period, stored, shown, score?.Target ?? TargetOf(measure, period), score?.Status, marks);
    }

    /// <summary>The target set for the period, for a measure the engine does not place in the tree.</summary>
    private static double? TargetOf(Measure measure, Period period) =>
        measure.Targets.Where(t => t.Period == period).Select(t => (double?)t.Value).FirstOrDefault() ?? measure.Target;

    private static IEnumerable<(Measure Measure, string Objective)> MeasuresWithObjective(Scorecard card) =>
        card.AllObjectives().SelectMany(o => o.Measures.Select(m => (m, o.Name)))
            .DistinctBy(x => x.m.Id, StringComparer.Ordinal);

    /// <summary>
    /// Saves the changed cells of <paramref name="edits"/> in one transaction, all or nothing. A value in an empty
    /// cell is added; a different value in a cell that had one is a correction: it needs a reason, and the earlier
    /// row stays in the history (superseded, with who, when and why). A cell someone else wrote since it was read
    /// (its current row is not <see cref="CellEdit.Base"/>) is a conflict, unless they wrote what this user wants.
    /// The scorecard's data version is bumped once when anything is stored. Returns null when there is no such scorecard.
    /// </summary>
    /// <param name="key">The scorecard.</param>
    /// <param name="edits">The changed cells.</param>
    /// <param name="enteredBy">The signed-in user, kept with every value.</param>
    /// <param name="mayWrite">Which measures the user may enter (a data updater: those they own); null = all.</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    public async Task<GridSaveResult?> SaveAsync(string key, IReadOnlyList<CellEdit> edits, string enteredBy, Func<Measure, bool>? mayWrite = null, CancellationToken cancellationToken = default)
    {
        var snapshot = await snapshots.GetAsync(key, cancellationToken);
        if (snapshot is null)
        {
            return null;
        }

        var card = snapshot.Scorecard;
        var measures = card.AllMeasures().DistinctBy(m => m.Id, StringComparer.Ordinal).ToDictionary(m => m.Id, StringComparer.Ordinal);
        var problems = new List<CellProblem>();
        var cells = new List<ParsedEdit>();
        var seen = new HashSet<(string, string)>();
        foreach (var edit in edits)
        {
            if (mayWrite is not null && measures.TryGetValue(edit.Measure, out var target) && !mayWrite(target))
            {
                problems.Add(new CellProblem(edit.Measure, edit.Period, "measure", "you may enter data only for the measures you own (the measure's owner is another person)"));
                continue;
            }

            if (Parse(edit, measures, problems) is { } parsed)
            {
                if (!seen.Add((parsed.Measure.Id, parsed.PeriodText)))
                {
                    problems.Add(new CellProblem(edit.Measure, edit.Period, "period", "this cell appears twice in the batch: send each cell once"));
                    continue;
                }

                cells.Add(parsed);
            }
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The ledger's claim first: concurrent batches for the same scorecard run one after the other on every
        // provider, so the second sees the first one's rows.
        await using var batch = await ledger.OpenAsync(db, key, enteredBy, "grid", cancellationToken: cancellationToken);
        if (batch is null)
        {
            return null;
        }

        var result = await ApplyAsync(db, batch, cells, problems.Count == 0, cancellationToken);
        if (problems.Count > 0)
        {
            // Every problem of the batch at once, in the order of the cells sent.
            var order = edits.Select((e, i) => (Key: (e.Measure ?? "", e.Period ?? ""), i)).DistinctBy(x => x.Key).ToDictionary(x => x.Key, x => x.i);
            result = result with { Saved = [], Unchanged = 0, Problems = [.. problems.Concat(result.Problems).OrderBy(p => order.GetValueOrDefault((p.Measure, p.Period)))] };
        }

        if (result.Succeeded && result.Saved.Count > 0)
        {
            await batch.CommitAsync(cancellationToken);
        }

        // Otherwise nothing to store, or refused: disposing the batch rolls it back.
        return result;
    }

    private sealed record ParsedEdit(CellEdit Edit, Measure Measure, Period Period, string PeriodText, double? Value, string? Note, string? Reason, long? Base);

    private static ParsedEdit? Parse(CellEdit edit, Dictionary<string, Measure> measures, List<CellProblem> problems)
    {
        int before = problems.Count;
        // Records built from JSON may hold nulls despite the annotations.
        void Problem(string field, string message) => problems.Add(new CellProblem(edit.Measure ?? "", edit.Period ?? "", field, message));

        if (!measures.TryGetValue(edit.Measure ?? "", out var measure))
        {
            Problem("measure", $"there is no measure '{edit.Measure}' in this scorecard");
            return null;
        }

        if (measure.IsCalculated)
        {
            Problem("measure", $"{measure.Name} is calculated from its formula ({measure.Formula}): it cannot be entered, enter its inputs instead");
            return null;
        }

        if (!Period.TryParse(edit.Period, out var period))
        {
            Problem("period", $"expected {Period.AcceptedForms}");
            return null;
        }

        if (period.Kind != measure.Frequency)
        {
            Problem("period", $"{measure.Name} is entered by {Period.KindName(measure.Frequency)}: expected a {Period.KindName(measure.Frequency)} period, not a {Period.KindName(period.Kind)}");
        }

        double? value = null;
        string text = edit.Value?.Trim() ?? "";
        if (text.Length > 0)
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number))
            {
                value = number;
            }
            else
            {
                Problem("value", $"'{text}' is not a number: expected digits with a point for decimals, e.g. 12.5");
            }
        }

        string? note = string.IsNullOrWhiteSpace(edit.Note) ? null : edit.Note.Trim();
        string? reason = string.IsNullOrWhiteSpace(edit.Reason) ? null : edit.Reason.Trim();
        if (note?.Length > MaxNoteLength)
        {
            Problem("note", $"the comment is {note.Length} characters: at most {MaxNoteLength}");
        }

        if (reason?.Length > MaxNoteLength)
        {
            Problem("reason", $"the reason is {reason.Length} characters: at most {MaxNoteLength}");
        }

        long? baseId = null;
        string baseText = edit.Base?.Trim() ?? "";
        if (baseText.Length > 0 && baseText != NoBase)
        {
            if (long.TryParse(baseText, NumberStyles.None, CultureInfo.InvariantCulture, out long id))
            {
                baseId = id;
            }
            else
            {
                Problem("base", $"expected the id of the observation the cell was read from, or '{NoBase}'");
            }
        }

        return problems.Count > before ? null : new ParsedEdit(edit, measure, period, period.ToString(), value, note, reason, baseId);
    }

    private async Task<GridSaveResult> ApplyAsync(OpenBscDbContext db, LedgerBatch batch, List<ParsedEdit> cells, bool store, CancellationToken cancellationToken)
    {
        var scorecardId = batch.Scorecard.Id;
        var measureKeys = cells.Select(c => c.Measure.Id).Distinct().ToList();
        var baseIds = cells.Select(c => c.Base).OfType<long>().ToList();
        var current = await db.Observations.AsNoTracking()
            .Where(o => o.ScorecardId == scorecardId && o.SupersededAt == null && o.Segment == null && measureKeys.Contains(o.MeasureKey))
            .ToListAsync(cancellationToken);
        var byCell = current.GroupBy(o => (o.MeasureKey, o.Period)).ToDictionary(g => g.Key, g => g.MaxBy(o => o.Id)!);
        var read = await db.Observations.AsNoTracking()
            .Where(o => o.ScorecardId == scorecardId && baseIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, cancellationToken);

        var problems = new List<CellProblem>();
        var conflicts = new List<CellConflict>();
        var changes = new List<(ParsedEdit Cell, StoredObservation? Held)>();
        int unchanged = 0;
        foreach (var cell in cells)
        {
            void Problem(string field, string message) => problems.Add(new CellProblem(cell.Edit.Measure, cell.Edit.Period, field, message));

            if (cell.Measure.IsSegmented)
            {
                Problem("measure", $"{cell.Measure.Name} is tracked per customer segment: enter each segment's values by import (a segment column) or the API");
                continue;
            }

            // What the user saw when the cell was read.
            StoredObservation? seen = null;
            if (cell.Base is long id)
            {
                if (!read.TryGetValue(id, out seen) || seen.MeasureKey != cell.Measure.Id || seen.Period != cell.PeriodText || seen.Segment is not null)
                {
                    Problem("base", $"observation {id} is not a value of this cell: reload the grid");
                    continue;
                }
            }

            if (Same(seen, cell))
            {
                unchanged++;
                continue;
            }

            if (cell.Value is null)
            {
                Problem("value", seen is null
                    ? "a comment needs a value: enter the number too"
                    : $"expected a number: a value cannot be removed here, only corrected (it was {Number(seen.Value)})");
                continue;
            }

            byCell.TryGetValue((cell.Measure.Id, cell.PeriodText), out var held);
            if (held?.Id != cell.Base)
            {
                // Someone else wrote the cell after it was read. Writing what they wrote is no conflict (e.g. the same form sent twice).
                if (Same(held, cell))
                {
                    unchanged++;
                    continue;
                }

                conflicts.Add(held is null
                    ? new CellConflict(cell.Measure.Id, cell.PeriodText, 0, double.NaN, null, null, clock.GetUtcNow().UtcDateTime)
                    : new CellConflict(cell.Measure.Id, cell.PeriodText, held.Id, held.Value, held.Note, held.EnteredBy, held.EnteredAt));
                continue;
            }

            if (held is not null && !held.Value.Equals(cell.Value) && cell.Reason is null)
            {
                Problem("reason", $"changing {Number(held.Value)} to {Number(cell.Value.Value)} is a correction: give a reason (it stays in the history)");
                continue;
            }

            changes.Add((cell, held));
        }

        if (problems.Count > 0 || conflicts.Count > 0 || !store)
        {
            return new GridSaveResult([], unchanged, problems, conflicts);
        }

        var entries = changes.Select(c => new LedgerEntry(c.Cell.Measure.Id, null, c.Cell.Period, c.Cell.Value!.Value, c.Cell.Note, c.Held is null ? null : c.Cell.Reason ?? "comment changed")).ToList();
        var write = await batch.WriteAsync(entries, outcomes: true, cancellationToken);
        if (write.Refused)
        {
            return new GridSaveResult([], unchanged, [.. write.Problems.Select(p => new CellProblem(changes[p.Index].Cell.Edit.Measure, changes[p.Index].Cell.Edit.Period, p.Field, p.Message))], []);
        }

        var saved = changes.Zip(write.Written)
            .Where(x => x.Second.Outcome != LedgerOutcome.Unchanged)
            .Select(x => new SavedCell(x.First.Cell.Measure.Id, x.First.Cell.PeriodText, x.First.Cell.Value!.Value, x.First.Cell.Note, x.Second.Was, x.Second.Id))
            .ToList();
        return new GridSaveResult(saved, unchanged + (changes.Count - saved.Count), [], []);
    }

    /// <summary>Whether the row holds what the cell asks for (no row = an empty cell).</summary>
    private static bool Same(StoredObservation? row, ParsedEdit cell) =>
        row is null ? cell.Value is null && cell.Note is null : row.Value.Equals(cell.Value) && row.Note == cell.Note;

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
