using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Testing;
using static OpenBsc.Testing.ScorecardBuilder;

namespace OpenBsc.Domain.Tests.Analytics;

/// <summary>The what-if sandbox: changes on a copy, a diff of every node whose score or status moved.</summary>
public class WhatIfTests
{
    private static readonly Period Jan = Period.Parse("2026-01");
    private static readonly PeriodView View = new(Jan);

    /// <summary>card → p → o (a 50, b 80) and o2 (c 95): scores a 0.5 Red, b 0.8 Yellow, o 0.65 Yellow, o2 0.95 Green, p 0.8.</summary>
    private static ScorecardData Data() => new ScorecardBuilder()
        .WithPerspective("p", Objective("o", Measure("a"), Measure("b")), Objective("o2", Measure("c")))
        .WithObservation("a", "2026-01", 50)
        .WithObservation("b", "2026-01", 80)
        .WithObservation("c", "2026-01", 95)
        .Build();

    private static List<NodeScore> Scores(ScorecardData data)
    {
        var evaluation = ScorecardModel.Build(data).Evaluate(View);
        return [.. Enumerable.Range(0, evaluation.Count).Select(i => evaluation[i])];
    }

    [Fact]
    public void Run_NewValue_ChangesTheMeasureAndItsAncestorsOnly()
    {
        var result = WhatIf.Run(Data(), [new SetValue("a", Jan, 100)], View);

        Assert.Equal(["card", "p", "o", "a"], result.Changes.Select(c => c.Id));
        var a = result.Changes[3];
        Assert.Equal((0.5, 1.0), (a.ScoreBefore, a.ScoreAfter));
        Assert.Equal((Status.Red, Status.Green), (a.StatusBefore, a.StatusAfter));
        var o = result.Changes[2];
        Assert.Equal(0.65, o.ScoreBefore!.Value, 12);
        Assert.Equal(0.9, o.ScoreAfter!.Value, 12);
        Assert.Equal((Status.Yellow, Status.Green), (o.StatusBefore, o.StatusAfter));
        Assert.Equal(NodeKind.Objective, o.Kind);
    }

    [Fact]
    public void Run_AnyChange_LeavesTheInputAndItsResultsUnchanged()
    {
        var data = Data();
        var observations = data.Observations;
        var before = Scores(data);

        WhatIf.Run(data, [new SetValue("a", Jan, 100), new SetTarget("b", 50), new SetWeight("o2", 0), new SetTarget("c", 10, Jan)], View);

        Assert.Equal(Data(), data);
        Assert.Same(observations, data.Observations);
        Assert.Equal(3, data.Observations.Count);
        Assert.Equal(before, Scores(data));
    }

    [Fact]
    public void Run_WeightZero_TheParentFollowsTheOtherChild()
    {
        var result = WhatIf.Run(Data(), [new SetWeight("b", 0)], View);

        Assert.Equal(["card", "p", "o"], result.Changes.Select(c => c.Id));
        Assert.Equal(0.5, result.Changes[2].ScoreAfter!.Value, 12);
        Assert.Equal(0, result.Changed.Scorecard.AllMeasures().Single(m => m.Id == "b").Weight.Base);
    }

    [Fact]
    public void Run_PerspectiveWeight_ChangesNothingWithOnePerspective()
    {
        var result = WhatIf.Run(Data(), [new SetWeight("p", 3)], View);

        Assert.Empty(result.Changes);
        Assert.Equal(3, result.Changed.Scorecard.Perspectives[0].Weight.Base);
    }

    [Theory]
    [InlineData(null, 1.0)]
    [InlineData("2026-01", 1.0)]
    [InlineData("2026-02", 0.5)]
    public void Run_NewTarget_RescoresTheMeasure(string? period, double score)
    {
        var change = new SetTarget("a", 50, period is null ? null : Period.Parse(period));

        var result = WhatIf.Run(Data(), [change], View);

        var a = result.Changed.Scorecard.AllMeasures().Single(m => m.Id == "a");
        Assert.Equal(score, ScorecardModel.Build(result.Changed).Evaluate(View)["a"].Score!.Value, 12);
        Assert.Equal(period is null ? 50 : 100, a.Target);
    }

    [Fact]
    public void Run_ChangesApplyInOrder_TheLastValueWins()
    {
        var result = WhatIf.Run(Data(), [new SetValue("a", Jan, 100), new SetValue("a", Jan, 0)], View);

        Assert.Equal(0, result.Changes.Single(c => c.Id == "a").ScoreAfter);
    }

    [Fact]
    public void Run_UnknownMeasure_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => WhatIf.Run(Data(), [new SetValue("zz", Jan, 1)], View));

        Assert.Contains("'zz'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => WhatIf.Run(Data(), [new SetWeight("zz", 1)], View));
        Assert.Throws<ArgumentException>(() => WhatIf.Run(Data(), [new SetWeight("a", -1)], View));
    }

    [Fact]
    public void Run_CalculatedMeasureValue_Throws()
    {
        var data = new ScorecardBuilder()
            .WithMeasures(Measure("a"), Measure("sum") with { Formula = "[a] * 2" })
            .WithObservation("a", "2026-01", 10)
            .Build();

        Assert.Throws<ArgumentException>(() => WhatIf.Run(data, [new SetValue("sum", Jan, 1)], View));
    }
}
