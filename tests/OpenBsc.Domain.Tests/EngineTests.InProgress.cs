using CsCheck;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Testing;
using static OpenBsc.Testing.ScorecardBuilder;

namespace OpenBsc.Domain.Tests;

/// <summary>Periods in progress, incomplete periods and status at a boundary (docs/scoring.md §3, §5).</summary>
public partial class EngineTests
{
    // Early December 2026: October and November have ended, December has not.
    private static readonly DateOnly EarlyDecember = new(2026, 12, 7);

    private static NodeScore EvaluateOn(ScorecardData data, string period, DateOnly today, bool ytd = false) =>
        ScorecardModel.Build(data).Evaluate(new PeriodView(Period.Parse(period), ytd, today))["m"];

    [Theory]
    [InlineData(Aggregation.Sum, 200)]
    [InlineData(Aggregation.Count, 200)]
    [InlineData(Aggregation.Average, 100)]
    [InlineData(Aggregation.Last, 100)]
    [InlineData(Aggregation.Min, 100)]
    [InlineData(Aggregation.Max, 100)]
    public void Target_QuarterInProgress_SumsCompareWithTheTargetToDate(Aggregation aggregation, double expected)
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 0, 100) with { Aggregation = aggregation })
            .WithMonthly("m", "2026-10", 90, 95).Build();

        var m = EvaluateOn(data, "2026-Q4", EarlyDecember);

        Assert.Equal(expected, m.Target);
        Assert.Equal(new PeriodCoverage(PeriodState.InProgress, 2, 3, 0), m.Coverage);
    }

    [Fact]
    public void Score_QuarterInProgress_RevenueOnCourseIsNotRed()
    {
        // The demo's case: two months of a 1,000-a-month revenue target, 1,889 so far; the whole quarter's 3,000 gave 0 %.
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 800, 1000) with { Aggregation = Aggregation.Sum })
            .WithMonthly("m", "2026-10", 950, 939).Build();

        var m = EvaluateOn(data, "2026-Q4", EarlyDecember);

        Assert.Equal((1889, 2000), (m.Value, m.Target));
        Assert.Equal((1889 - 1600) / 400.0, m.Score!.Value, 12);
        Assert.Equal(Status.Yellow, m.Status);
    }

    [Fact]
    public void Target_PeriodTargetOnly_IsProRatedByElapsedSubPeriods()
    {
        var measure = Measure("m", 0, null) with { Aggregation = Aggregation.Sum, Targets = [new(Period.Parse("2026-Q4"), 3000)] };
        var data = new ScorecardBuilder().WithMeasures(measure).WithMonthly("m", "2026-10", 1000, 900).Build();

        Assert.Equal(2000, EvaluateOn(data, "2026-Q4", EarlyDecember).Target);
        Assert.Equal(3000, EvaluateOn(data, "2026-Q4", new DateOnly(2027, 1, 1)).Target);
    }

    [Fact]
    public void Target_YearToDateInProgress_FollowsTheSameRule()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 0, 100) with { Aggregation = Aggregation.Sum })
            .WithMonthly("m", "2026-01", Enumerable.Repeat(100.0, 11).ToArray()).Build();

        var ytd = EvaluateOn(data, "2026-12", EarlyDecember, ytd: true);
        var year = EvaluateOn(data, "2026", EarlyDecember);

        Assert.Equal((1100, 1100, 1.0), (ytd.Value, ytd.Target, ytd.Score));
        Assert.Equal((1100, 1100, 1.0), (year.Value, year.Target, year.Score));
        Assert.Equal(new PeriodCoverage(PeriodState.InProgress, 11, 12, 0), year.Coverage);
    }

    [Fact]
    public void Target_EarlyValueForASubPeriodNotEnded_BringsItsTargetAlong()
    {
        // A December value entered on the 7th counts, and so does December's target: value and target stay on one basis.
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 0, 100) with { Aggregation = Aggregation.Sum })
            .WithMonthly("m", "2026-10", 100, 100, 100).Build();

        var m = EvaluateOn(data, "2026-Q4", EarlyDecember);

        Assert.Equal((300, 300), (m.Value, m.Target));
    }

    [Fact]
    public void Target_PartialPeriodsFull_KeepsTheWholeTarget()
    {
        var data = new ScorecardBuilder().With(c => c with { PartialPeriods = PartialPeriods.Full })
            .WithMeasures(Measure("m", 0, 100) with { Aggregation = Aggregation.Sum }).WithMonthly("m", "2026-10", 90, 95).Build();

        var m = EvaluateOn(data, "2026-Q4", EarlyDecember);

        Assert.Equal(300, m.Target);
        Assert.Equal(PeriodState.InProgress, m.Coverage.State);
    }

    [Fact]
    public void Coverage_EndedPeriodWithAMissingMonth_IsIncompleteAndKeepsItsFullTarget()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 0, 100) with { Aggregation = Aggregation.Sum })
            .WithObservation("m", "2024-12", 100).Build();

        var m = EvaluateOn(data, "2024", EarlyDecember);

        Assert.Equal((100, 1200), (m.Value, m.Target));
        Assert.Equal(new PeriodCoverage(PeriodState.Ended, 12, 12, 11), m.Coverage);
        Assert.True(m.Coverage.Incomplete);
        Assert.Equal(Status.Red, m.Status);
    }

    [Fact]
    public void Coverage_WithoutToday_EveryPeriodHasEnded()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 0, 100) with { Aggregation = Aggregation.Sum })
            .WithMonthly("m", "2026-10", 90, 95).Build();

        var m = ScorecardModel.Build(data).Evaluate(new PeriodView(Period.Parse("2026-Q4")))["m"];

        Assert.Equal(300, m.Target);
        Assert.Equal(new PeriodCoverage(PeriodState.Ended, 3, 3, 1), m.Coverage);
    }

    [Fact]
    public void Coverage_PeriodNotStarted_IsNotCut()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 0, 100) with { Aggregation = Aggregation.Sum }).Build();

        var m = EvaluateOn(data, "2027-Q1", EarlyDecember);

        Assert.Equal(300, m.Target);
        Assert.Equal(new PeriodCoverage(PeriodState.NotStarted, 0, 3, 0), m.Coverage);
    }

    [Fact]
    public void Coverage_ScorecardNode_CountsMonthsOfTheQuarter()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 0, 100)).WithMonthly("m", "2026-10", 90, 95).Build();

        var root = ScorecardModel.Build(data).Evaluate(new PeriodView(Period.Parse("2026-Q4"), false, EarlyDecember))[0];

        Assert.Equal(new PeriodCoverage(PeriodState.InProgress, 2, 3, 0), root.Coverage);
    }

    [Fact]
    public void Coverage_MonthInProgress_HasNoneElapsed()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 0, 100)).WithMonthly("m", "2026-11", 90).Build();
        var model = ScorecardModel.Build(data);

        Assert.Equal(new PeriodCoverage(PeriodState.InProgress, 0, 1, 0), model.Evaluate(new PeriodView(Period.Parse("2026-12"), false, EarlyDecember))["m"].Coverage);
        Assert.Equal(new PeriodCoverage(PeriodState.Ended, 1, 1, 0), model.Evaluate(new PeriodView(Period.Parse("2026-11"), false, EarlyDecember))["m"].Coverage);
    }

    [Fact]
    public void Target_SegmentedSumInProgress_EachSeriesToDate()
    {
        var measure = Measure("m", 0, 100) with
        {
            Aggregation = Aggregation.Sum,
            Segments = [new SegmentSeries { Segment = "retail" }, new SegmentSeries { Segment = "dealers", Target = 50 }],
        };
        var card = new ScorecardBuilder().WithMeasures(measure)
            .With(c => c with { Segments = [new("retail", "Retail", SegmentKind.Customer), new("dealers", "Dealers", SegmentKind.Partner)] }).Build().Scorecard;
        var data = new ScorecardData(card, [
            new("m", Period.Parse("2026-10"), 100, Segment: "retail"), new("m", Period.Parse("2026-11"), 100, Segment: "retail"),
            new("m", Period.Parse("2026-10"), 50, Segment: "dealers"), new("m", Period.Parse("2026-11"), 50, Segment: "dealers")]);

        var m = EvaluateOn(data, "2026-Q4", EarlyDecember);

        Assert.Equal((300, 300, 1.0), (m.Value, m.Target, m.Score));
    }

    [Fact]
    public void Status_ScoreOneUlpBelowTheThreshold_MeetsIt()
    {
        // Baseline 0, target 144, value 129.6: 129.6 / 144 is 0.8999999999999999 in binary arithmetic; on paper it is 0.9.
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 0, 144)).WithObservation("m", "2026-01", 129.6).Build();

        var m = Evaluate(data)["m"];

        Assert.True(m.Score < 0.9);
        Assert.Equal(Status.Green, m.Status);
    }

    [Fact]
    public void Status_ValueLandingOnABoundary_MeetsTheRuleWhateverTheArithmetic()
    {
        // Thresholds of the default rules (0.9, 0.6) and of Spider's thirds; baselines, targets and the fraction random.
        double[] boundaries = [0.9, 0.6, 1.0 / 3, 2.0 / 3, 0.5, 0.25, 0.75, 0.95];
        var fractions = Gen.Int[0, boundaries.Length - 1].Select(i => boundaries[i]);
        Gen.Select(Gen.Double[-1e6, 1e6], Gen.Double[-1e6, 1e6], fractions, Gen.Bool).Where(x => Math.Abs(x.Item1 - x.Item2) > 1e-3)
            .Sample(sample =>
            {
                var (baseline, target, fraction, monthly) = sample;
                double value = baseline + (fraction * (target - baseline));
                var rules = new StatusRuleSet([
                    new(Status.Green, new(StatusVariable.Score, Comparison.GreaterOrEqual, fraction)),
                    new(Status.Red, null),
                ]);
                // A monthly measure takes the engine's fast path; a weekly one its general path: both must agree.
                var measure = Measure("m", baseline, target) with { Status = rules, Frequency = monthly ? PeriodKind.Month : PeriodKind.Week };
                var data = new ScorecardBuilder().WithMeasures(measure).WithObservation("m", monthly ? "2026-01" : "2026-W02", value).Build();

                var m = ScorecardModel.Build(data).Evaluate(new PeriodView(Period.Parse(monthly ? "2026-01" : "2026-W02")))["m"];

                Assert.True(m.Status == Status.Green, $"b {baseline:R}, t {target:R}, v {value:R}: score {m.Score:R} is {m.Status} under score >= {fraction:R}");
            }, iter: 20_000, seed: "0N0XIzNsQ0O2");
    }

    [Theory]
    [InlineData(0.9, Comparison.GreaterOrEqual, true)]
    [InlineData(0.9, Comparison.Greater, false)]
    [InlineData(0.9, Comparison.LessOrEqual, true)]
    [InlineData(0.9, Comparison.Less, false)]
    [InlineData(0.9, Comparison.Equal, true)]
    [InlineData(0.9001, Comparison.GreaterOrEqual, false)]
    [InlineData(0.9001, Comparison.Less, true)]
    [InlineData(0.8999, Comparison.Greater, true)]
    public void StatusCondition_ComparesTo12SignificantDigits(double threshold, Comparison comparison, bool holds)
    {
        double almost = 0.8999999999999999;

        Assert.Equal(holds, new StatusCondition(StatusVariable.Score, comparison, threshold).Holds(almost));
    }
}
