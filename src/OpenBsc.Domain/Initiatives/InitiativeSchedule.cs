using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Initiatives;

/// <summary>Where an initiative stands against its plan on one date.</summary>
public enum InitiativeStatus
{
    /// <summary>No start and end dates: nothing to judge against.</summary>
    Unplanned,

    /// <summary>Before its start date.</summary>
    NotStarted,

    /// <summary>Complete is within the tolerance of the time elapsed.</summary>
    OnTrack,

    /// <summary>Complete trails the time elapsed by more than the tolerance, before the end date.</summary>
    Behind,

    /// <summary>Past its end date and not complete.</summary>
    Late,

    /// <summary>100 % complete.</summary>
    Done,
}

/// <summary>An initiative's plan at a date: the fraction of its time elapsed beside the fraction done.</summary>
/// <param name="Status">The status against plan.</param>
/// <param name="Planned">Fraction of the time from start to end elapsed at the date, 0..1; null without dates.</param>
/// <param name="Complete">Fraction done as reported, 0..1; null when never reported.</param>
public sealed record InitiativeProgress(InitiativeStatus Status, double? Planned, double? Complete);

/// <summary>
/// Status against plan, the way Spider Impact and ClearPoint judge initiatives with dates and a percent complete:
/// the plan is linear in calendar days from start to end (both inclusive), so on the end date 100 % is expected.
/// </summary>
public static class InitiativeSchedule
{
    /// <summary>How far completion may trail the elapsed time (10 percentage points) before the initiative is behind.</summary>
    public const double Tolerance = 0.10;

    /// <summary>
    /// The status of <paramref name="initiative"/> on <paramref name="at"/>:
    /// Done when complete ≥ 1; Late when <paramref name="at"/> is after the end date and it is not done;
    /// NotStarted before the start; Behind when planned − complete &gt; <see cref="Tolerance"/> (a missing
    /// complete counts as 0); otherwise OnTrack. Without both dates only Done or Unplanned (or Late past an end
    /// date) can be said. Planned = clamp((at − start + 1) / (end − start + 1), 0, 1) in days.
    /// </summary>
    public static InitiativeProgress Evaluate(Initiative initiative, DateOnly at)
    {
        ArgumentNullException.ThrowIfNull(initiative);
        double? complete = initiative.Complete is { } c && double.IsFinite(c) ? Math.Clamp(c, 0, 1) : null;
        double? planned = Planned(initiative.Start, initiative.End, at);
        InitiativeStatus status = complete >= 1 ? InitiativeStatus.Done
            : initiative.End is { } end && at > end ? InitiativeStatus.Late
            : planned is null ? InitiativeStatus.Unplanned
            : at < initiative.Start ? InitiativeStatus.NotStarted
            : planned.Value - (complete ?? 0) > Tolerance + 1e-9 ? InitiativeStatus.Behind
            : InitiativeStatus.OnTrack;
        return new InitiativeProgress(status, planned, complete);
    }

    private static double? Planned(DateOnly? start, DateOnly? end, DateOnly at)
    {
        if (start is not { } s || end is not { } e || e < s)
        {
            return null;
        }

        double days = e.DayNumber - s.DayNumber + 1;
        return Math.Clamp((at.DayNumber - s.DayNumber + 1) / days, 0, 1);
    }
}
