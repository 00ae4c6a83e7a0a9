namespace OpenBsc.Domain.Scorecards;

/// <summary>Which way a measure improves.</summary>
public enum Direction
{
    Increase,
    Decrease,
    Range,
}

/// <summary>How a measure's observations combine when viewed at a coarser period (SCORING.md §5).</summary>
public enum Aggregation
{
    Sum,
    Average,
    Last,
    Min,
    Max,
    Count,
}

/// <summary>How a container's score derives from its children (SCORING.md §4).</summary>
public enum RollupMethod
{
    Weighted,
    Average,
    Min,
    Max,
    Self,
}

/// <summary>
/// What a sum or count measure is compared with in a period that has not ended (docs/scoring.md §5, "Periods in
/// progress").
/// </summary>
public enum PartialPeriods
{
    /// <summary>The period-to-date target: the targets of the sub-periods ended (or already reported), as BSC Designer and Spider Impact do for year to date.</summary>
    ToDate,

    /// <summary>The whole period's target, as if the period had ended.</summary>
    Full,
}

/// <summary>How a container treats children without a score (SCORING.md §4).</summary>
public enum MissingDataPolicy
{
    /// <summary>Ignored; weights renormalised over the rest (Spider Impact default).</summary>
    Ignore,

    /// <summary>Any missing child makes the parent Gray.</summary>
    Strict,

    /// <summary>A missing child counts as 0.</summary>
    Zero,
}

/// <summary>The scale a measure is scored on: baseline→target or min→max.</summary>
public enum Scale
{
    Progress,
    Performance,
}

/// <summary>How a calculated measure is evaluated at a coarser period (SCORING.md §6).</summary>
public enum FormulaAggregation
{
    /// <summary>Aggregate each input over the period, then evaluate (ΣA/ΣB).</summary>
    AggregateInputs,

    /// <summary>Evaluate per period of the measure's frequency, then aggregate the results (Σ(A/B)).</summary>
    AggregateResults,
}

/// <summary>What a calculated measure does with a missing input.</summary>
public enum MissingInputs
{
    Blank,
    Zero,
}

/// <summary>The customer concerns of Kaplan and Norton's customer perspective.</summary>
public enum CustomerConcern
{
    Time,
    Quality,
    PerformanceService,
    Cost,
}

/// <summary>Core customer outcome measures.</summary>
public enum CustomerOutcome
{
    MarketShare,
    AccountShare,
    Acquisition,
    Retention,
    Satisfaction,
    Profitability,
}

/// <summary>Attributes of the customer value proposition.</summary>
public enum ValueProposition
{
    Price,
    Quality,
    Time,
    Functionality,
    Service,
    Relationship,
    Image,
}

/// <summary>Kinds of "customer": not only those who pay.</summary>
public enum SegmentKind
{
    Customer,
    Partner,
    Beneficiary,
    Stakeholder,
}

/// <summary>Status of a node; Gray means no data (never a colour guessed from nothing).</summary>
public enum Status
{
    Green,
    Yellow,
    Red,
    Gray,
}
