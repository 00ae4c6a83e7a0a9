using OpenBsc.Domain.Initiatives;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Alerts;

/// <summary>What an alert rule watches.</summary>
public enum AlertKind
{
    /// <summary>A measure's status is Red at the evaluated period.</summary>
    MeasureTurnsRed,

    /// <summary>A node's score fell by more than <see cref="AlertCondition.Threshold"/> points (0–100 scale) from the previous period.</summary>
    ScoreDrops,

    /// <summary>A measure's value for its last closed period is still missing <see cref="AlertCondition.Threshold"/> days after the period ended.</summary>
    DataOverdue,

    /// <summary>An initiative is Late (past its end, not done) or Behind its plan (see <see cref="InitiativeSchedule"/>).</summary>
    InitiativeLate,

    /// <summary>An objective or measure is Red and has no open action (Spider Impact's "Red KPIs without tasks").</summary>
    RedWithoutAction,
}

/// <summary>What the evaluation of a rule for one subject asks the stored state to do.</summary>
public enum AlertTransition
{
    /// <summary>Nothing changes: still firing, still quiet, or the facts are unknown.</summary>
    Stay,

    /// <summary>The condition has just become true: notify once and remember that it fires.</summary>
    Fire,

    /// <summary>The condition has just stopped being true: forget it, so that the next crossing fires again.</summary>
    Clear,
}

/// <summary>
/// A rule's condition: the kind and its one number. <see cref="Threshold"/> is the drop in score points (0–100) for
/// <see cref="AlertKind.ScoreDrops"/> and the days of grace after the period end for <see cref="AlertKind.DataOverdue"/>;
/// it is ignored by the other kinds.
/// </summary>
public sealed record AlertCondition(AlertKind Kind, double Threshold = 0)
{
    /// <summary>The problem with the condition in words, or null when it is valid.</summary>
    public string? Problem() => Kind switch
    {
        AlertKind.ScoreDrops when !double.IsFinite(Threshold) || Threshold <= 0 || Threshold > 100 => "Expected a drop in points greater than 0 and at most 100.",
        AlertKind.DataOverdue when !double.IsFinite(Threshold) || Threshold < 0 || Threshold > 366 || Threshold != Math.Floor(Threshold) => "Expected whole days from 0 to 366.",
        _ when !Enum.IsDefined(Kind) => "Expected one of MeasureTurnsRed, ScoreDrops, DataOverdue, InitiativeLate, RedWithoutAction.",
        _ => null,
    };
}

/// <summary>The facts about one subject (a measure, a node, an initiative) that a rule is judged on.</summary>
public abstract record AlertFacts;

/// <summary>A measure's status at the evaluated period (null or Gray: no data).</summary>
public sealed record StatusFacts(Status? Status) : AlertFacts;

/// <summary>A node's score (0..1, null without data) at the previous and the evaluated period.</summary>
public sealed record ScoreFacts(double? Previous, double? Current) : AlertFacts;

/// <summary>A measure's last closed period, its last day, whether it has a value, and the date of the check.</summary>
public sealed record DataFacts(Period Period, DateOnly PeriodEnd, bool HasValue, DateOnly Today) : AlertFacts;

/// <summary>An initiative's status against plan on the date of the check.</summary>
public sealed record InitiativeFacts(InitiativeStatus Status) : AlertFacts;

/// <summary>An objective's or measure's status at the evaluated period and how many open actions it has.</summary>
public sealed record ActionFacts(Status? Status, int OpenActions) : AlertFacts;

/// <summary>
/// Edge-triggered alerts: a rule fires once when its condition becomes true for a subject and not again until the
/// condition has been false (cleared). Unknown facts (no data) change nothing, so a gap in the data neither clears
/// nor re-fires an alert.
/// </summary>
public static class AlertEvaluator
{
    /// <summary>
    /// Whether the condition holds: true, false, or null when the facts cannot tell.
    /// MeasureTurnsRed: status = Red (null when Gray or missing). ScoreDrops: (previous − current) × 100 &gt; threshold
    /// (null when either score is missing). DataOverdue: no value and today &gt; period end + threshold days.
    /// InitiativeLate: status is Late or Behind. RedWithoutAction: status = Red and no open action (null when Gray or
    /// missing: an item without data is not known to be red).
    /// </summary>
    public static bool? Holds(AlertCondition condition, AlertFacts facts)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return (condition.Kind, facts) switch
        {
            (AlertKind.MeasureTurnsRed, StatusFacts s) => s.Status is null or Status.Gray ? null : s.Status == Status.Red,
            (AlertKind.ScoreDrops, ScoreFacts s) => s.Previous is { } p && s.Current is { } c ? (p - c) * 100 > condition.Threshold + 1e-9 : null,
            (AlertKind.DataOverdue, DataFacts d) => !d.HasValue && d.Today.DayNumber > d.PeriodEnd.DayNumber + (int)condition.Threshold,
            (AlertKind.InitiativeLate, InitiativeFacts i) => i.Status is InitiativeStatus.Late or InitiativeStatus.Behind,
            (AlertKind.RedWithoutAction, ActionFacts a) => a.Status is null or Status.Gray ? null : a.Status == Status.Red && a.OpenActions == 0,
            _ => throw new ArgumentException($"{facts?.GetType().Name ?? "null"} are not facts for a {condition.Kind} rule.", nameof(facts)),
        };
    }

    /// <summary>The transition from the stored state (<paramref name="firing"/>) given whether the condition holds now.</summary>
    public static AlertTransition Step(bool firing, bool? holds) => holds switch
    {
        true when !firing => AlertTransition.Fire,
        false when firing => AlertTransition.Clear,
        _ => AlertTransition.Stay,
    };

    /// <summary><see cref="Step"/> of <see cref="Holds"/>.</summary>
    public static AlertTransition Evaluate(AlertCondition condition, bool firing, AlertFacts facts) => Step(firing, Holds(condition, facts));
}
