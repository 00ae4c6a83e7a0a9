using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Initiatives;

/// <summary>Where a milestone stands on a date.</summary>
public enum MilestoneStatus
{
    /// <summary>Reached (on or before the date looked at, when the date it was reached is known).</summary>
    Done,

    /// <summary>Not reached, due on or after the date looked at.</summary>
    Upcoming,

    /// <summary>Not reached, and its due date has passed.</summary>
    Overdue,
}

public static class InitiativeMilestones
{
    /// <summary>
    /// The status of <paramref name="milestone"/> on <paramref name="at"/>: Done when done (and, if the date it was
    /// done is known, that date is not after <paramref name="at"/>: looking back, it was not done yet); otherwise
    /// Overdue when <paramref name="at"/> is after the due date, else Upcoming. A milestone due on the date itself is
    /// still Upcoming: it may be reached that day.
    /// </summary>
    public static MilestoneStatus StatusAt(this InitiativeMilestone milestone, DateOnly at)
    {
        ArgumentNullException.ThrowIfNull(milestone);
        bool done = milestone.Done && (milestone.DoneOn is not { } on || on <= at);
        return done ? MilestoneStatus.Done : at > milestone.Due ? MilestoneStatus.Overdue : MilestoneStatus.Upcoming;
    }

    /// <summary>Whether a done milestone was reached after its due date (only when the date it was done is known).</summary>
    public static bool DoneLate(this InitiativeMilestone milestone)
    {
        ArgumentNullException.ThrowIfNull(milestone);
        return milestone.Done && milestone.DoneOn is { } on && on > milestone.Due;
    }
}
