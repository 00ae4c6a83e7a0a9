using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Domain.Tests;

/// <summary>The worked examples of SCORING.md §1–§2.</summary>
public class MeasureScoringTests
{
    [Fact]
    public void Progress_LowerIsBetter_BaselineAboveTarget()
    {
        // b = 100, t = 50, v = 75 → 0.5
        Assert.Equal(0.5, MeasureScoring.Progress(75, 100, 50, Direction.Decrease), 12);
    }

    [Theory]
    [InlineData(Direction.Increase, 0.25)]
    [InlineData(Direction.Decrease, 0.75)]
    public void Performance_ScaleZeroToTwoHundred(Direction direction, double expected)
    {
        // mn = 0, mx = 200, v = 50 → 0.25 when higher is better; (mx − v) / (mx − mn) = 0.75 when lower is better.
        Assert.Equal(expected, MeasureScoring.Performance(50, 0, 200, direction), 12);
    }

    [Theory]
    [InlineData(300, 0)]
    [InlineData(500, 1.0 / 3)]
    [InlineData(600, 0.5)]
    [InlineData(700, 2.0 / 3)]
    [InlineData(900, 1)]
    [InlineData(1200, 1)]
    public void Thresholds_SpiderGoal700RedFlag500(double value, double expected)
    {
        var measure = Linear() with { Scoring = new() { Type = ScoringType.Thresholds, Goal = 700, RedFlag = 500 } };

        Assert.Equal(expected, Score(measure, value, double.NaN), 12);
    }

    [Theory]
    [InlineData(5, 1.0)]
    [InlineData(10, 5.0 / 6)]
    [InlineData(15, 2.0 / 3)]
    [InlineData(20, 0.5)]
    [InlineData(25, 1.0 / 3)]
    [InlineData(40, 0)]
    public void Thresholds_LowerIsBetter_GoalBelowRedFlag(double value, double expected)
    {
        // G = 15, R = 25: d = −10; R − d = 35 scores 0, 5 scores 1.
        var measure = Linear() with { Scoring = new() { Type = ScoringType.Thresholds, Goal = 15, RedFlag = 25 } };

        Assert.Equal(expected, Score(measure, value, double.NaN), 12);
    }

    [Theory]
    [InlineData(100, 1)]
    [InlineData(95, 1)]
    [InlineData(105, 1)]
    [InlineData(90, 0.5)]
    [InlineData(112, 0.3)]
    [InlineData(85, 0)]
    [InlineData(200, 0)]
    public void Range_FallsLinearlyOutsideTheBand(double value, double expected)
    {
        var measure = Linear() with { Direction = Direction.Range, Scoring = new() { Type = ScoringType.Range, Low = 95, High = 105, Tolerance = 10 } };

        Assert.Equal(expected, Score(measure, value, double.NaN), 12);
    }

    [Fact]
    public void Range_ZeroTolerance_IsAStep()
    {
        var measure = Linear() with { Scoring = new() { Type = ScoringType.Range, Low = 95, High = 105 } };

        Assert.Equal(0, Score(measure, 94.9, double.NaN));
        Assert.Equal(1, Score(measure, 95, double.NaN));
    }

    [Fact]
    public void Ratio_ThirtyOfForty_IsThreeQuarters()
    {
        var measure = Linear() with { Scoring = new() { Type = ScoringType.Ratio } };

        Assert.Equal(0.75, Score(measure, 30, 40), 12);
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(1.5, 1.25)]
    public void Ratio_NineAgainstAtMostTwelve_IsCappedByOverachievement(double cap, double expected)
    {
        var measure = Linear() with { Direction = Direction.Decrease, Scoring = new() { Type = ScoringType.Ratio } };

        Assert.Equal(expected, Score(measure, 9, 12, cap), 12);
    }

    [Theory]
    [InlineData(5, 0)]
    [InlineData(10, 0.8)]
    [InlineData(15, 0.9)]
    [InlineData(20, 1.0)]
    [InlineData(22.5, 1.1)]
    [InlineData(30, 1.2)]
    public void Points_PiecewiseLinear_WithOverachievementAllowed(double value, double expected)
    {
        var measure = Linear() with { Scoring = new() { Type = ScoringType.Points, Points = [new(10, 0.8), new(20, 1.0), new(25, 1.2)] } };

        Assert.Equal(expected, Score(measure, value, double.NaN, cap: 1.2), 12);
    }

    [Fact]
    public void Points_AboveOneWithoutOverachievement_IsCappedAtOne()
    {
        var measure = Linear() with { Scoring = new() { Type = ScoringType.Points, Points = [new(10, 0.8), new(20, 1.0), new(25, 1.2)] } };

        Assert.Equal(1.0, Score(measure, 30, double.NaN));
    }

    [Theory]
    [InlineData(Direction.Increase, 40, 1)]
    [InlineData(Direction.Increase, 39.9, 0)]
    [InlineData(Direction.Decrease, 40, 1)]
    [InlineData(Direction.Decrease, 40.1, 0)]
    public void Binary_MetOrNot(Direction direction, double value, double expected)
    {
        var measure = Linear() with { Direction = direction, Scoring = new() { Type = ScoringType.Binary } };

        Assert.Equal(expected, Score(measure, value, 40));
    }

    [Fact]
    public void Formula_SquaredProgress()
    {
        var measure = Linear() with { Baseline = 0, Scoring = new() { Type = ScoringType.Formula, Expression = "pow((v-b)/(t-b), 2)" } };
        var formula = Formulas.Formula.Parse(measure.Scoring.Expression!);

        double score = MeasureScoring.Score(measure, formula, 50, 100, 0.5, 0.5, 1.0);

        Assert.Equal(0.25, score, 12);
    }

    [Fact]
    public void None_HasNoScore()
    {
        var measure = Linear() with { Scoring = new() { Type = ScoringType.None } };

        Assert.True(double.IsNaN(Score(measure, 50, 100)));
    }

    [Theory]
    [InlineData(150, 1.0, 1.0)]
    [InlineData(150, 1.2, 1.2)]
    [InlineData(110, 1.2, 1.1)]
    [InlineData(-20, 1.2, 0)]
    public void Linear_ClampedToZeroAndCap(double value, double cap, double expected)
    {
        Assert.Equal(expected, Score(Linear(), value, 100, cap), 12);
    }

    [Theory]
    [InlineData(Direction.Increase, 30, 40, 0.75)]
    [InlineData(Direction.Decrease, 9, 12, 1.25)]
    public void Progress_WithoutBaseline_IsPercentOfTarget(Direction direction, double v, double t, double expected)
    {
        Assert.Equal(expected, MeasureScoring.Progress(v, double.NaN, t, direction), 12);
    }

    [Fact]
    public void Progress_BaselineEqualsTarget_IsMissing()
    {
        Assert.True(double.IsNaN(MeasureScoring.Progress(5, 10, 10, Direction.Increase)));
    }

    private static Measure Linear() => new() { Id = "m", Name = "m", Baseline = 0 };

    private static double Score(Measure measure, double v, double t, double cap = 1.0)
    {
        double progress = MeasureScoring.Progress(v, measure.Baseline ?? double.NaN, t, measure.Direction);
        return MeasureScoring.Score(measure, null, v, t, progress, progress, cap);
    }
}
