using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Testing;

namespace OpenBsc.Domain.Tests.Analytics;

public class MeasureHealthTests
{
    [Fact]
    public void Run_MeasureWithAPlan_IsJudgedAtTheEndOfThePeriod()
    {
        // 0 → 100 over 2026 in a straight line; at the end of June (day 181 of 365 after 1 Jan) the plan expects 180/364 ≈ 49.45.
        var measure = ScorecardBuilder.Measure("m", 0, 100) with { Start = new DateOnly(2026, 1, 1), Due = new DateOnly(2026, 12, 31) };
        var data = new ScorecardBuilder().WithMeasures(measure, ScorecardBuilder.Measure("other")).WithObservation("m", "2026-06", 40).Build();
        var model = ScorecardModel.Build(data);

        var analysis = ScorecardAnalysis.Run(model, data.Scorecard, Period.Parse("2026-06"));

        var health = Assert.Single(analysis.Health);
        Assert.Equal("m", health.Id);
        double expected = 100.0 * (new DateOnly(2026, 6, 30).DayNumber - new DateOnly(2026, 1, 1).DayNumber) / (new DateOnly(2026, 12, 31).DayNumber - new DateOnly(2026, 1, 1).DayNumber);
        Assert.Equal(expected, health.Health.Expected, 9);
        Assert.Equal(0.4 / (expected / 100), health.Health.Health!.Value, 9);
    }

    [Fact]
    public void Run_Milestones_AreSteps()
    {
        var measure = ScorecardBuilder.Measure("m", 10, 40) with
        {
            Start = new DateOnly(2026, 1, 1),
            Due = new DateOnly(2026, 12, 31),
            Milestones = [new Milestone(new DateOnly(2026, 3, 31), 20), new Milestone(new DateOnly(2026, 9, 30), 30)],
        };
        var data = new ScorecardBuilder().WithMeasures(measure).WithObservation("m", "2026-06", 20).Build();

        var health = Assert.Single(ScorecardAnalysis.Run(ScorecardModel.Build(data), data.Scorecard, Period.Parse("2026-06")).Health);

        Assert.Equal(20, health.Health.Expected, 9);
        Assert.Equal(1, health.Health.Health!.Value, 9);
    }
}
