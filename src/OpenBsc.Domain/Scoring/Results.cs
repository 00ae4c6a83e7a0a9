using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Scoring;

public enum NodeKind
{
    Scorecard,
    Perspective,
    Objective,
    Measure,

    /// <summary>One customer segment's series of a measure tracked per segment (a child of that measure).</summary>
    Series,
}

/// <summary>The change of score against the previous period (SCORING.md §7): |Δ| &lt; 0.005 is flat.</summary>
public enum Trend : byte
{
    Improving,
    Worsening,
    Flat,
}

/// <summary>
/// What is viewed: one period, or the fiscal year to date ending with that period, as of <paramref name="Today"/>
/// (the organisation's date). A period whose last day is after today is in progress (docs/scoring.md §5); without a
/// date every period is taken as ended.
/// </summary>
public readonly record struct PeriodView(Period Period, bool YearToDate = false, DateOnly? Today = null)
{
    public PeriodView Previous() => this with { Period = Period.Previous() };

    public override string ToString() => YearToDate ? $"{Period} (year to date)" : Period.ToString();
}

/// <summary>Where the viewed period stands against today.</summary>
public enum PeriodState : byte
{
    /// <summary>Its last day is today or earlier (or no date was given).</summary>
    Ended,

    /// <summary>It has started and its last day is after today.</summary>
    InProgress,

    /// <summary>It starts after today.</summary>
    NotStarted,
}

/// <summary>
/// How much of the viewed period a node covers, in sub-periods of the measure's frequency (containers: of their
/// scorecard's reporting frequency): <paramref name="Elapsed"/> of <paramref name="Of"/> have ended;
/// <paramref name="Missing"/> of the ended ones have no value of their own (measures only).
/// </summary>
public readonly record struct PeriodCoverage(PeriodState State, int Elapsed, int Of, int Missing)
{
    /// <summary>Some sub-period that has ended has no value: the period is incomplete for this measure.</summary>
    public bool Incomplete => Missing > 0;
}

/// <summary>A node of the evaluated tree, as the engine laid it out.</summary>
public sealed record NodeDefinition(
    int Index,
    NodeKind Kind,
    string Id,
    string Name,
    int Parent,
    int Depth,
    Measure? Measure,
    string ScorecardId);

/// <summary>
/// One node's result for a period. Scores are unrounded, in [0, cap]; null means no data (Gray) or, for an
/// informational measure (<c>scoring: none</c>), no score and no status.
/// </summary>
public readonly record struct NodeScore(
    double? Value,
    double? Target,
    double? Progress,
    double? Performance,
    double? Score,
    Status? Status,
    Trend? Trend,
    int ChildrenWithData,
    int ChildrenTotal,
    bool Inherited,
    PeriodCoverage Coverage = default);
