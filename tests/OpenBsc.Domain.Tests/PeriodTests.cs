using OpenBsc.Domain.Periods;

namespace OpenBsc.Domain.Tests;

public class PeriodTests
{
    [Theory]
    [InlineData("2026", PeriodKind.Year, "2026-01-01", "2026-12-31")]
    [InlineData("2026-H1", PeriodKind.HalfYear, "2026-01-01", "2026-06-30")]
    [InlineData("2026-H2", PeriodKind.HalfYear, "2026-07-01", "2026-12-31")]
    [InlineData("2026-Q1", PeriodKind.Quarter, "2026-01-01", "2026-03-31")]
    [InlineData("2026-Q4", PeriodKind.Quarter, "2026-10-01", "2026-12-31")]
    [InlineData("2026-03", PeriodKind.Month, "2026-03-01", "2026-03-31")]
    [InlineData("2024-02", PeriodKind.Month, "2024-02-01", "2024-02-29")]
    [InlineData("2026-W07", PeriodKind.Week, "2026-02-09", "2026-02-15")]
    [InlineData("2026-W01", PeriodKind.Week, "2025-12-29", "2026-01-04")]
    [InlineData("2026-03-15", PeriodKind.Day, "2026-03-15", "2026-03-15")]
    public void Parse_EveryForm_GivesKindAndDates(string text, PeriodKind kind, string start, string end)
    {
        var period = Period.Parse(text);

        Assert.Equal(kind, period.Kind);
        Assert.Equal(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), period.Start(FiscalCalendar.Gregorian));
        Assert.Equal(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture), period.End(FiscalCalendar.Gregorian));
        Assert.Equal(text, period.ToString());
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-Q5")]
    [InlineData("2026-H3")]
    [InlineData("2026-W54")]
    [InlineData("2026-02-30")]
    [InlineData("26-01")]
    [InlineData("2026/01")]
    [InlineData("")]
    [InlineData("2026-")]
    [InlineData("Q1-2026")]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(Period.TryParse(text, out _));
    }

    [Fact]
    public void Parse_Malformed_MessageNamesTheAcceptedForms()
    {
        var error = Assert.Throws<FormatException>(() => Period.Parse("2026-13"));

        Assert.Contains("'2026-13'", error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-Q1", error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-W07", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-12", "2027-01")]
    [InlineData("2026-Q4", "2027-Q1")]
    [InlineData("2026-H2", "2027-H1")]
    [InlineData("2026", "2027")]
    [InlineData("2026-W53", "2027-W01")]
    [InlineData("2020-W53", "2021-W01")]
    [InlineData("2026-12-31", "2027-01-01")]
    public void Next_CrossesYearBoundaries(string text, string next)
    {
        Assert.Equal(next, Period.Parse(text).Next().ToString());
        Assert.Equal(text, Period.Parse(next).Previous().ToString());
    }

    [Fact]
    public void FiscalCalendar_AprilStart_NamesYearByItsEnd()
    {
        var april = new FiscalCalendar(4);

        Assert.Equal(new DateOnly(2025, 4, 1), Period.Parse("2026-Q1").Start(april));
        Assert.Equal(new DateOnly(2026, 3, 31), Period.Parse("2026").End(april));
        Assert.Equal("2026-Q4", Period.Containing(PeriodKind.Quarter, new DateOnly(2026, 2, 10), april).ToString());
        Assert.Equal("2027-Q1", Period.Containing(PeriodKind.Quarter, new DateOnly(2026, 4, 1), april).ToString());
    }

    [Fact]
    public void FiscalCalendar_NamedByStartYear_StartsInThatYear()
    {
        var april = new FiscalCalendar(4, namedByStartYear: true);

        Assert.Equal(new DateOnly(2026, 4, 1), Period.Parse("2026-Q1").Start(april));
        Assert.Equal("2026-H2", Period.Containing(PeriodKind.HalfYear, new DateOnly(2027, 1, 5), april).ToString());
    }

    [Fact]
    public void Contains_WeekBelongsToTheMonthOfItsThursday()
    {
        // 2026-W05 runs Mon 26 Jan to Sun 1 Feb; its Thursday is 29 Jan.
        var week = Period.Parse("2026-W05");

        Assert.True(Period.Parse("2026-01").Contains(week, FiscalCalendar.Gregorian));
        Assert.False(Period.Parse("2026-02").Contains(week, FiscalCalendar.Gregorian));
        Assert.True(week.Contains(new DateOnly(2026, 2, 1)));
    }

    [Fact]
    public void StepsSince_CountsPeriodsOfTheSameKind()
    {
        Assert.Equal(14, Period.Parse("2027-03").StepsSince(Period.Parse("2026-01")));
        Assert.Equal(5, Period.Parse("2027-Q2").StepsSince(Period.Parse("2026-Q1")));
        Assert.Equal(2, Period.Parse("2026-W02").StepsSince(Period.Parse("2025-W52")));
    }

    [Fact]
    public void CompareTo_OrdersByStartThenFinerFirst()
    {
        var sorted = new[] { "2026-Q1", "2026-02", "2026-01", "2026", "2025-12" }.Select(Period.Parse).Order().Select(p => p.ToString());

        Assert.Equal(["2025-12", "2026-01", "2026-Q1", "2026", "2026-02"], sorted);
    }
}
