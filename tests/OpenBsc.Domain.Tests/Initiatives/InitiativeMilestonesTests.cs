using OpenBsc.Domain.Initiatives;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Tests.Initiatives;

public class InitiativeMilestonesTests
{
    private static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    // not done: upcoming up to and on the due date, overdue after it
    [InlineData(false, null, "2026-03-30", MilestoneStatus.Upcoming)]
    [InlineData(false, null, "2026-03-31", MilestoneStatus.Upcoming)]
    [InlineData(false, null, "2026-04-01", MilestoneStatus.Overdue)]
    // done without a date: done whenever looked at
    [InlineData(true, null, "2026-01-01", MilestoneStatus.Done)]
    // done on a date: looking back before it, it was not done yet
    [InlineData(true, "2026-04-10", "2026-03-15", MilestoneStatus.Upcoming)]
    [InlineData(true, "2026-04-10", "2026-04-05", MilestoneStatus.Overdue)]
    [InlineData(true, "2026-04-10", "2026-04-10", MilestoneStatus.Done)]
    public void StatusAt_ADate_GivesDoneUpcomingOrOverdue(bool done, string? doneOn, string at, MilestoneStatus expected)
    {
        var milestone = new InitiativeMilestone("Pilot live", D("2026-03-31"), done, doneOn is null ? null : D(doneOn));

        Assert.Equal(expected, milestone.StatusAt(D(at)));
    }

    [Theory]
    [InlineData("2026-03-31", false)]
    [InlineData("2026-04-01", true)]
    public void DoneLate_DoneAfterTheDueDate_IsLate(string doneOn, bool late)
    {
        Assert.Equal(late, new InitiativeMilestone("Pilot live", D("2026-03-31"), true, D(doneOn)).DoneLate());
    }
}
