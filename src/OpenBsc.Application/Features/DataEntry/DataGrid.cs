using System.Globalization;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.DataEntry;

/// <summary>What a grid cell tells beside its value. A cell may carry several (missing and overdue together).</summary>
[Flags]
public enum CellMarks
{
    None = 0,

    /// <summary>The period has ended and the measure has no value for it (neither entered nor inherited).</summary>
    Missing = 1,

    /// <summary>Missing for more than <see cref="DataEntryGrid.OverdueAfterDays"/> days after the period ended.</summary>
    Overdue = 2,

    /// <summary>No value of its own: the shown value is carried forward from an earlier period (the measure's <c>inherit</c>).</summary>
    Inherited = 4,

    /// <summary>A formula measure: the value is calculated and cannot be entered.</summary>
    Calculated = 8,

    /// <summary>The period has not started yet.</summary>
    Future = 16,

    /// <summary>The measure holds values per customer segment: entered by import or the API for now.</summary>
    Segmented = 32,

    /// <summary>The period is in progress (today falls inside it).</summary>
    InProgress = 64,

    /// <summary>The period is closed (docs/reporting-cycle.md): its value is locked until an administrator reopens it.</summary>
    Closed = 128,
}

/// <summary>The value stored for a cell: the current observation row it was read from.</summary>
public sealed record StoredCellValue(long ObservationId, double Value, string? Note, string? EnteredBy, DateTime EnteredAt);

/// <summary>
/// One cell of the grid: the stored value (if any), the value the engine shows (stored, inherited or calculated),
/// the target and status for the period, and its marks.
/// </summary>
public sealed record GridCell(Period Period, StoredCellValue? Stored, double? Shown, double? Target, Status? Status, CellMarks Marks)
{
    /// <summary>The concurrency token a save sends back: the observation row id, or <c>none</c>.</summary>
    public string Base => Stored is { } s ? s.ObservationId.ToString(CultureInfo.InvariantCulture) : DataEntryGrid.NoBase;

    public bool Has(CellMarks mark) => (Marks & mark) == mark;
}

/// <summary>A measure's row: its cells in the order of the section's periods.</summary>
public sealed record GridRow(Measure Measure, string Objective, string? ReadOnlyReason, IReadOnlyList<GridCell> Cells)
{
    public bool ReadOnly => ReadOnlyReason is not null;
}

/// <summary>The measures of one frequency and the periods of that frequency in the range.</summary>
public sealed record GridSection(PeriodKind Frequency, IReadOnlyList<Period> Periods, IReadOnlyList<GridRow> Rows, bool Truncated);

/// <summary>The data-entry grid of a scorecard: measures × periods, grouped by frequency.</summary>
public sealed record DataGrid(
    string ScorecardKey,
    string ScorecardName,
    GridRange Range,
    string? Owner,
    IReadOnlyList<string> Owners,
    DateOnly Today,
    IReadOnlyList<GridSection> Sections);

/// <summary>
/// The days a grid covers: the 12 months up to the current one, or one fiscal year. Each frequency's section
/// shows the periods whose anchor day (first day; an ISO week's Thursday) lies in the range, as the engine places them.
/// </summary>
public sealed record GridRange(string Key, string Label, DateOnly From, DateOnly To)
{
    public const string Last12Months = "last-12-months";

    /// <summary>Daily measures show at most this many days (the latest of the range), so the table stays usable.</summary>
    public const int MaxDays = 31;

    /// <summary>
    /// Reads <paramref name="text"/>: empty or <c>last-12-months</c>, or a fiscal year (<c>2026</c>). Returns false
    /// for anything else (the caller names the accepted forms: <see cref="AcceptedForms"/>).
    /// </summary>
    public static bool TryParse(string? text, DateOnly today, FiscalCalendar calendar, out GridRange range)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == Last12Months)
        {
            var month = Period.Containing(PeriodKind.Month, today, calendar);
            range = new GridRange(Last12Months, "the last 12 months", month.Shift(-11).Start(calendar), month.End(calendar));
            return true;
        }

        if (Period.TryParse(text, out var year) && year.Kind == PeriodKind.Year)
        {
            range = FiscalYear(year.Year, calendar);
            return true;
        }

        range = null!;
        return false;
    }

    public const string AcceptedForms = "last-12-months, or a fiscal year such as 2026";

    public static GridRange FiscalYear(int year, FiscalCalendar calendar)
    {
        var period = Period.FiscalYear(year);
        string label = calendar.YearStartMonth == 1 ? $"the year {year}" : $"fiscal year {year}";
        return new GridRange(period.ToString(), label, period.Start(calendar), period.End(calendar));
    }

    /// <summary>What a range picker offers: the last 12 months, and the previous, current and next fiscal years.</summary>
    public static IReadOnlyList<GridRange> Options(DateOnly today, FiscalCalendar calendar)
    {
        int year = calendar.FiscalYearOf(today);
        TryParse(null, today, calendar, out var last12);
        return [last12, FiscalYear(year, calendar), FiscalYear(year - 1, calendar), FiscalYear(year - 2, calendar), FiscalYear(year + 1, calendar)];
    }

    /// <summary>The periods of <paramref name="kind"/> anchored in the range, oldest first (days: the latest <see cref="MaxDays"/>).</summary>
    public IReadOnlyList<Period> PeriodsOf(PeriodKind kind, FiscalCalendar calendar, out bool truncated)
    {
        var periods = new List<Period>();
        var period = Period.Containing(kind, From, calendar);
        if (period.Anchor(calendar) < From)
        {
            period = period.Next();
        }

        while (period.Anchor(calendar) <= To)
        {
            periods.Add(period);
            period = period.Next();
        }

        truncated = kind == PeriodKind.Day && periods.Count > MaxDays;
        return truncated ? periods[^MaxDays..] : periods;
    }
}
