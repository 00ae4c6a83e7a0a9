using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Testing;
using static OpenBsc.Testing.ScorecardBuilder;

namespace OpenBsc.Domain.Tests;

/// <summary>Rollups of SCORING.md §4.</summary>
public partial class EngineTests
{
    private static readonly PeriodView Jan = new(Period.Parse("2026-01"));

    private static ScorecardEvaluation Evaluate(ScorecardData data, string period = "2026-01", bool ytd = false) =>
        ScorecardModel.Build(data).Evaluate(new PeriodView(Period.Parse(period), ytd));

    /// <summary>Measures scored 0..1 by value (baseline 0, target 1), each observed in 2026-01.</summary>
    private static ScorecardBuilder Fractions(params (string Id, double? Value)[] measures)
    {
        var builder = new ScorecardBuilder().WithMeasures([.. measures.Select(m => Measure(m.Id, 0, 1))]);
        foreach (var (id, value) in measures)
        {
            if (value is double v)
            {
                builder.WithObservation(id, "2026-01", v);
            }
        }

        return builder;
    }

    [Fact]
    public void Rollup_BscDesignerWorkedCheck_EqualWeights()
    {
        var data = new ScorecardBuilder()
            .WithPerspective("p",
                Objective("first", Measure("a", 0, 1), Measure("b", 0, 1), Measure("c", 0, 1), Measure("d", 0, 1)),
                Objective("second", Measure("e", 0, 1), Measure("f", 0, 1), Measure("g", 0, 1), Measure("h", 0, 1)))
            .WithObservation("a", "2026-01", 2.0 / 3).WithObservation("b", "2026-01", 0.65)
            .WithObservation("c", "2026-01", 0.65).WithObservation("d", "2026-01", 0.90)
            .WithObservation("e", "2026-01", 13.0 / 14).WithObservation("f", "2026-01", 0.9375)
            .WithObservation("g", "2026-01", 5.0 / 7).WithObservation("h", "2026-01", 22.0 / 35)
            .Build();

        var result = Evaluate(data);

        Assert.Equal(71.67, Math.Round(result["first"].Score!.Value * 100, 2, MidpointRounding.AwayFromZero));
        Assert.Equal(80.22, Math.Round(result["second"].Score!.Value * 100, 2, MidpointRounding.AwayFromZero));
        Assert.Equal(75.94, Math.Round(result["p"].Score!.Value * 100, 2, MidpointRounding.AwayFromZero));
        Assert.Equal(result["p"].Score, result["card"].Score);
    }

    [Fact]
    public void Rollup_Weighted_NormalisesWeightsAmongSiblings()
    {
        var data = new ScorecardBuilder()
            .WithMeasures(Measure("a", 0, 1) with { Weight = new Weight(3) }, Measure("b", 0, 1))
            .WithObservation("a", "2026-01", 0.8).WithObservation("b", "2026-01", 0.4)
            .Build();

        Assert.Equal((3 * 0.8 + 0.4) / 4, Evaluate(data)["o"].Score!.Value, 12);
    }

    [Fact]
    public void Rollup_MissingChild_IgnoredAndCounted()
    {
        var result = Evaluate(Fractions(("a", 0.9), ("b", 0.6), ("c", 0.3), ("d", null)).Build());

        var objective = result["o"];
        Assert.Equal(0.6, objective.Score!.Value, 12);
        Assert.Equal(3, objective.ChildrenWithData);
        Assert.Equal(4, objective.ChildrenTotal);
        Assert.Equal(Status.Gray, result["d"].Status);
    }

    [Fact]
    public void Rollup_StrictPolicy_AnyMissingChildMakesParentGray()
    {
        var data = Fractions(("a", 0.9), ("b", null)).With(c => c with { Missing = MissingDataPolicy.Strict }).Build();

        var result = Evaluate(data);

        Assert.Null(result["o"].Score);
        Assert.Equal(Status.Gray, result["o"].Status);
        Assert.Null(result["card"].Score);
    }

    [Fact]
    public void Rollup_ZeroPolicy_MissingCountsAsZero()
    {
        var data = Fractions(("a", 0.9), ("b", null)).With(c => c with { Missing = MissingDataPolicy.Zero }).Build();

        Assert.Equal(0.45, Evaluate(data)["o"].Score!.Value, 12);
    }

    [Theory]
    [InlineData(MissingDataPolicy.Ignore)]
    [InlineData(MissingDataPolicy.Strict)]
    [InlineData(MissingDataPolicy.Zero)]
    public void Rollup_NoChildHasData_IsGrayInEveryPolicy(MissingDataPolicy policy)
    {
        var data = Fractions(("a", null), ("b", null)).With(c => c with { Missing = policy }).Build();

        var objective = Evaluate(data)["o"];

        Assert.Null(objective.Score);
        Assert.Equal(Status.Gray, objective.Status);
        Assert.Equal(0, objective.ChildrenWithData);
    }

    [Fact]
    public void Rollup_WeightZero_ShownButNotCounted()
    {
        var data = new ScorecardBuilder()
            .WithMeasures(Measure("a", 0, 1), Measure("b", 0, 1) with { Weight = new Weight(0) })
            .WithObservation("a", "2026-01", 0.8).WithObservation("b", "2026-01", 0.1)
            .Build();

        var objective = Evaluate(data)["o"];

        Assert.Equal(0.8, objective.Score!.Value, 12);
        Assert.Equal(2, objective.ChildrenTotal);
    }

    [Theory]
    [InlineData(RollupMethod.Average, 0.6)]
    [InlineData(RollupMethod.Min, 0.3)]
    [InlineData(RollupMethod.Max, 0.9)]
    [InlineData(RollupMethod.Self, 0.9)]
    public void Rollup_OtherMethods(RollupMethod method, double expected)
    {
        var data = new ScorecardBuilder()
            .WithPerspective("p", Objective("o", Measure("a", 0, 1) with { Weight = new Weight(5) }, Measure("b", 0, 1), Measure("c", 0, 1)) with { Rollup = method })
            .WithObservation("a", "2026-01", 0.9).WithObservation("b", "2026-01", 0.6).WithObservation("c", "2026-01", 0.3)
            .Build();

        Assert.Equal(expected, Evaluate(data)["o"].Score!.Value, 12);
    }

    [Fact]
    public void Rollup_TimeVaryingWeights_TakeTheWeightInEffectAtPeriodEnd()
    {
        var changing = new Weight([new WeightChange(new DateOnly(2026, 7, 1), 3)]);
        var data = new ScorecardBuilder()
            .WithMeasures(Measure("a", 0, 1) with { Weight = changing }, Measure("b", 0, 1))
            .WithMonthly("a", "2026-06", 1, 1).WithMonthly("b", "2026-06", 0, 0)
            .Build();
        var model = ScorecardModel.Build(data);

        Assert.Equal(0.5, model.Evaluate(new(Period.Parse("2026-06")))["o"].Score!.Value, 12);
        Assert.Equal(0.75, model.Evaluate(new(Period.Parse("2026-07")))["o"].Score!.Value, 12);
    }

    [Fact]
    public void Rollup_Overachievement_CappedBeforeRollup()
    {
        var data = Fractions(("a", 1.5), ("b", 0.5)).With(c => c with { Overachievement = 1.2 }).Build();

        var result = Evaluate(data);

        Assert.Equal(1.2, result["a"].Score!.Value, 12);
        Assert.Equal(0.85, result["o"].Score!.Value, 12);
    }

    [Fact]
    public void Rollup_InformationalMeasure_NotCountedAndHasNoStatus()
    {
        var data = new ScorecardBuilder()
            .WithMeasures(Measure("a", 0, 1), Measure("info") with { Scoring = new() { Type = ScoringType.None } })
            .WithObservation("a", "2026-01", 0.7).WithObservation("info", "2026-01", 12345)
            .Build();

        var result = Evaluate(data);

        Assert.Equal(1, result["o"].ChildrenTotal);
        Assert.Equal(0.7, result["o"].Score!.Value, 12);
        Assert.Null(result["info"].Status);
        Assert.Null(result["info"].Score);
        Assert.Equal(12345, result["info"].Value);
    }

    [Fact]
    public void Rollup_NestedSubObjectives_RollUpLikeMeasures()
    {
        var inner = Objective("inner", Measure("a", 0, 1), Measure("b", 0, 1));
        var outer = Objective("outer", Measure("c", 0, 1)) with { Objectives = [inner] };
        var data = new ScorecardBuilder().WithPerspective("p", outer)
            .WithObservation("a", "2026-01", 1).WithObservation("b", "2026-01", 0.5).WithObservation("c", "2026-01", 0.25)
            .Build();

        var result = Evaluate(data);

        Assert.Equal(0.75, result["inner"].Score!.Value, 12);
        Assert.Equal(0.5, result["outer"].Score!.Value, 12);
    }

    [Fact]
    public void Cascade_ObjectiveTakesAnotherScorecardsObjectiveWithItsWeight()
    {
        var emea = new ScorecardBuilder()
            .With(c => c with { Id = "emea", Name = "EMEA" })
            .WithPerspective("customer", Objective("loyal", Measure("nps-emea", 0, 1)))
            .WithObservation("nps-emea", "2026-01", 0.2)
            .Build();
        var company = new ScorecardBuilder()
            .With(c => c with { Id = "company", Cascade = [new CascadeContribution("loyal", "emea#loyal", new Weight(3))] })
            .WithPerspective("customer", Objective("loyal", Measure("nps", 0, 1)))
            .WithObservation("nps", "2026-01", 1.0)
            .Build();

        var result = ScorecardModel.Build([company, emea]).Evaluate(Jan);

        Assert.Equal(0.2, result["emea#loyal"].Score!.Value, 12);
        Assert.Equal((1.0 + 3 * 0.2) / 4, result["loyal"].Score!.Value, 12);
        Assert.Equal(2, result["loyal"].ChildrenTotal);
    }

    [Fact]
    public void Status_DefaultRules_GreenYellowRed()
    {
        var result = Evaluate(Fractions(("a", 0.9), ("b", 0.89), ("c", 0.6), ("d", 0.59)).Build());

        Assert.Equal(Status.Green, result["a"].Status);
        Assert.Equal(Status.Yellow, result["b"].Status);
        Assert.Equal(Status.Yellow, result["c"].Status);
        Assert.Equal(Status.Red, result["d"].Status);
    }

    [Theory]
    [InlineData(100, Status.Green)]
    [InlineData(95, Status.Yellow)]
    [InlineData(89, Status.Red)]
    public void Status_ClearPointRules_ViaPercentOfTarget(double value, Status expected)
    {
        var clearPoint = new StatusRuleSet([
            new(Status.Green, new(StatusVariable.PercentOfTarget, Comparison.GreaterOrEqual, 1)),
            new(Status.Yellow, new(StatusVariable.PercentOfTarget, Comparison.GreaterOrEqual, 0.9)),
            new(Status.Red, null),
        ]);
        var data = new ScorecardBuilder().WithMeasures(Measure("m", 50, 100) with { Status = clearPoint })
            .WithObservation("m", "2026-01", value).Build();

        Assert.Equal(expected, Evaluate(data)["m"].Status);
    }

    [Theory]
    [InlineData(0.3, Status.Red)]
    [InlineData(1.0 / 3, Status.Yellow)]
    [InlineData(0.66, Status.Yellow)]
    [InlineData(2.0 / 3, Status.Green)]
    public void Status_SpiderThirds_OnTheScorecard(double value, Status expected)
    {
        var thirds = new StatusRuleSet([
            new(Status.Green, new(StatusVariable.Score, Comparison.GreaterOrEqual, 2.0 / 3)),
            new(Status.Yellow, new(StatusVariable.Score, Comparison.GreaterOrEqual, 1.0 / 3)),
            new(Status.Red, null),
        ]);
        var data = Fractions(("a", value)).With(c => c with { Status = thirds }).Build();

        var result = Evaluate(data);

        Assert.Equal(expected, result["a"].Status);
        Assert.Equal(expected, result["o"].Status);
    }

    [Fact]
    public void Trend_ComparesScoreWithThePreviousPeriod()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("up", 0, 1), Measure("down", 0, 1), Measure("flat", 0, 1), Measure("new", 0, 1))
            .WithMonthly("up", "2026-01", 0.5, 0.6)
            .WithMonthly("down", "2026-01", 0.5, 0.4)
            .WithMonthly("flat", "2026-01", 0.5, 0.504)
            .WithMonthly("new", "2026-02", 0.5)
            .Build();

        var result = Evaluate(data, "2026-02");

        Assert.Equal(Trend.Improving, result["up"].Trend);
        Assert.Equal(Trend.Worsening, result["down"].Trend);
        Assert.Equal(Trend.Flat, result["flat"].Trend);
        Assert.Null(result["new"].Trend);
    }
}
