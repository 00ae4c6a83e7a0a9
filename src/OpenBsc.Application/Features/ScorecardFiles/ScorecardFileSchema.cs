using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Application.Features.ScorecardFiles;

/// <summary>The spellings of a domain enum in the scorecard file (docs/scorecard-file.md): read case-insensitively, written canonically.</summary>
internal sealed class Spelling<T>(string what, params (string Name, T Value)[] names)
    where T : struct, Enum
{
    /// <summary>What a value is, for messages: "direction".</summary>
    public string What { get; } = what;

    /// <summary>The allowed spellings, for messages: "increase, decrease, range".</summary>
    public string Expected { get; } = string.Join(", ", names.Select(n => n.Name));

    public bool TryParse(string text, out T value)
    {
        foreach (var (name, candidate) in names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public string Name(T value)
    {
        foreach (var (name, candidate) in names)
        {
            if (EqualityComparer<T>.Default.Equals(candidate, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name}.{value} has no spelling in the scorecard file.");
    }
}

/// <summary>
/// The names of the scorecard file: enum spellings and each object's fields in the order the writer emits
/// them. Spelled out rather than derived from the enums, because these names are a contract and a domain
/// rename must not silently change them.
/// </summary>
internal static class ScorecardFileSchema
{
    public const int Version = 1;

    public static readonly Spelling<Direction> Directions = new("direction",
        ("increase", Direction.Increase), ("decrease", Direction.Decrease), ("range", Direction.Range));

    public static readonly Spelling<PeriodKind> Frequencies = new("frequency",
        ("day", PeriodKind.Day), ("week", PeriodKind.Week), ("month", PeriodKind.Month),
        ("quarter", PeriodKind.Quarter), ("half-year", PeriodKind.HalfYear), ("year", PeriodKind.Year));

    public static readonly Spelling<Aggregation> Aggregations = new("aggregation",
        ("sum", Aggregation.Sum), ("average", Aggregation.Average), ("last", Aggregation.Last),
        ("min", Aggregation.Min), ("max", Aggregation.Max), ("count", Aggregation.Count));

    public static readonly Spelling<RollupMethod> Rollups = new("rollup method",
        ("weighted", RollupMethod.Weighted), ("average", RollupMethod.Average), ("min", RollupMethod.Min),
        ("max", RollupMethod.Max), ("self", RollupMethod.Self));

    public static readonly Spelling<MissingDataPolicy> MissingPolicies = new("missing-data policy",
        ("ignore", MissingDataPolicy.Ignore), ("strict", MissingDataPolicy.Strict), ("zero", MissingDataPolicy.Zero));

    public static readonly Spelling<PartialPeriods> PartialPeriodPolicies = new("partial-periods policy",
        ("toDate", PartialPeriods.ToDate), ("full", PartialPeriods.Full));

    public static readonly Spelling<Scale> Scales = new("scale",
        ("progress", Scale.Progress), ("performance", Scale.Performance));

    public static readonly Spelling<FormulaAggregation> FormulaAggregations = new("formula aggregation",
        ("aggregate-inputs", FormulaAggregation.AggregateInputs), ("aggregate-results", FormulaAggregation.AggregateResults));

    public static readonly Spelling<MissingInputs> MissingInputsPolicies = new("missing-inputs policy",
        ("blank", MissingInputs.Blank), ("zero", MissingInputs.Zero));

    public static readonly Spelling<CustomerConcern> Concerns = new("customer concern",
        ("time", CustomerConcern.Time), ("quality", CustomerConcern.Quality),
        ("performance-service", CustomerConcern.PerformanceService), ("cost", CustomerConcern.Cost));

    public static readonly Spelling<CustomerOutcome> Outcomes = new("customer outcome",
        ("market-share", CustomerOutcome.MarketShare), ("account-share", CustomerOutcome.AccountShare), ("acquisition", CustomerOutcome.Acquisition),
        ("retention", CustomerOutcome.Retention), ("satisfaction", CustomerOutcome.Satisfaction), ("profitability", CustomerOutcome.Profitability));

    public static readonly Spelling<ValueProposition> ValuePropositions = new("value proposition",
        ("price", ValueProposition.Price), ("quality", ValueProposition.Quality),
        ("time", ValueProposition.Time), ("functionality", ValueProposition.Functionality),
        ("service", ValueProposition.Service), ("relationship", ValueProposition.Relationship),
        ("image", ValueProposition.Image));

    public static readonly Spelling<SegmentKind> SegmentKinds = new("segment kind",
        ("customer", SegmentKind.Customer), ("partner", SegmentKind.Partner),
        ("beneficiary", SegmentKind.Beneficiary), ("stakeholder", SegmentKind.Stakeholder));

    // Gray means "no data" and is never chosen by a rule.
    public static readonly Spelling<Status> Statuses = new("status",
        ("Green", Status.Green), ("Yellow", Status.Yellow), ("Red", Status.Red));

    public static readonly Spelling<StatusVariable> StatusVariables = new("status variable",
        ("score", StatusVariable.Score), ("progress", StatusVariable.Progress),
        ("performance", StatusVariable.Performance), ("value", StatusVariable.Value),
        ("percentOfTarget", StatusVariable.PercentOfTarget));

    public static readonly Spelling<ScoringType> ScoringTypes = new("scoring type",
        ("linear", ScoringType.Linear), ("thresholds", ScoringType.Thresholds),
        ("range", ScoringType.Range), ("ratio", ScoringType.Ratio),
        ("points", ScoringType.Points), ("binary", ScoringType.Binary),
        ("formula", ScoringType.Formula), ("none", ScoringType.None));

    public static readonly Spelling<FiscalYearName> FiscalYearNames = new("fiscal-year naming",
        ("start", FiscalYearName.Start), ("end", FiscalYearName.End));

    public static readonly string[] TopFields = ["openbsc", "organisation", "scorecard", "observations", "commentary"];

    public static readonly string[] CommentaryFields = ["item", "period", "analysis", "recommendations"];

    public static readonly string[] ScorecardFields =
    [
        "id", "name", "mission", "vision", "values", "calendar", "missing", "partialPeriods", "overachievement", "status", "rollup",
        "segments", "perspectives", "links", "tensions", "initiatives", "risks", "cascade",
    ];

    public static readonly string[] CalendarFields = ["fiscalYearStart", "fiscalYearNamedBy"];

    public static readonly string[] StatusRuleFields = ["status", "when"];

    public static readonly string[] SegmentFields = ["id", "name", "kind", "description"];

    public static readonly string[] PerspectiveFields = ["id", "name", "description", "weight", "rollup", "objectives"];

    public static readonly string[] ObjectiveFields = ["id", "name", "description", "owner", "weight", "rollup", "objectives", "measures"];

    public static readonly string[] MeasureFields =
    [
        "id", "name", "description", "unit", "direction", "frequency", "aggregation", "formula", "formulaAggregation",
        "missingInputs", "baseline", "target", "targets", "min", "max", "scoring", "scale", "weight", "status",
        "inherit", "concern", "outcome", "valueProposition", "segment", "segments", "owner", "leading", "start", "due", "milestones",
    ];

    public static readonly string[] MilestoneFields = ["date", "value"];

    public static readonly string[] SegmentSeriesFields = ["segment", "baseline", "target", "targets", "weight"];

    public static readonly string[] WeightChangeFields = ["from", "value"];

    public static readonly string[] LinkFields = ["from", "to", "note"];

    public static readonly string[] TensionFields = ["between", "note"];

    public static readonly string[] InitiativeFields =
        ["id", "name", "description", "objectives", "owner", "start", "end", "budget", "actualCost", "complete", "milestones"];

    public static readonly string[] InitiativeMilestoneFields = ["name", "due", "done"];

    public static readonly string[] RiskFields =
        ["id", "name", "description", "objectives", "owner", "likelihood", "impact", "target", "residual", "mitigations", "review"];

    public static readonly string[] RiskRatingFields = ["likelihood", "impact"];

    public static readonly string[] CascadeFields = ["objective", "from", "weight"];

    public static readonly string[] ObservationFields = ["measure", "segment", "period", "value", "note"];

    /// <summary>Every scoring field; which apply depends on the type (<see cref="ScoringFieldsOf"/>).</summary>
    public static readonly string[] ScoringFields = ["type", "goal", "redFlag", "low", "high", "tolerance", "points", "expression"];

    public static string[] ScoringFieldsOf(ScoringType type) => type switch
    {
        ScoringType.Thresholds => ["type", "goal", "redFlag"],
        ScoringType.Range => ["type", "low", "high", "tolerance"],
        ScoringType.Points => ["type", "points"],
        ScoringType.Formula => ["type", "expression"],
        _ => ["type"],
    };
}

/// <summary>Whether a fiscal year is named by the calendar year it starts or ends in.</summary>
internal enum FiscalYearName
{
    Start,
    End,
}

/// <summary>The scorecard file's spellings that forms outside this folder need (the designer's choices).</summary>
public static class ScorecardFileSpellings
{
    /// <summary>The fields a scoring of type <paramref name="typeName"/> takes (e.g. thresholds: type, goal, redFlag); empty for an unknown type.</summary>
    public static IReadOnlyList<string> ScoringFields(string typeName) =>
        ScorecardFileSchema.ScoringTypes.TryParse(typeName, out var type) ? ScorecardFileSchema.ScoringFieldsOf(type) : [];

    /// <summary>The spellings a measure field accepts (e.g. direction: increase, decrease, range); empty for a free field.</summary>
    public static IReadOnlyList<string> Choices(string field) => (field switch
    {
        "direction" => ScorecardFileSchema.Directions.Expected,
        "frequency" => ScorecardFileSchema.Frequencies.Expected,
        "aggregation" => ScorecardFileSchema.Aggregations.Expected,
        "rollup" => ScorecardFileSchema.Rollups.Expected,
        "scale" => ScorecardFileSchema.Scales.Expected,
        "formulaAggregation" => ScorecardFileSchema.FormulaAggregations.Expected,
        "missingInputs" => ScorecardFileSchema.MissingInputsPolicies.Expected,
        "concern" => ScorecardFileSchema.Concerns.Expected,
        "outcome" => ScorecardFileSchema.Outcomes.Expected,
        "valueProposition" => ScorecardFileSchema.ValuePropositions.Expected,
        "scoring.type" => ScorecardFileSchema.ScoringTypes.Expected,
        _ => string.Empty,
    }).Split(", ", StringSplitOptions.RemoveEmptyEntries);
}

