using OpenBsc.Domain.Periods;

namespace OpenBsc.Domain.Scorecards;

/// <summary>An objective; it may hold sub-objectives beside its measures, to any depth.</summary>
public sealed record Objective
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public string? Owner { get; init; }

    public Weight Weight { get; init; } = Weight.One;

    public RollupMethod Rollup { get; init; } = RollupMethod.Weighted;

    public IReadOnlyList<Objective> Objectives { get; init; } = [];

    public IReadOnlyList<Measure> Measures { get; init; } = [];

    public bool Equals(Objective? other) =>
        other is not null && Id == other.Id && Name == other.Name && Description == other.Description
        && Owner == other.Owner && Weight.Equals(other.Weight) && Rollup == other.Rollup
        && Objectives.SequenceEqual(other.Objectives) && Measures.SequenceEqual(other.Measures);

    public override int GetHashCode() => HashCode.Combine(Id, Name);
}

/// <summary>A perspective: a band of the strategy map. Names and order are the organisation's choice.</summary>
public sealed record Perspective
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public Weight Weight { get; init; } = Weight.One;

    public RollupMethod Rollup { get; init; } = RollupMethod.Weighted;

    public IReadOnlyList<Objective> Objectives { get; init; } = [];

    public bool Equals(Perspective? other) =>
        other is not null && Id == other.Id && Name == other.Name && Description == other.Description
        && Weight.Equals(other.Weight) && Rollup == other.Rollup && Objectives.SequenceEqual(other.Objectives);

    public override int GetHashCode() => HashCode.Combine(Id, Name);
}

/// <summary>A customer segment; partners (dealers, distributors) are customers too.</summary>
public sealed record Segment(string Id, string Name, SegmentKind Kind, string? Description = null);

/// <summary>A cause-effect arrow of the strategy map, between objectives (or measures).</summary>
public sealed record CauseEffectLink(string From, string To, string? Note = null);

/// <summary>Two objectives or measures declared in tension (e.g. cost to serve vs loyalty); never netted.</summary>
public sealed record Tension(string First, string Second, string? Note = null);

/// <summary>A strategic initiative supporting objectives.</summary>
public sealed record Initiative
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string> Objectives { get; init; } = [];

    public string? Owner { get; init; }

    public DateOnly? Start { get; init; }

    public DateOnly? End { get; init; }

    public double? Budget { get; init; }

    public double? ActualCost { get; init; }

    /// <summary>Fraction complete, 0..1.</summary>
    public double? Complete { get; init; }

    /// <summary>Dated checkpoints of the plan, in the order given.</summary>
    public IReadOnlyList<InitiativeMilestone> Milestones { get; init; } = [];

    public bool Equals(Initiative? other) =>
        other is not null && Id == other.Id && Name == other.Name && Description == other.Description
        && Objectives.SequenceEqual(other.Objectives) && Owner == other.Owner && Start == other.Start
        && End == other.End && Budget == other.Budget && ActualCost == other.ActualCost && Complete == other.Complete
        && Milestones.SequenceEqual(other.Milestones);

    public override int GetHashCode() => HashCode.Combine(Id, Name);
}

/// <summary>
/// A dated checkpoint of an initiative. <paramref name="Done"/> says whether it was reached; <paramref name="DoneOn"/>,
/// when known, the date it was (file: <c>done: true</c>, <c>false</c> or a date).
/// </summary>
public sealed record InitiativeMilestone(string Name, DateOnly Due, bool Done = false, DateOnly? DoneOn = null);

/// <summary>A likelihood and an impact on the 1..5 scales of a 5 × 5 risk matrix; the level is their product (1..25).</summary>
public readonly record struct RiskRating(int Likelihood, int Impact)
{
    /// <summary>Likelihood × impact, 1..25 for ratings on the 1..5 scales.</summary>
    public int Level => Likelihood * Impact;
}

/// <summary>
/// A risk to the strategy, linked to the objectives it threatens: its inherent rating (before any mitigation), the
/// rating aimed at and the residual rating now (after the mitigations so far), and the initiatives that mitigate it.
/// </summary>
public sealed record Risk
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string> Objectives { get; init; } = [];

    public string? Owner { get; init; }

    /// <summary>The rating before any mitigation.</summary>
    public RiskRating Inherent { get; init; }

    /// <summary>The rating the owner aims for (the risk appetite for it); null when not set.</summary>
    public RiskRating? Target { get; init; }

    /// <summary>The rating now, with the mitigations in place so far; null when not assessed (the inherent rating stands).</summary>
    public RiskRating? Residual { get; init; }

    /// <summary>Ids of the initiatives that mitigate the risk.</summary>
    public IReadOnlyList<string> Mitigations { get; init; } = [];

    /// <summary>When the rating is next to be reviewed.</summary>
    public DateOnly? Review { get; init; }

    /// <summary>The rating that stands now: the residual one when assessed, else the inherent one.</summary>
    public RiskRating Current => Residual ?? Inherent;

    public bool Equals(Risk? other) =>
        other is not null && Id == other.Id && Name == other.Name && Description == other.Description
        && Objectives.SequenceEqual(other.Objectives) && Owner == other.Owner && Inherent == other.Inherent
        && Target == other.Target && Residual == other.Residual && Mitigations.SequenceEqual(other.Mitigations)
        && Review == other.Review;

    public override int GetHashCode() => HashCode.Combine(Id, Name);
}

/// <summary>
/// A contribution of another scorecard's objective or measure to an objective of this one: a link, not a copy.
/// <see cref="From"/> is <c>scorecard-id#item-id</c> (or <c>file.yaml#item-id</c> for a file beside this one).
/// </summary>
public sealed record CascadeContribution(string Objective, string From, Weight Weight)
{
    public string SourceScorecard => From.Contains('#', StringComparison.Ordinal) ? From[..From.IndexOf('#', StringComparison.Ordinal)] : From;

    public string SourceItem => From.Contains('#', StringComparison.Ordinal) ? From[(From.IndexOf('#', StringComparison.Ordinal) + 1)..] : string.Empty;
}

/// <summary>A Balanced Scorecard: mission, calendar, rules, and the perspective → objective → measure tree.</summary>
public sealed record Scorecard
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Organisation { get; init; }

    public string? Mission { get; init; }

    public string? Vision { get; init; }

    public IReadOnlyList<string> Values { get; init; } = [];

    public FiscalCalendar Calendar { get; init; } = FiscalCalendar.Gregorian;

    public MissingDataPolicy Missing { get; init; } = MissingDataPolicy.Ignore;

    /// <summary>Sum and count measures in a period in progress: compared with the target to date (default) or the full target.</summary>
    public PartialPeriods PartialPeriods { get; init; } = PartialPeriods.ToDate;

    /// <summary>Score cap applied before rollup; 1.0 = no over-achievement.</summary>
    public double Overachievement { get; init; } = 1.0;

    public StatusRuleSet Status { get; init; } = StatusRuleSet.Default;

    public RollupMethod Rollup { get; init; } = RollupMethod.Weighted;

    public IReadOnlyList<Segment> Segments { get; init; } = [];

    /// <summary>Top of the strategy map first.</summary>
    public IReadOnlyList<Perspective> Perspectives { get; init; } = [];

    public IReadOnlyList<CauseEffectLink> Links { get; init; } = [];

    public IReadOnlyList<Tension> Tensions { get; init; } = [];

    public IReadOnlyList<Initiative> Initiatives { get; init; } = [];

    /// <summary>The risk register: risks to the objectives.</summary>
    public IReadOnlyList<Risk> Risks { get; init; } = [];

    public IReadOnlyList<CascadeContribution> Cascade { get; init; } = [];

    /// <summary>All objectives, depth first.</summary>
    public IEnumerable<Objective> AllObjectives()
    {
        foreach (var perspective in Perspectives)
        {
            foreach (var objective in Walk(perspective.Objectives))
            {
                yield return objective;
            }
        }

        static IEnumerable<Objective> Walk(IEnumerable<Objective> objectives)
        {
            foreach (var objective in objectives)
            {
                yield return objective;
                foreach (var sub in Walk(objective.Objectives))
                {
                    yield return sub;
                }
            }
        }
    }

    /// <summary>All measures, depth first.</summary>
    public IEnumerable<Measure> AllMeasures() => AllObjectives().SelectMany(o => o.Measures);

    /// <summary>
    /// The period the scorecard is reported by: the frequency most of its measures have (the finer on a tie; month
    /// when it has none). Its reporting period, its containers' "2 of 3 months" and the default view use it.
    /// </summary>
    public PeriodKind ReportingFrequency()
    {
        Span<int> count = stackalloc int[(int)PeriodKind.Year + 1];
        foreach (var measure in AllMeasures())
        {
            count[(int)measure.Frequency]++;
        }

        int best = (int)PeriodKind.Month;
        for (int kind = (int)PeriodKind.Year; kind >= (int)PeriodKind.Day; kind--)
        {
            if (count[kind] > 0 && count[kind] >= count[best])
            {
                best = kind;
            }
        }

        return (PeriodKind)best;
    }

    public bool Equals(Scorecard? other) =>
        other is not null && Id == other.Id && Name == other.Name && Organisation == other.Organisation
        && Mission == other.Mission && Vision == other.Vision && Values.SequenceEqual(other.Values)
        && Calendar == other.Calendar && Missing == other.Missing && PartialPeriods == other.PartialPeriods && Overachievement.Equals(other.Overachievement)
        && Status.Equals(other.Status) && Rollup == other.Rollup && Segments.SequenceEqual(other.Segments)
        && Perspectives.SequenceEqual(other.Perspectives) && Links.SequenceEqual(other.Links)
        && Tensions.SequenceEqual(other.Tensions) && Initiatives.SequenceEqual(other.Initiatives)
        && Risks.SequenceEqual(other.Risks) && Cascade.SequenceEqual(other.Cascade);

    public override int GetHashCode() => HashCode.Combine(Id, Name);
}

/// <summary>
/// One observed value of a measure for a period. Observations are append-only: a later observation for the
/// same measure and period supersedes the earlier one, which stays in the history.
/// </summary>
/// <summary>
/// An observed value of a measure for a period; <see cref="Segment"/> names the customer segment's series when the
/// measure is tracked per segment.
/// </summary>
public sealed record Observation(string Measure, Period Period, double Value, string? Note = null, string? Segment = null);

/// <summary>
/// The analysis and recommendations written for one item (the scorecard itself by its id, a perspective, objective or
/// measure) for one period: the reporting cycle's commentary as a scorecard file carries it.
/// </summary>
public sealed record CommentaryNote(string Item, Period Period, string Analysis, string Recommendations);

/// <summary>A scorecard with its observations: what a scorecard file holds, and what the engine evaluates.</summary>
public sealed record ScorecardData(Scorecard Scorecard, IReadOnlyList<Observation> Observations)
{
    /// <summary>The commentary of periods (file: <c>commentary:</c>); the engine does not read it.</summary>
    public IReadOnlyList<CommentaryNote> Commentary { get; init; } = [];

    public bool Equals(ScorecardData? other) =>
        other is not null && Scorecard.Equals(other.Scorecard) && Observations.SequenceEqual(other.Observations) && Commentary.SequenceEqual(other.Commentary);

    public override int GetHashCode() => Scorecard.GetHashCode();
}
