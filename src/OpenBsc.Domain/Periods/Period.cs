using System.Globalization;

namespace OpenBsc.Domain.Periods;

/// <summary>
/// A reporting period: a day, ISO week, month, fiscal quarter, fiscal half-year or fiscal year.
/// Written as <c>2026-03-15</c>, <c>2026-W07</c>, <c>2026-03</c>, <c>2026-Q1</c>, <c>2026-H1</c>, <c>2026</c>.
/// </summary>
/// <remarks>
/// <see cref="Year"/> is the calendar year for days and months, the ISO week-year for weeks and the fiscal
/// year for quarters, halves and years; <see cref="Number"/> is the day of year, week, month, quarter or half
/// (1 for years). Dates depend on the <see cref="FiscalCalendar"/> only for fiscal kinds.
/// </remarks>
public readonly record struct Period : IComparable<Period>
{
    public const string AcceptedForms = "2026 (year), 2026-H1 (half-year), 2026-Q1 (quarter), 2026-03 (month), 2026-W07 (ISO week) or 2026-03-15 (day)";

    private Period(PeriodKind kind, int year, int number)
    {
        Kind = kind;
        Year = year;
        Number = number;
    }

    public PeriodKind Kind { get; }

    public int Year { get; }

    public int Number { get; }

    public static Period Day(DateOnly date) => new(PeriodKind.Day, date.Year, date.DayOfYear);

    public static Period Week(int isoYear, int week)
    {
        if (isoYear is < 1 or > 9998 || week < 1 || week > ISOWeek.GetWeeksInYear(isoYear))
        {
            throw new ArgumentOutOfRangeException(nameof(week), $"{isoYear}-W{week:00} is not an ISO week.");
        }

        return new(PeriodKind.Week, isoYear, week);
    }

    public static Period Month(int year, int month) => Create(PeriodKind.Month, year, month, 12);

    public static Period Quarter(int fiscalYear, int quarter) => Create(PeriodKind.Quarter, fiscalYear, quarter, 4);

    public static Period Half(int fiscalYear, int half) => Create(PeriodKind.HalfYear, fiscalYear, half, 2);

    public static Period FiscalYear(int fiscalYear) => Create(PeriodKind.Year, fiscalYear, 1, 1);

    private static Period Create(PeriodKind kind, int year, int number, int max)
    {
        if (year is < 2 or > 9998 || number < 1 || number > max)
        {
            throw new ArgumentOutOfRangeException(nameof(number), $"{kind} {year}/{number} is out of range.");
        }

        return new(kind, year, number);
    }

    /// <summary>The period of <paramref name="kind"/> that contains <paramref name="date"/>.</summary>
    public static Period Containing(PeriodKind kind, DateOnly date, FiscalCalendar calendar)
    {
        switch (kind)
        {
            case PeriodKind.Day:
                return Day(date);
            case PeriodKind.Week:
                var dt = date.ToDateTime(TimeOnly.MinValue);
                return new(PeriodKind.Week, ISOWeek.GetYear(dt), ISOWeek.GetWeekOfYear(dt));
            case PeriodKind.Month:
                return new(PeriodKind.Month, date.Year, date.Month);
            default:
                int fiscalYear = calendar.FiscalYearOf(date);
                int monthIndex = calendar.FiscalMonthIndex(date);
                return kind switch
                {
                    PeriodKind.Quarter => new(kind, fiscalYear, monthIndex / 3 + 1),
                    PeriodKind.HalfYear => new(kind, fiscalYear, monthIndex / 6 + 1),
                    _ => new(PeriodKind.Year, fiscalYear, 1),
                };
        }
    }

    /// <summary>First day of the period.</summary>
    public DateOnly Start(FiscalCalendar calendar) => Kind switch
    {
        PeriodKind.Day => new DateOnly(Year, 1, 1).AddDays(Number - 1),
        PeriodKind.Week => DateOnly.FromDateTime(ISOWeek.ToDateTime(Year, Number, DayOfWeek.Monday)),
        PeriodKind.Month => new DateOnly(Year, Number, 1),
        PeriodKind.Quarter => calendar.YearStart(Year).AddMonths(3 * (Number - 1)),
        PeriodKind.HalfYear => calendar.YearStart(Year).AddMonths(6 * (Number - 1)),
        _ => calendar.YearStart(Year),
    };

    /// <summary>Last day of the period (inclusive).</summary>
    public DateOnly End(FiscalCalendar calendar) => Kind switch
    {
        PeriodKind.Day => Start(calendar),
        PeriodKind.Week => Start(calendar).AddDays(6),
        PeriodKind.Month => Start(calendar).AddMonths(1).AddDays(-1),
        PeriodKind.Quarter => Start(calendar).AddMonths(3).AddDays(-1),
        PeriodKind.HalfYear => Start(calendar).AddMonths(6).AddDays(-1),
        _ => Start(calendar).AddMonths(12).AddDays(-1),
    };

    /// <summary>
    /// The day that places this period inside coarser ones: its first day, or the Thursday of an ISO week
    /// (a week belongs to the month, quarter or year that holds its Thursday, as ISO 8601 assigns weeks to years).
    /// </summary>
    public DateOnly Anchor(FiscalCalendar calendar) =>
        Kind == PeriodKind.Week ? Start(calendar).AddDays(3) : Start(calendar);

    /// <summary>Whether <paramref name="date"/> falls within this period.</summary>
    public bool Contains(DateOnly date, FiscalCalendar calendar) => date >= Start(calendar) && date <= End(calendar);

    /// <summary>Whether <paramref name="date"/> falls within this period of the default (January) calendar.</summary>
    public bool Contains(DateOnly date) => Contains(date, FiscalCalendar.Gregorian);

    /// <summary>Whether <paramref name="other"/> is this period or a finer period placed inside it (by its anchor day).</summary>
    public bool Contains(Period other, FiscalCalendar calendar) =>
        other.Kind <= Kind && Contains(other.Anchor(calendar), calendar);

    public Period Next() => Shift(1);

    public Period Previous() => Shift(-1);

    /// <summary>The period <paramref name="count"/> steps later (earlier when negative), of the same kind.</summary>
    public Period Shift(int count)
    {
        switch (Kind)
        {
            case PeriodKind.Day:
                return Day(Start(FiscalCalendar.Gregorian).AddDays(count));
            case PeriodKind.Week:
                var monday = Start(FiscalCalendar.Gregorian).AddDays(7 * count);
                return Containing(PeriodKind.Week, monday, FiscalCalendar.Gregorian);
            default:
                int perYear = PerYear(Kind);
                int index = Year * perYear + (Number - 1) + count;
                return new(Kind, Math.DivRem(index, perYear, out int rem), rem + 1);
        }
    }

    /// <summary>Number of periods of this kind from <paramref name="earlier"/> to this one (negative when later).</summary>
    public int StepsSince(Period earlier)
    {
        if (earlier.Kind != Kind)
        {
            throw new ArgumentException("Periods of different kinds cannot be counted apart.", nameof(earlier));
        }

        return Kind switch
        {
            PeriodKind.Day => Start(FiscalCalendar.Gregorian).DayNumber - earlier.Start(FiscalCalendar.Gregorian).DayNumber,
            PeriodKind.Week => (Start(FiscalCalendar.Gregorian).DayNumber - earlier.Start(FiscalCalendar.Gregorian).DayNumber) / 7,
            _ => (Year - earlier.Year) * PerYear(Kind) + (Number - earlier.Number),
        };
    }

    private static int PerYear(PeriodKind kind) => kind switch
    {
        PeriodKind.Month => 12,
        PeriodKind.Quarter => 4,
        PeriodKind.HalfYear => 2,
        _ => 1,
    };

    public int CompareTo(Period other)
    {
        // Ordered by start (Gregorian), then finer first; stable for sorting mixed kinds.
        int byStart = Start(FiscalCalendar.Gregorian).CompareTo(other.Start(FiscalCalendar.Gregorian));
        return byStart != 0 ? byStart : Kind.CompareTo(other.Kind);
    }

    public static bool operator <(Period left, Period right) => left.CompareTo(right) < 0;

    public static bool operator >(Period left, Period right) => left.CompareTo(right) > 0;

    public static bool operator <=(Period left, Period right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Period left, Period right) => left.CompareTo(right) >= 0;

    public override string ToString() => Kind switch
    {
        PeriodKind.Day => Start(FiscalCalendar.Gregorian).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        PeriodKind.Week => string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-W{Number:00}"),
        PeriodKind.Month => string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-{Number:00}"),
        PeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-Q{Number}"),
        PeriodKind.HalfYear => string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-H{Number}"),
        _ => Year.ToString("0000", CultureInfo.InvariantCulture),
    };

    /// <summary>Parses any of the <see cref="AcceptedForms"/>; throws <see cref="FormatException"/> naming them.</summary>
    public static Period Parse(string text) =>
        TryParse(text, out var period) ? period : throw new FormatException($"'{text}' is not a period: expected {AcceptedForms}.");

    public static bool TryParse(string? text, out Period period)
    {
        period = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim().AsSpan();
        if (s.Length < 4 || !TryDigits(s[..4], out int year) || year < 2 || year > 9998)
        {
            return false;
        }

        if (s.Length == 4)
        {
            period = new(PeriodKind.Year, year, 1);
            return true;
        }

        if (s[4] != '-' || s.Length < 6)
        {
            return false;
        }

        var rest = s[5..];
        char tag = char.ToUpperInvariant(rest[0]);
        if (tag is 'Q' or 'H' or 'W')
        {
            if (!TryDigits(rest[1..], out int n) || rest.Length > 3)
            {
                return false;
            }

            switch (tag)
            {
                case 'Q' when n is >= 1 and <= 4 && rest.Length == 2:
                    period = new(PeriodKind.Quarter, year, n);
                    return true;
                case 'H' when n is 1 or 2 && rest.Length == 2:
                    period = new(PeriodKind.HalfYear, year, n);
                    return true;
                case 'W' when n >= 1 && n <= ISOWeek.GetWeeksInYear(year):
                    period = new(PeriodKind.Week, year, n);
                    return true;
                default:
                    return false;
            }
        }

        if (rest.Length == 2 && TryDigits(rest, out int month) && month is >= 1 and <= 12)
        {
            period = new(PeriodKind.Month, year, month);
            return true;
        }

        if (rest.Length == 5 && rest[2] == '-' && TryDigits(rest[..2], out month) && TryDigits(rest[3..], out int day)
            && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
        {
            period = Day(new DateOnly(year, month, day));
            return true;
        }

        return false;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 4)
        {
            return false;
        }

        foreach (char c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return true;
    }

    /// <summary>Name of a kind as the scorecard file writes it (<c>day</c>, <c>week</c>, <c>month</c>, <c>quarter</c>, <c>half-year</c>, <c>year</c>).</summary>
    public static string KindName(PeriodKind kind) => kind switch
    {
        PeriodKind.Day => "day",
        PeriodKind.Week => "week",
        PeriodKind.Month => "month",
        PeriodKind.Quarter => "quarter",
        PeriodKind.HalfYear => "half-year",
        _ => "year",
    };
}
