using OpenBsc.Domain.Initiatives;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Tests.Initiatives;

/// <summary>Status against plan: time elapsed (linear in days, both ends inclusive) beside the fraction complete.</summary>
public class InitiativeScheduleTests
{
    private static Initiative Planned(double? complete) => new()
    {
        Id = "portal",
        Name = "Self-service portal",
        Start = new DateOnly(2026, 1, 1),
        End = new DateOnly(2026, 1, 10),
        Complete = complete,
    };

    [Theory]
    [InlineData("2025-12-31", 0.0, InitiativeStatus.NotStarted, 0.0)]
    [InlineData("2026-01-01", 0.0, InitiativeStatus.OnTrack, 0.1)]
    [InlineData("2026-01-05", 0.4, InitiativeStatus.OnTrack, 0.5)]
    [InlineData("2026-01-05", 0.39, InitiativeStatus.Behind, 0.5)]
    [InlineData("2026-01-10", 0.95, InitiativeStatus.OnTrack, 1.0)]
    [InlineData("2026-01-11", 0.95, InitiativeStatus.Late, 1.0)]
    [InlineData("2026-01-11", 1.0, InitiativeStatus.Done, 1.0)]
    [InlineData("2025-06-01", 1.0, InitiativeStatus.Done, 0.0)]
    public void Evaluate_AgainstTheLinearPlan_GivesTheStatus(string at, double complete, InitiativeStatus expected, double planned)
    {
        var progress = InitiativeSchedule.Evaluate(Planned(complete), DateOnly.Parse(at, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, progress.Status);
        Assert.Equal(planned, progress.Planned!.Value, 12);
        Assert.Equal(complete, progress.Complete);
    }

    [Fact]
    public void Evaluate_NeverReportedComplete_CountsAsNothingDone()
    {
        var progress = InitiativeSchedule.Evaluate(Planned(null), new DateOnly(2026, 1, 5));

        Assert.Equal(InitiativeStatus.Behind, progress.Status);
        Assert.Null(progress.Complete);
    }

    [Fact]
    public void Evaluate_WithoutDates_IsUnplannedUnlessDone()
    {
        var open = new Initiative { Id = "x", Name = "X", Complete = 0.5 };

        Assert.Equal(InitiativeStatus.Unplanned, InitiativeSchedule.Evaluate(open, new DateOnly(2026, 1, 5)).Status);
        Assert.Equal(InitiativeStatus.Done, InitiativeSchedule.Evaluate(open with { Complete = 1 }, new DateOnly(2026, 1, 5)).Status);
    }

    [Fact]
    public void Evaluate_OnlyAnEndDatePassed_IsLate()
    {
        var open = new Initiative { Id = "x", Name = "X", End = new DateOnly(2026, 1, 1), Complete = 0.5 };

        Assert.Equal(InitiativeStatus.Late, InitiativeSchedule.Evaluate(open, new DateOnly(2026, 1, 2)).Status);
    }
}
