using OpenBsc.Domain.Scorecards;
using CsCheck;
using OpenBsc.Domain.Analytics;

namespace OpenBsc.Domain.Tests.Analytics;

/// <summary>Expected progress and health (Cascade, SCORING.md §7).</summary>
public class ExpectedProgressTests
{
    private static readonly DateOnly Start = new(2026, 1, 1);
    private static readonly DateOnly End = new(2026, 12, 31);

    [Fact]
    public void Evaluate_LinearHalfway_ExpectsHalfTheWay()
    {
        // 2026-01-01 → 2026-12-31 is 364 days; 2026-07-02 is day 182: half the way, expected 50.
        // Actual 40 = progress 0.4 against an expected 0.5: health 0.8.
        var result = ExpectedProgress.Evaluate(0, 100, Start, End, null, new DateOnly(2026, 7, 2), 40);

        Assert.Equal(50, result.Expected, 12);
        Assert.Equal(0.5, result.ExpectedProgress, 12);
        Assert.Equal(0.4, result.ActualProgress!.Value, 12);
        Assert.Equal(0.8, result.Health!.Value, 12);
    }

    [Fact]
    public void Evaluate_LowerIsBetter_MeasuresProgressFromTheBaseline()
    {
        // 100 → 50: halfway expects 75; an actual 80 is progress 0.4, health 0.8.
        var result = ExpectedProgress.Evaluate(100, 50, Start, End, null, new DateOnly(2026, 7, 2), 80);

        Assert.Equal(75, result.Expected, 12);
        Assert.Equal(0.4, result.ActualProgress!.Value, 12);
        Assert.Equal(0.8, result.Health!.Value, 12);
    }

    [Fact]
    public void Evaluate_AfterTheTargetDate_ExpectsTheTarget()
    {
        var result = ExpectedProgress.Evaluate(0, 100, Start, End, null, new DateOnly(2027, 3, 1), 120);

        Assert.Equal(100, result.Expected);
        Assert.Equal(1, result.ExpectedProgress);
        Assert.Equal(1.2, result.Health!.Value, 12);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(5.0, null)]
    [InlineData(-5.0, null)]
    [InlineData(null, null)]
    public void Evaluate_NothingExpectedYet_HealthOneOnlyAtTheBaseline(double? actual, double? health)
    {
        var result = ExpectedProgress.Evaluate(0, 100, Start, End, null, new DateOnly(2025, 11, 1), actual);

        Assert.Equal(0, result.Expected);
        Assert.Equal(0, result.ExpectedProgress);
        Assert.Equal(health, result.Health);
    }

    [Theory]
    [InlineData("2026-02-01", 0)]
    [InlineData("2026-03-31", 20)]
    [InlineData("2026-05-15", 20)]
    [InlineData("2026-06-30", 50)]
    [InlineData("2026-12-30", 50)]
    [InlineData("2026-12-31", 100)]
    public void Evaluate_Milestones_StepOnTheirDates(string at, double expected)
    {
        Milestone[] milestones = [new(new DateOnly(2026, 6, 30), 50), new(new DateOnly(2026, 3, 31), 20)];

        var result = ExpectedProgress.Evaluate(0, 100, Start, End, milestones, DateOnly.Parse(at, System.Globalization.CultureInfo.InvariantCulture), 25);

        Assert.Equal(expected, result.Expected);
    }

    [Fact]
    public void Evaluate_StartEqualsTargetDate_StepsAtThatDate()
    {
        Assert.Equal(0, ExpectedProgress.Evaluate(0, 10, End, End, null, End.AddDays(-1), 0).Expected);
        Assert.Equal(10, ExpectedProgress.Evaluate(0, 10, End, End, null, End, 10).Expected);
    }

    [Fact]
    public void Evaluate_BaselineEqualsTarget_Throws()
    {
        Assert.Throws<ArgumentException>(() => ExpectedProgress.Evaluate(5, 5, Start, End, null, Start, 5));
    }

    [Fact]
    public void Evaluate_TargetDateBeforeStart_Throws()
    {
        Assert.Throws<ArgumentException>(() => ExpectedProgress.Evaluate(0, 5, End, Start, null, Start, 5));
    }

    [Fact]
    public void Evaluate_AnyPlan_NeverNaN()
    {
        var day = Gen.Int[0, 2000].Select(d => new DateOnly(2024, 1, 1).AddDays(d));
        var actual = Gen.OneOf(Gen.Double[-1e6, 1e6].Select(v => (double?)v), Gen.Const((double?)null), Gen.Const((double?)double.NaN));
        Gen.Select(Gen.Double[-1e6, 1e6], Gen.Double[-1e6, 1e6], day, Gen.Int[0, 900], day, actual)
            .Where(s => s.Item1 != s.Item2)
            .Sample((baseline, target, start, length, at, value) =>
            {
                var result = ExpectedProgress.Evaluate(baseline, target, start, start.AddDays(length), null, at, value);

                Assert.True(double.IsFinite(result.Expected) && double.IsFinite(result.ExpectedProgress));
                Assert.InRange(result.ExpectedProgress, 0, 1);
                Assert.True(result.Health is null || double.IsFinite(result.Health.Value));
            });
    }
}
