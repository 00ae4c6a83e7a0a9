using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Testing;
using static OpenBsc.Testing.ScorecardBuilder;

namespace OpenBsc.Domain.Tests;

/// <summary>Periods, aggregation, targets and inheritance of SCORING.md §5.</summary>
public partial class EngineTests
{
    [Theory]
    [InlineData(Aggregation.Sum, 60)]
    [InlineData(Aggregation.Average, 20)]
    [InlineData(Aggregation.Last, 30)]
    [InlineData(Aggregation.Min, 10)]
    [InlineData(Aggregation.Max, 30)]
    [InlineData(Aggregation.Count, 3)]
    public void Value_QuarterOfMonthlyData_AggregatesByMethod(Aggregation aggregation, double expected)
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m") with { Aggregation = aggregation })
            .WithMonthly("m", "2026-01", 10, 20, 30).WithObservation("m", "2026-04", 1000)
            .Build();

        Assert.Equal(expected, Evaluate(data, "2026-Q1")["m"].Value);
    }

    [Theory]
    [InlineData(Aggregation.Sum, 300)]
    [InlineData(Aggregation.Average, 100)]
    [InlineData(Aggregation.Last, 100)]
    [InlineData(Aggregation.Count, 300)]
    public void Target_Quarter_IsTheAggregateOfMonthlyTargets(Aggregation aggregation, double expected)
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 0, 100) with { Aggregation = aggregation })
            .WithMonthly("m", "2026-01", 10, 20, 30).Build();

        Assert.Equal(expected, Evaluate(data, "2026-Q1")["m"].Target);
    }

    [Fact]
    public void Target_PerPeriodTargets_SummedForTheQuarterUnlessSetExplicitly()
    {
        var measure = Measure("m", 0, null) with
        {
            Aggregation = Aggregation.Sum,
            Targets = [new(Period.Parse("2026-01"), 10), new(Period.Parse("2026-02"), 20), new(Period.Parse("2026-03"), 30), new(Period.Parse("2026-Q2"), 90)],
        };
        var data = new ScorecardBuilder().WithMeasures(measure).WithMonthly("m", "2026-01", 10, 20, 30, 40).Build();
        var model = ScorecardModel.Build(data);

        Assert.Equal(60, model.Evaluate(new(Period.Parse("2026-Q1")))["m"].Target);
        Assert.Equal(20, model.Evaluate(new(Period.Parse("2026-02")))["m"].Target);
        Assert.Equal(90, model.Evaluate(new(Period.Parse("2026-Q2")))["m"].Target);
        // A month of Q2 takes its share of the quarter's target, as sums split evenly.
        Assert.Equal(30, model.Evaluate(new(Period.Parse("2026-04")))["m"].Target);
        Assert.Equal(150, model.Evaluate(new(Period.Parse("2026-H1")))["m"].Target);
    }

    [Fact]
    public void Target_CoarserTargetOfAnAverageMeasure_AppliesToEachMonth()
    {
        var measure = Measure("m", 0, null) with { Targets = [new(Period.Parse("2026-Q1"), 9.5)] };
        var data = new ScorecardBuilder().WithMeasures(measure).WithObservation("m", "2026-02", 9).Build();

        Assert.Equal(9.5, Evaluate(data, "2026-02")["m"].Target);
    }

    [Fact]
    public void Value_ObservationOfTheViewedPeriodItself_WinsOverFinerOnes()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m") with { Aggregation = Aggregation.Sum })
            .WithMonthly("m", "2026-01", 10, 20, 30).WithObservation("m", "2026-Q1", 75)
            .Build();

        Assert.Equal(75, Evaluate(data, "2026-Q1")["m"].Value);
    }

    [Fact]
    public void Value_FinerViewOfAQuarterlyMeasure_ShowsItsQuarter()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m") with { Frequency = PeriodKind.Quarter })
            .WithObservation("m", "2026-Q1", 42).Build();

        Assert.Equal(42, Evaluate(data, "2026-02")["m"].Value);
    }

    [Fact]
    public void Value_Correction_SupersedesTheEarlierObservation()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m"))
            .WithObservation("m", "2026-01", 10).WithObservation("m", "2026-01", 12).Build();
        var model = ScorecardModel.Build(data);

        Assert.Equal(12, model.Evaluate(Jan)["m"].Value);
        Assert.Equal(1, model.ObservationCount);
    }

    [Fact]
    public void Value_WeeklyDataInAMonth_CountsWeeksByTheirThursday()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m") with { Frequency = PeriodKind.Week, Aggregation = Aggregation.Sum })
            .WithObservation("m", "2026-W05", 1)   // Thu 29 Jan
            .WithObservation("m", "2026-W06", 10)  // Thu 5 Feb
            .WithObservation("m", "2026-W09", 100) // Thu 26 Feb
            .Build();

        Assert.Equal(110, Evaluate(data, "2026-02")["m"].Value);
    }

    [Fact]
    public void YearToDate_AggregatesFromFiscalYearStart()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 0, 10) with { Aggregation = Aggregation.Sum })
            .WithMonthly("m", "2025-12", 100, 1, 2, 3, 4).Build();

        var ytd = Evaluate(data, "2026-03", ytd: true)["m"];

        Assert.Equal(6, ytd.Value);
        Assert.Equal(30, ytd.Target);
    }

    [Fact]
    public void YearToDate_AprilFiscalYear_StartsInApril()
    {
        var data = new ScorecardBuilder().With(c => c with { Calendar = new FiscalCalendar(4) })
            .WithMeasures(Measure("m", 0, 10) with { Aggregation = Aggregation.Sum })
            .WithMonthly("m", "2026-02", 1, 2, 4, 8).Build();

        Assert.Equal(12, Evaluate(data, "2026-05", ytd: true)["m"].Value);
        Assert.Equal(3, Evaluate(data, "2026-03", ytd: true)["m"].Value);
    }

    [Fact]
    public void Inheritance_Off_MissingPeriodIsGray()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m")).WithObservation("m", "2026-01", 50).Build();

        var result = Evaluate(data, "2026-02")["m"];

        Assert.Null(result.Value);
        Assert.Equal(Status.Gray, result.Status);
    }

    [Fact]
    public void Inheritance_On_TakesTheLastEarlierValueAndMarksIt()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m") with { Inherit = 0 }).WithObservation("m", "2026-01", 50).Build();

        var result = Evaluate(data, "2026-04")["m"];

        Assert.Equal(50, result.Value);
        Assert.True(result.Inherited);
        Assert.False(Evaluate(data, "2026-01")["m"].Inherited);
    }

    [Fact]
    public void Inheritance_WithinTwoPeriods_StopsAfterwards()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m") with { Inherit = 2 }).WithObservation("m", "2026-01", 50).Build();

        Assert.Equal(50, Evaluate(data, "2026-03")["m"].Value);
        Assert.Null(Evaluate(data, "2026-04")["m"].Value);
    }

    [Fact]
    public void Inheritance_InACoarserView_FillsEachMissingPeriod()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m") with { Inherit = 0, Aggregation = Aggregation.Sum })
            .WithObservation("m", "2026-01", 10).WithObservation("m", "2026-03", 30).Build();

        var quarter = Evaluate(data, "2026-Q1")["m"];

        Assert.Equal(50, quarter.Value);
        Assert.True(quarter.Inherited);
    }

    [Fact]
    public void Calculated_AggregateInputs_VersusAggregateResults()
    {
        Measure Ratio(string id, FormulaAggregation mode) =>
            Measure(id) with { Formula = "[a] / [b]", FormulaAggregation = mode, Aggregation = Aggregation.Sum };
        var data = new ScorecardBuilder()
            .WithMeasures(
                Measure("a") with { Aggregation = Aggregation.Sum },
                Measure("b") with { Aggregation = Aggregation.Sum },
                Ratio("inputs", FormulaAggregation.AggregateInputs),
                Ratio("results", FormulaAggregation.AggregateResults))
            .WithMonthly("a", "2026-01", 1, 3).WithMonthly("b", "2026-01", 2, 4)
            .Build();

        var result = Evaluate(data, "2026-Q1");

        Assert.Equal(4.0 / 6, result["inputs"].Value!.Value, 12);
        Assert.Equal(0.5 + 0.75, result["results"].Value!.Value, 12);
        Assert.Equal(0.5, Evaluate(data, "2026-01")["inputs"].Value!.Value, 12);
    }

    [Fact]
    public void Calculated_NpsFromPromotersAndDetractors()
    {
        var data = new ScorecardBuilder()
            .WithMeasures(Measure("promoters-pct"), Measure("detractors-pct"), Measure("nps", 10, 40) with { Formula = "[promoters-pct] - [detractors-pct]" })
            .WithObservation("promoters-pct", "2026-01", 52).WithObservation("detractors-pct", "2026-01", 12)
            .Build();

        var nps = Evaluate(data)["nps"];

        Assert.Equal(40, nps.Value);
        Assert.Equal(1, nps.Score);
    }

    [Theory]
    [InlineData(MissingInputs.Blank, null)]
    [InlineData(MissingInputs.Zero, 52.0)]
    public void Calculated_MissingInput_BlankOrZero(MissingInputs policy, double? expected)
    {
        var data = new ScorecardBuilder()
            .WithMeasures(Measure("p"), Measure("d"), Measure("nps") with { Formula = "[p] - [d]", MissingInputs = policy })
            .WithObservation("p", "2026-01", 52).Build();

        Assert.Equal(expected, Evaluate(data)["nps"].Value);
    }

    [Fact]
    public void Calculated_DivisionByZero_IsMissingNotInfinity()
    {
        var data = new ScorecardBuilder()
            .WithMeasures(Measure("a"), Measure("b"), Measure("r") with { Formula = "[a] / [b]" })
            .WithObservation("a", "2026-01", 5).WithObservation("b", "2026-01", 0).Build();

        var r = Evaluate(data)["r"];

        Assert.Null(r.Value);
        Assert.Equal(Status.Gray, r.Status);
    }

    [Fact]
    public void Calculated_ChainOfFormulas_EvaluatesInDependencyOrder()
    {
        var data = new ScorecardBuilder()
            .WithMeasures(Measure("total") with { Formula = "[sub] * 2" }, Measure("sub") with { Formula = "[a] + 1" }, Measure("a"))
            .WithObservation("a", "2026-01", 4).Build();

        Assert.Equal(10, Evaluate(data)["total"].Value);
    }

    [Fact]
    public void Measure_PerformanceScale_ScoresOnMinMax()
    {
        var measure = Measure("m", 0, 100) with { Min = 0, Max = 200, Scale = Scale.Performance };
        var data = new ScorecardBuilder().WithMeasures(measure).WithObservation("m", "2026-01", 50).Build();

        var m = Evaluate(data)["m"];

        Assert.Equal(0.5, m.Progress);
        Assert.Equal(0.25, m.Performance);
        Assert.Equal(0.25, m.Score);
    }

    [Fact]
    public void Measure_OnlyMinMax_ProgressEqualsPerformance()
    {
        var measure = Measure("m", null, null) with { Min = 0, Max = 200 };
        var data = new ScorecardBuilder().WithMeasures(measure).WithObservation("m", "2026-01", 50).Build();

        var m = Evaluate(data)["m"];

        Assert.Equal(0.25, m.Progress);
        Assert.Equal(0.25, m.Score);
    }

    [Fact]
    public void Measure_ValueWithoutTarget_IsGrayButShowsTheValue()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 0, null)).WithObservation("m", "2026-01", 7).Build();

        var m = Evaluate(data)["m"];

        Assert.Equal(7, m.Value);
        Assert.Null(m.Score);
        Assert.Equal(Status.Gray, m.Status);
    }

    [Fact]
    public void Sum_QuarterView_ScalesBaselineWithTheTarget()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 100, 200) with { Aggregation = Aggregation.Sum })
            .WithMonthly("m", "2026-01", 150, 150, 150).Build();

        var quarter = Evaluate(data, "2026-Q1")["m"];

        Assert.Equal(450, quarter.Value);
        Assert.Equal(600, quarter.Target);
        Assert.Equal(0.5, quarter.Progress!.Value, 12);
    }

    [Fact]
    public void Sum_QuarterView_ThresholdsStandForEachMonth()
    {
        var measure = Measure("m", null, null) with { Aggregation = Aggregation.Sum, Scoring = new() { Type = ScoringType.Thresholds, Goal = 70, RedFlag = 50 } };
        var data = new ScorecardBuilder().WithMeasures(measure).WithMonthly("m", "2026-01", 60, 60, 60).Build();

        Assert.Equal(0.5, Evaluate(data, "2026-Q1")["m"].Score!.Value, 12);
        Assert.Equal(0.5, Evaluate(data, "2026-02")["m"].Score!.Value, 12);
    }

    [Fact]
    public void Count_MonthView_IsTheNumberOfObservationsNotTheValue()
    {
        // Regression: the month-table fast path once returned the observed value for a count measure.
        var data = new ScorecardBuilder().WithMeasures(Measure("incidents", 0, 4) with { Aggregation = Aggregation.Count })
            .WithMonthly("incidents", "2026-01", 8, 2).Build();

        Assert.Equal(1, Evaluate(data, "2026-01")["incidents"].Value);
        Assert.Equal(2, Evaluate(data, "2026-Q1")["incidents"].Value);
    }
}
