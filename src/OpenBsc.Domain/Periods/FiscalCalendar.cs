namespace OpenBsc.Domain.Periods;

/// <summary>
/// A fiscal calendar: the month its year starts in (1 = January) and whether a fiscal year is named by
/// the calendar year it ends in (the usual accounting convention, e.g. US federal FY2026 = Oct 2025 – Sep 2026)
/// or the one it starts in. Months, ISO weeks and days are calendar periods; quarters, halves and years are fiscal.
/// </summary>
public readonly record struct FiscalCalendar
{
    public static readonly FiscalCalendar Gregorian = new(1);

    public FiscalCalendar(int yearStartMonth, bool namedByStartYear = false)
    {
        if (yearStartMonth is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(yearStartMonth), yearStartMonth, "A fiscal year starts in a month 1..12.");
        }

        YearStartMonth = yearStartMonth;
        NamedByStartYear = namedByStartYear;
    }

    public int YearStartMonth { get; }

    public bool NamedByStartYear { get; }

    /// <summary>First day of fiscal year <paramref name="fiscalYear"/>.</summary>
    public DateOnly YearStart(int fiscalYear)
    {
        int calendarYear = YearStartMonth == 1 || NamedByStartYear ? fiscalYear : fiscalYear - 1;
        return new DateOnly(calendarYear, YearStartMonth, 1);
    }

    /// <summary>The fiscal year that contains <paramref name="date"/>.</summary>
    public int FiscalYearOf(DateOnly date)
    {
        int startYear = date.Month >= YearStartMonth ? date.Year : date.Year - 1;
        return YearStartMonth == 1 || NamedByStartYear ? startYear : startYear + 1;
    }

    /// <summary>Months elapsed since the start of the fiscal year containing <paramref name="date"/> (0..11).</summary>
    public int FiscalMonthIndex(DateOnly date) => ((date.Month - YearStartMonth) % 12 + 12) % 12;
}
