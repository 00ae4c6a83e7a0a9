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

/// <summary>What is viewed: one period, or the fiscal year to date ending with that period.</summary>
public readonly record struct PeriodView(Period Period, bool YearToDate = false)
{
    public PeriodView Previous() => this with { Period = Period.Previous() };

    public override string ToString() => YearToDate ? $"{Period} (year to date)" : Period.ToString();
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
    bool Inherited);
