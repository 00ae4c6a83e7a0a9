using CsCheck;
using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Tests.Analytics;

/// <summary>Least-squares forecasts with an 80% prediction interval (SCORING.md §7), checked against hand computation.</summary>
public class ForecastTests
{
    private static readonly ForecastGoal AtLeast6 = new(Direction.Increase, 6);

    private static List<PeriodValue> Monthly(string first, params double?[] values)
    {
        var period = Period.Parse(first);
        var series = new List<PeriodValue>();
        foreach (double? value in values)
        {
            series.Add(new PeriodValue(period, value));
            period = period.Next();
        }

        return series;
    }

    [Fact]
    public void Project_FourPoints_MatchesHandComputedLeastSquares()
    {
        // x = 0, 1, 2, 3 (2026-01..04), y = 1, 3, 2, 5; target period 2026-06 → x0 = 5.
        // x̄ = 1.5, ȳ = 2.75, Sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5,
        // Sxy = (−1.5)(−1.75) + (−0.5)(0.25) + (0.5)(−0.75) + (1.5)(2.25) = 5.5 → slope 1.1.
        // Fitted 1.1, 2.2, 3.3, 4.4; residuals −0.1, 0.8, −1.3, 0.6; SSE = 0.01 + 0.64 + 1.69 + 0.36 = 2.7.
        // s = √(2.7 / 2) = 1.161895; ŷ0 = 2.75 + 1.1 · 3.5 = 6.6.
        // half width = t(0.90, 2) · s · √(1 + 1/4 + 3.5² / 5) = 1.885618 · 1.161895 · √3.7 = 4.214262.
        var forecast = Forecast.Project(Monthly("2026-01", 1, 3, 2, 5), Period.Parse("2026-06"), AtLeast6);

        Assert.Null(forecast.Reason);
        Assert.Equal(4, forecast.Points);
        Assert.Equal(1.1, forecast.Slope!.Value, 12);
        Assert.Equal(6.6, forecast.Projected!.Value, 12);
        Assert.Equal(6.6 - 4.214262, forecast.Low!.Value, 5);
        Assert.Equal(6.6 + 4.214262, forecast.High!.Value, 5);
        Assert.Equal(6, forecast.Target);
        Assert.True(forecast.OnTrack);
    }

    [Fact]
    public void Project_SixPoints_UsesTFourDegreesOfFreedom()
    {
        // x = 0..5, y = 2, 4, 5, 4, 5, 7; x0 = 7 (2026-08).
        // x̄ = 2.5, ȳ = 4.5, Sxx = 17.5, Sxy = 6.25 + 0.75 − 0.25 − 0.25 + 0.75 + 6.25 = 13.5 → slope 0.771429.
        // SSE = Syy − Sxy²/Sxx = 13.5 − 182.25/17.5 = 3.085714; s = √(3.085714 / 4) = 0.878310.
        // ŷ0 = 4.5 + 0.771429 · 4.5 = 7.971429; half = 1.533206 · 0.878310 · √(1 + 1/6 + 20.25/17.5) = 2.052809.
        var forecast = Forecast.Project(Monthly("2026-01", 2, 4, 5, 4, 5, 7), Period.Parse("2026-08"), new ForecastGoal(Direction.Increase, 8));

        Assert.Equal(13.5 / 17.5, forecast.Slope!.Value, 12);
        Assert.Equal(7.971429, forecast.Projected!.Value, 6);
        Assert.Equal(5.918619, forecast.Low!.Value, 5);
        Assert.Equal(10.024238, forecast.High!.Value, 5);
        Assert.False(forecast.OnTrack);
    }

    [Fact]
    public void Project_Gaps_UseTheTruePeriodOffsets()
    {
        // Values in 2026-01, -02, -04, -05 lie on y = 1 + 2x with x = 0, 1, 3, 4 (March missing). Were the gap
        // closed up (x = 0..3) the slope would be 2.6; with true offsets it is 2, and 2026-07 (x0 = 6) projects 13.
        var forecast = Forecast.Project(Monthly("2026-01", 1, 3, null, 7, 9), Period.Parse("2026-07"), new ForecastGoal(Direction.Increase, 13));

        Assert.Equal(4, forecast.Points);
        Assert.Equal(2, forecast.Slope!.Value, 12);
        Assert.Equal(13, forecast.Projected!.Value, 12);
        Assert.Equal(forecast.Low!.Value, forecast.High!.Value, 9);
        Assert.True(forecast.OnTrack);
    }

    [Fact]
    public void Project_MoreThanWindow_FitsOnlyTheLastEight()
    {
        // Four wild values, then eight on y = 10 + x (2025-05..12): only the last eight count; 2026-01 projects 18.
        var series = Monthly("2025-01", 500, -300, 800, 0, 10, 11, 12, 13, 14, 15, 16, 17);

        var forecast = Forecast.Project(series, Period.Parse("2026-01"), new ForecastGoal(Direction.Increase, 18));

        Assert.Equal(8, forecast.Points);
        Assert.Equal(1, forecast.Slope!.Value, 12);
        Assert.Equal(18, forecast.Projected!.Value, 9);
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(0.1)]
    [InlineData(-1234.567)]
    public void Project_ConstantSeries_SlopeZeroAndNoWidth(double value)
    {
        var forecast = Forecast.Project(Monthly("2026-01", value, value, value, value, value), Period.Parse("2026-12"), new ForecastGoal(Direction.Decrease, value));

        Assert.Equal(0, forecast.Slope);
        Assert.Equal(value, forecast.Projected);
        Assert.Equal(value, forecast.Low);
        Assert.Equal(value, forecast.High);
        Assert.True(forecast.OnTrack);
    }

    [Fact]
    public void Project_ThreeValues_NotEnoughDataAndNoNumbers()
    {
        var forecast = Forecast.Project(Monthly("2026-01", 1, null, 2, 3, null), Period.Parse("2026-12"), AtLeast6);

        Assert.Equal(Forecast.NotEnoughData, forecast.Reason);
        Assert.Equal(3, forecast.Points);
        Assert.Null(forecast.Slope);
        Assert.Null(forecast.Projected);
        Assert.Null(forecast.Low);
        Assert.Null(forecast.High);
        Assert.Null(forecast.OnTrack);
        Assert.Equal(6, forecast.Target);
    }

    [Fact]
    public void Project_EmptySeries_NotEnoughData()
    {
        var forecast = Forecast.Project([], Period.Parse("2026-12"), AtLeast6);

        Assert.Equal(0, forecast.Points);
        Assert.Equal(Forecast.NotEnoughData, forecast.Reason);
    }

    [Fact]
    public void Fit_AllPointsAtOneX_NotEnoughDataNeverNaN()
    {
        var forecast = Forecast.Fit([2, 2, 2, 2], [1, 2, 3, 4], 5, AtLeast6);

        Assert.Equal(Forecast.NotEnoughData, forecast.Reason);
        Assert.Null(forecast.Slope);
    }

    [Theory]
    [InlineData(Direction.Decrease, 9.0, null, null, true)]
    [InlineData(Direction.Decrease, 7.0, null, null, false)]
    [InlineData(Direction.Increase, 8.0, null, null, true)]
    [InlineData(Direction.Increase, 8.5, null, null, false)]
    [InlineData(Direction.Range, null, 7.0, 9.0, true)]
    [InlineData(Direction.Range, null, 8.5, 9.0, false)]
    [InlineData(Direction.Range, null, null, null, null)]
    [InlineData(Direction.Increase, null, null, null, null)]
    public void Project_OnTrack_ByDirection(Direction direction, double? target, double? low, double? high, bool? expected)
    {
        // y = x over 2026-01..04 projects 8 at 2026-09.
        var forecast = Forecast.Project(Monthly("2026-01", 0, 1, 2, 3), Period.Parse("2026-09"), new ForecastGoal(direction, target, low, high));

        Assert.Equal(8, forecast.Projected!.Value, 12);
        Assert.Equal(expected, forecast.OnTrack);
    }

    [Fact]
    public void Project_PeriodOfAnotherKind_Throws()
    {
        Assert.Throws<ArgumentException>(() => Forecast.Project(Monthly("2026-01", 1, 2, 3, 4), Period.Parse("2026-Q4"), AtLeast6));
    }

    [Fact]
    public void Project_AnySeries_NeverNaNAndTheIntervalHoldsTheProjection()
    {
        var values = Gen.OneOf(Gen.Double[-1e6, 1e6].Select(v => (double?)v), Gen.Const((double?)null), Gen.Const((double?)double.NaN), Gen.Const((double?)42));
        Gen.Select(values.Array[0, 14], Gen.Int[0, 24]).Sample((series, ahead) =>
        {
            var forecast = Forecast.Project(Monthly("2025-01", series), Period.Parse("2025-01").Shift(series.Length + ahead), AtLeast6);

            foreach (double? x in new[] { forecast.Slope, forecast.Projected, forecast.Low, forecast.High })
            {
                Assert.True(x is null || double.IsFinite(x.Value), $"{x} is not finite");
            }

            Assert.Equal(forecast.Reason is null, forecast.Projected is not null);
            Assert.Equal(forecast.Reason is null, forecast.Points >= 4);
            if (forecast.Projected is double projected)
            {
                Assert.True(forecast.Low <= projected && projected <= forecast.High);
            }
        });
    }
}
