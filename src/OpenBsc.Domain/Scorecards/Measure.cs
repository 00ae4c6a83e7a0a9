using OpenBsc.Domain.Periods;

namespace OpenBsc.Domain.Scorecards;

/// <summary>A step of a plan: the value the measure should have reached by <see cref="Date"/>.</summary>
public readonly record struct Milestone(DateOnly Date, double Value);

/// <summary>A target set for one period.</summary>
public readonly record struct PeriodTarget(Period Period, double Value);

/// <summary>
/// One customer segment's own series of a measure tracked per segment: its observations carry the segment, and it is
/// scored against its own target (the measure's when not given), like a measure of its own.
/// </summary>
public sealed record SegmentSeries
{
    public required string Segment { get; init; }

    public double? Baseline { get; init; }

    public double? Target { get; init; }

    public IReadOnlyList<PeriodTarget> Targets { get; init; } = [];

    /// <summary>The series' weight when the measure's score rolls up across its segments.</summary>
    public Weight Weight { get; init; } = Weight.One;

    public bool Equals(SegmentSeries? other) =>
        other is not null && Segment == other.Segment && Baseline == other.Baseline && Target == other.Target
        && Targets.SequenceEqual(other.Targets) && Weight.Equals(other.Weight);

    public override int GetHashCode() => Segment.GetHashCode(StringComparison.Ordinal);
}

/// <summary>A measure (KPI): what is observed, how it is scored, and what it tells about customers.</summary>
public sealed record Measure
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public string? Unit { get; init; }

    public Direction Direction { get; init; } = Direction.Increase;

    public PeriodKind Frequency { get; init; } = PeriodKind.Month;

    public Aggregation Aggregation { get; init; } = Aggregation.Sum;

    public double? Baseline { get; init; }

    /// <summary>The target for every period without its own entry in <see cref="Targets"/>.</summary>
    public double? Target { get; init; }

    /// <summary>Targets set for particular periods, in the order written.</summary>
    public IReadOnlyList<PeriodTarget> Targets { get; init; } = [];

    public double? Min { get; init; }

    public double? Max { get; init; }

    public ScoringRule Scoring { get; init; } = ScoringRule.Linear;

    public Scale Scale { get; init; } = Scale.Progress;

    public Weight Weight { get; init; } = Weight.One;

    /// <summary>Overrides the scorecard's status rules for this measure.</summary>
    public StatusRuleSet? Status { get; init; }

    /// <summary>Calculated measure: an expression over other measures' values, e.g. <c>[promoters] - [detractors]</c>.</summary>
    public string? Formula { get; init; }

    public FormulaAggregation FormulaAggregation { get; init; } = FormulaAggregation.AggregateInputs;

    public MissingInputs MissingInputs { get; init; } = MissingInputs.Blank;

    /// <summary>Value inheritance (BSC Designer): off when null; otherwise the number of periods a value may be carried forward (0 = without limit).</summary>
    public int? Inherit { get; init; }

    public CustomerConcern? Concern { get; init; }

    public CustomerOutcome? Outcome { get; init; }

    public ValueProposition? ValueProposition { get; init; }

    public string? Segment { get; init; }

    /// <summary>
    /// Tracked per segment: one series per customer segment, each with its own target; the measure's value combines
    /// the series' values and its score rolls up their scores (docs/scoring.md, "Segments").
    /// </summary>
    public IReadOnlyList<SegmentSeries> Segments { get; init; } = [];

    public string? Owner { get; init; }

    public bool? Leading { get; init; }

    /// <summary>Expected progress (Cascade): the day the plan from baseline to target starts.</summary>
    public DateOnly? Start { get; init; }

    /// <summary>Expected progress: the day the target is due.</summary>
    public DateOnly? Due { get; init; }

    /// <summary>Expected progress by steps instead of a straight line: the value due by each date.</summary>
    public IReadOnlyList<Milestone> Milestones { get; init; } = [];

    public bool IsCalculated => Formula is not null;

    public bool IsSegmented => Segments.Count > 0;

    public bool Equals(Measure? other) =>
        other is not null && Id == other.Id && Name == other.Name && Description == other.Description
        && Unit == other.Unit && Direction == other.Direction && Frequency == other.Frequency
        && Aggregation == other.Aggregation && Baseline == other.Baseline && Target == other.Target
        && Targets.SequenceEqual(other.Targets) && Min == other.Min && Max == other.Max
        && Scoring.Equals(other.Scoring) && Scale == other.Scale && Weight.Equals(other.Weight)
        && Equals(Status, other.Status) && Formula == other.Formula && FormulaAggregation == other.FormulaAggregation
        && MissingInputs == other.MissingInputs && Inherit == other.Inherit && Concern == other.Concern
        && Outcome == other.Outcome && ValueProposition == other.ValueProposition && Segment == other.Segment
        && Segments.SequenceEqual(other.Segments)
        && Owner == other.Owner && Leading == other.Leading && Start == other.Start && Due == other.Due
        && Milestones.SequenceEqual(other.Milestones);

    public override int GetHashCode() => HashCode.Combine(Id, Name);
}
