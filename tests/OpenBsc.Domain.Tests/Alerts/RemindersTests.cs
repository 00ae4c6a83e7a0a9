using System.Globalization;
using OpenBsc.Domain.Alerts;
using OpenBsc.Domain.Periods;

namespace OpenBsc.Domain.Tests.Alerts;

/// <summary>Reminders before and after a period closes follow the scorecard's fiscal calendar.</summary>
public class RemindersTests
{
    private static DateOnly D(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>The reminders due, as text; by default every period that ended before April 2026 has its value.</summary>
    private static string Due(PeriodKind kind, FiscalCalendar calendar, string today, Func<Period, bool>? hasValue = null) =>
        string.Join(";", Reminders.Due(kind, calendar, D(today), 3, 5, hasValue ?? (p => p.End(calendar) < D("2026-04-01"))).Select(r => $"{r.Kind} {r.Period} {r.PeriodEnd:yyyy-MM-dd}"));

    [Theory]
    // Fiscal year from April, named by the year it ends in: FY2027 Q1 = April–June 2026.
    [InlineData("2026-06-26", "")]
    [InlineData("2026-06-27", "BeforeClose 2027-Q1 2026-06-30")]
    [InlineData("2026-06-30", "BeforeClose 2027-Q1 2026-06-30")]
    [InlineData("2026-07-04", "")]
    [InlineData("2026-07-05", "AfterClose 2027-Q1 2026-06-30")]
    [InlineData("2026-09-28", "BeforeClose 2027-Q2 2026-09-30;AfterClose 2027-Q1 2026-06-30")]
    public void Due_QuarterInAnAprilFiscalYear_ClosesQ1OnThe30thOfJune(string today, string expected) =>
        Assert.Equal(expected, Due(PeriodKind.Quarter, new FiscalCalendar(4), today));

    [Fact]
    public void Due_QuarterInAFebruaryFiscalYear_FollowsTheFiscalNotTheCalendarQuarter()
    {
        // A retail year from February: Q1 = February–April, closing on 30 April; the calendar Q2 ends on 30 June.
        var fiscal = new FiscalCalendar(2);

        Func<Period, bool> none = _ => false;

        Assert.Equal("BeforeClose 2027-Q1 2026-04-30", Due(PeriodKind.Quarter, fiscal, "2026-04-28"));
        Assert.Equal("", Due(PeriodKind.Quarter, FiscalCalendar.Gregorian, "2026-04-28"));
        Assert.Equal("AfterClose 2027-Q1 2026-04-30", Due(PeriodKind.Quarter, fiscal, "2026-05-06", none));
        Assert.Equal("AfterClose 2026-Q1 2026-03-31", Due(PeriodKind.Quarter, FiscalCalendar.Gregorian, "2026-05-06", none));
    }

    [Fact]
    public void Due_HalfYearAndYear_UseTheFiscalYear()
    {
        var july = new FiscalCalendar(7);

        Func<Period, bool> none = _ => false;

        Assert.Equal("BeforeClose 2027-H1 2026-12-31;AfterClose 2026-H2 2026-06-30", Due(PeriodKind.HalfYear, july, "2026-12-29", none));
        Assert.Equal("AfterClose 2026 2026-06-30", Due(PeriodKind.Year, july, "2026-07-06", none));
    }

    [Fact]
    public void Due_PeriodWithAValue_NeedsNoReminder()
    {
        var fiscal = new FiscalCalendar(4);

        Assert.Equal("", Due(PeriodKind.Quarter, fiscal, "2026-06-29", _ => true));
        Assert.Equal("AfterClose 2027-Q1 2026-06-30", Due(PeriodKind.Quarter, fiscal, "2026-09-28", p => p.Number == 2));
    }

    [Fact]
    public void Due_NegativeDays_TurnTheReminderOff() =>
        Assert.Empty(Reminders.Due(PeriodKind.Month, FiscalCalendar.Gregorian, D("2026-06-30"), -1, -1, _ => false));

    [Fact]
    public void Due_Month_RemindsBeforeTheLastDayOfTheMonth() =>
        Assert.Equal("BeforeClose 2026-02 2026-02-28;AfterClose 2026-01 2026-01-31", Due(PeriodKind.Month, FiscalCalendar.Gregorian, "2026-02-25", _ => false));
}
