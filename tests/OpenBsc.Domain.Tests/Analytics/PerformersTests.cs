using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Testing;
using static OpenBsc.Testing.ScorecardBuilder;

namespace OpenBsc.Domain.Tests.Analytics;

/// <summary>Best and worst performers: measures ranked by score, ties in tree order, no score left out.</summary>
public class PerformersTests
{
    private static ScorecardEvaluation Evaluation() => ScorecardModel.Build(new ScorecardBuilder()
            .WithMeasures(Measure("a"), Measure("b"), Measure("c"), Measure("d"), Measure("none"))
            .WithObservation("a", "2026-01", 40)
            .WithObservation("b", "2026-01", 95)
            .WithObservation("c", "2026-01", 40)
            .WithObservation("d", "2026-01", 70)
            .Build())
        .EvaluateWithoutTrend(new PeriodView(Period.Parse("2026-01")));

    [Fact]
    public void Best_TwoOfFour_HighestFirst()
    {
        var best = Performers.Best(Evaluation(), 2);

        Assert.Equal(["b", "d"], best.Select(p => p.Id));
        Assert.Equal(0.95, best[0].Score, 12);
        Assert.Equal(Status.Green, best[0].Status);
        Assert.Equal(95, best[0].Value);
        Assert.Equal(100, best[0].Target);
    }

    [Fact]
    public void Worst_Ties_InTreeOrder()
    {
        var worst = Performers.Worst(Evaluation(), 3);

        Assert.Equal(["a", "c", "d"], worst.Select(p => p.Id));
    }

    [Fact]
    public void Best_MoreThanScored_OnlyTheScoredMeasures()
    {
        Assert.Equal(4, Performers.Best(Evaluation(), 10).Count);
        Assert.Empty(Performers.Worst(Evaluation(), 0));
    }
}
