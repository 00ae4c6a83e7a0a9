using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.IntegrationTests.ScorecardFiles;

/// <summary>Scorecards the scorecard-file tests read and write.</summary>
internal static class ScorecardFileExamples
{
    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "ScorecardFiles", "Fixtures", name);

    /// <summary>The example of docs/scorecard-file.md, as data (Fixtures/full-example.yaml and .json).</summary>
    public static ScorecardData FullExample() => new(
        new Scorecard
        {
            Id = "support-2026",
            Name = "Customer Support Scorecard",
            Organisation = "Northwind Support",
            Mission = "Answer every customer quickly and well, at a cost we can sustain.",
            Vision = "...",
            Values = ["Respect", "Ownership"],
            Calendar = new FiscalCalendar(1),
            Missing = MissingDataPolicy.Ignore,
            Overachievement = 1.0,
            Status = StatusRuleSet.Default,
            Segments = [new Segment("retail", "Retail customers", SegmentKind.Customer), new Segment("dealers", "Dealers", SegmentKind.Partner)],
            Perspectives =
            [
                new Perspective
                {
                    Id = "financial",
                    Name = "Financial",
                    Objectives =
                    [
                        new Objective
                        {
                            Id = "lower-cost-to-serve",
                            Name = "Lower the cost to serve",
                            Measures =
                            [
                                new Measure
                                {
                                    Id = "cost-per-ticket",
                                    Name = "Cost per ticket",
                                    Unit = "USD",
                                    Direction = Direction.Decrease,
                                    Frequency = PeriodKind.Month,
                                    Aggregation = Aggregation.Average,
                                    Baseline = 12,
                                    Target = 9,
                                    Min = 0,
                                    Max = 20,
                                    Concern = CustomerConcern.Cost,
                                    Segment = "retail",
                                    Owner = "ana@example.org",
                                    Leading = false,
                                },
                            ],
                        },
                    ],
                },
                new Perspective
                {
                    Id = "customer",
                    Name = "Customer",
                    Objectives =
                    [
                        new Objective
                        {
                            Id = "loyal-customers",
                            Name = "Keep customers loyal",
                            Measures =
                            [
                                new Measure
                                {
                                    Id = "nps",
                                    Name = "Net Promoter Score",
                                    Formula = "[promoters-pct] - [detractors-pct]",
                                    FormulaAggregation = FormulaAggregation.AggregateInputs,
                                    MissingInputs = MissingInputs.Blank,
                                    Outcome = CustomerOutcome.Retention,
                                    ValueProposition = ValueProposition.Service,
                                    Target = 40,
                                    Baseline = 10,
                                },
                            ],
                        },
                    ],
                },
            ],
            Links = [new CauseEffectLink("loyal-customers", "lower-cost-to-serve", "loyal customers need less support")],
            Tensions = [new Tension("lower-cost-to-serve", "loyal-customers", "cost vs loyalty")],
            Initiatives =
            [
                new Initiative
                {
                    Id = "self-service",
                    Name = "Self-service portal",
                    Objectives = ["lower-cost-to-serve"],
                    Owner = "ana@example.org",
                    Start = new DateOnly(2026, 1, 1),
                    End = new DateOnly(2026, 9, 30),
                    Budget = 120000,
                    Complete = 0.4,
                },
            ],
            Cascade = [new CascadeContribution("loyal-customers", "emea-support#loyal-customers", new Weight(2))],
        },
        [
            new Observation("cost-per-ticket", Period.Month(2026, 1), 11.4, "January close"),
            new Observation("promoters-pct", Period.Month(2026, 1), 52),
        ]);

    /// <summary>A scorecard that sets every field to something other than its default, including the project's extra fields.</summary>
    public static ScorecardData Rich() => new(
        new Scorecard
        {
            Id = "rich",
            Name = "Everything set",
            Organisation = "Acme: \"the\" company #1",
            Mission = "Line one\nline two",
            Vision = "2030",
            Values = ["true", "Ownership", "- dash", "a, b"],
            Calendar = new FiscalCalendar(4, namedByStartYear: true),
            Missing = MissingDataPolicy.Strict,
            Overachievement = 1.2,
            Status = new StatusRuleSet(
            [
                new StatusRule(Status.Green, new StatusCondition(StatusVariable.PercentOfTarget, Comparison.Greater, 1.05)),
                new StatusRule(Status.Yellow, new StatusCondition(StatusVariable.Value, Comparison.Equal, -3.5)),
                new StatusRule(Status.Red, new StatusCondition(StatusVariable.Progress, Comparison.Less, 0.1)),
            ]),
            Rollup = RollupMethod.Min,
            Segments = [new Segment("dealers", "Dealers", SegmentKind.Partner, "Independent dealers")],
            Perspectives =
            [
                new Perspective
                {
                    Id = "p1",
                    Name = "Perspective",
                    Description = "Described",
                    Weight = new Weight(2.5),
                    Rollup = RollupMethod.Average,
                    Objectives =
                    [
                        new Objective
                        {
                            Id = "o1",
                            Name = "Parent",
                            Description = "Parent objective",
                            Owner = "bob@example.org",
                            Weight = new Weight([new WeightChange(new DateOnly(2026, 1, 1), 1), new WeightChange(new DateOnly(2026, 7, 1), 3)]),
                            Rollup = RollupMethod.Self,
                            Objectives =
                            [
                                new Objective
                                {
                                    Id = "o1-a",
                                    Name = "Child",
                                    Measures =
                                    [
                                        new Measure { Id = "m-thresholds", Name = "Thresholds", Scoring = new ScoringRule { Type = ScoringType.Thresholds, Goal = 700, RedFlag = 500 } },
                                        new Measure { Id = "m-range", Name = "Range", Direction = Direction.Range, Scoring = new ScoringRule { Type = ScoringType.Range, Low = 95, High = 105, Tolerance = 10 } },
                                        new Measure { Id = "m-ratio", Name = "Ratio", Scoring = new ScoringRule { Type = ScoringType.Ratio } },
                                        new Measure
                                        {
                                            Id = "m-points",
                                            Name = "Points",
                                            Scoring = new ScoringRule { Type = ScoringType.Points, Points = [new ScorePoint(10, 0.8), new ScorePoint(20, 1.0), new ScorePoint(25, 1.2)] },
                                        },
                                        new Measure { Id = "m-binary", Name = "Binary", Scoring = new ScoringRule { Type = ScoringType.Binary } },
                                        new Measure { Id = "m-formula", Name = "Formula", Scoring = new ScoringRule { Type = ScoringType.Formula, Expression = "pow((v-b)/(t-b), 2)" } },
                                        new Measure { Id = "m-none", Name = "None", Scoring = new ScoringRule { Type = ScoringType.None }, Inherit = 3 },
                                    ],
                                },
                            ],
                            Measures =
                            [
                                new Measure
                                {
                                    Id = "m1",
                                    Name = "Everything",
                                    Description = "A measure with all fields",
                                    Unit = "%",
                                    Direction = Direction.Decrease,
                                    Frequency = PeriodKind.HalfYear,
                                    Aggregation = Aggregation.Count,
                                    Formula = "[a] / [b]",
                                    FormulaAggregation = FormulaAggregation.AggregateResults,
                                    MissingInputs = MissingInputs.Zero,
                                    Baseline = 0.1 + 0.2,
                                    Target = 1e-7,
                                    Targets = [new PeriodTarget(Period.Quarter(2026, 2), 9.5), new PeriodTarget(Period.Month(2026, 1), 10), new PeriodTarget(Period.FiscalYear(2027), 8)],
                                    Min = -5,
                                    Max = 1e20,
                                    Scale = Scale.Performance,
                                    Weight = new Weight(0),
                                    Status = new StatusRuleSet([new StatusRule(Status.Red, null)]),
                                    Inherit = 0,
                                    Concern = CustomerConcern.PerformanceService,
                                    Outcome = CustomerOutcome.MarketShare,
                                    ValueProposition = ValueProposition.Functionality,
                                    Segment = "dealers",
                                    Owner = "null",
                                    Leading = true,
                                },
                            ],
                        },
                    ],
                },
            ],
            Links = [new CauseEffectLink("o1-a", "o1")],
            Tensions = [new Tension("o1", "o1-a")],
            Initiatives =
            [
                new Initiative { Id = "i1", Name = "Minimal initiative" },
                new Initiative
                {
                    Id = "i2",
                    Name = "Full initiative",
                    Description = "Does: things",
                    Objectives = ["o1", "o1-a"],
                    Owner = "ana@example.org",
                    Start = new DateOnly(2026, 2, 28),
                    End = new DateOnly(2027, 1, 31),
                    Budget = 1000.5,
                    ActualCost = 250,
                    Complete = 0,
                },
            ],
            Cascade =
            [
                new CascadeContribution("o1", "other.yaml#x", Weight.One),
                new CascadeContribution("o1", "emea#y", new Weight([new WeightChange(new DateOnly(2026, 3, 1), 0.5)])),
            ],
        },
        [
            new Observation("m1", Period.FiscalYear(2026), 1),
            new Observation("m1", Period.Half(2026, 2), -0.25, "# not a comment"),
            new Observation("m1", Period.Week(2026, 7), 3),
            new Observation("m1", Period.Day(new DateOnly(2026, 3, 15)), 4, ""),
        ]);
}
