using OpenBsc.Benchmarks;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Domain.Tests;

/// <summary>
/// <see cref="ScorecardModel.Evaluate(PeriodView)"/> computes the previous period in the same walk over the tree as the viewed
/// one. It must give exactly what two separate evaluations give: every value, score, status and count of the viewed
/// period, and the trend (SCORING.md §7) between the viewed period's scores and the previous period's.
/// </summary>
public class OnePassTrendTests
{
    private static readonly Segment Retail = new("retail", "Retail customers", SegmentKind.Customer);
    private static readonly Segment Dealers = new("dealers", "Dealers", SegmentKind.Partner);

    // Months (incl. the first observed month, whose previous has no data, and a month after the data), quarters,
    // halves and years; year to date; one date that puts some of them in progress.
    private static readonly string[] Periods =
        ["2022-01", "2023-07", "2025-12", "2026-01", "2026-04", "2026-06", "2026-07", "2027-01", "2026-Q1", "2026-Q3", "2026-H2", "2025", "2026"];

    public static TheoryData<MissingDataPolicy> Policies => [MissingDataPolicy.Ignore, MissingDataPolicy.Zero, MissingDataPolicy.Strict];

    [Theory]
    [MemberData(nameof(Policies))]
    public void Evaluate_OnePassTrend_EqualsTwoEvaluations_OnTheSyntheticCompany(MissingDataPolicy missing)
    {
        var data = SyntheticCompany.Build(measures: 2_000, levels: 3, months: 60, seed: 7);
        var model = ScorecardModel.Build(data with { Scorecard = data.Scorecard with { Missing = missing } });

        var seen = CompareAll(model);

        // The synthetic company has gaps and weight 0: every kind of trend, and nodes without one, occur.
        Assert.All(new Trend?[] { Trend.Improving, Trend.Worsening, Trend.Flat, null }, t => Assert.True(seen[Slot(t)] > 0, $"no node with trend {t?.ToString() ?? "none"}"));
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Evaluate_OnePassTrend_EqualsTwoEvaluations_WithFormulasQuartersSegmentsInheritanceAndChangingWeights(MissingDataPolicy missing)
    {
        var model = ScorecardModel.Build(Mixed(missing));

        var seen = CompareAll(model);

        Assert.True(seen[Slot(Trend.Improving)] > 0 && seen[Slot(Trend.Worsening)] > 0 && seen[Slot(null)] > 0);
    }

    private static int Slot(Trend? trend) => trend is { } t ? (int)t : 3;

    /// <summary>Every period of <see cref="Periods"/>, whole and year to date, with and without a today; how many nodes had each trend (<see cref="Slot"/>).</summary>
    private static int[] CompareAll(ScorecardModel model)
    {
        var seen = new int[4];
        foreach (string text in Periods)
        {
            foreach (bool ytd in new[] { false, true })
            {
                foreach (DateOnly? today in new DateOnly?[] { null, new DateOnly(2026, 8, 14) })
                {
                    var view = new PeriodView(Period.Parse(text), ytd, today);
                    var onePass = model.Evaluate(view);
                    var now = model.EvaluateWithoutTrend(view);
                    var before = model.EvaluateWithoutTrend(view.Previous());
                    var series = model.EvaluateSeries(view, 1)[0];
                    for (int i = 0; i < onePass.Count; i++)
                    {
                        var expected = TrendBetween(now[i].Score, before[i].Score);
                        Assert.Equal(now[i], onePass[i] with { Trend = null });
                        Assert.True(expected == onePass[i].Trend, $"{view}, node {model.Nodes[i].Id}: trend {onePass[i].Trend} but the two evaluations give {expected}");
                        Assert.Equal(series[i], onePass[i]);
                        seen[Slot(expected)]++;
                    }
                }
            }
        }

        return seen;
    }

    /// <summary>SCORING.md §7 on two separately computed scores: none unless both exist; |Δ| &lt; 0.005 is flat.</summary>
    private static Trend? TrendBetween(double? now, double? before) =>
        now is not double a || before is not double b ? null
        : Math.Abs(a - b) < 0.005 ? Trend.Flat
        : a > b ? Trend.Improving : Trend.Worsening;

    /// <summary>
    /// A small synthetic company (its monthly measures take the fast path) beside a perspective of everything else:
    /// formulas (both aggregations, missing inputs as zero), a quarterly measure, inheritance, explicit targets,
    /// a measure per segment, weight 0, weights that change between two periods, every rollup method, and a
    /// fiscal year starting in April.
    /// </summary>
    private static ScorecardData Mixed(MissingDataPolicy missing)
    {
        var synthetic = SyntheticCompany.Build(measures: 500, levels: 2, months: 60, seed: 11);
        var changing = new Weight([new WeightChange(new DateOnly(2026, 4, 1), 0), new WeightChange(new DateOnly(2026, 7, 1), 2.5)]);
        Measure M(string id, Aggregation aggregation = Aggregation.Average, double target = 100) =>
            new() { Id = id, Name = id, Baseline = 0, Target = target, Aggregation = aggregation };
        var mixed = new Perspective
        {
            Id = "mixed",
            Name = "Mixed",
            Weight = changing,
            Objectives =
            [
                new Objective
                {
                    Id = "formulas",
                    Name = "Formulas",
                    Rollup = RollupMethod.Average,
                    Measures =
                    [
                        M("a"),
                        M("s", Aggregation.Sum, 300) with { Weight = new Weight(0) },
                        M("f") with { Formula = "[a] - [s] / 4", Target = 50 },
                        M("g", Aggregation.Sum, 200) with { Formula = "[a] * 2", FormulaAggregation = FormulaAggregation.AggregateResults, MissingInputs = MissingInputs.Zero },
                    ],
                },
                new Objective
                {
                    Id = "periods",
                    Name = "Periods",
                    Rollup = RollupMethod.Min,
                    Weight = changing,
                    Measures =
                    [
                        M("q", target: 40) with { Frequency = PeriodKind.Quarter },
                        M("inh", Aggregation.Last) with { Inherit = 2 },
                        M("tgt", Aggregation.Sum, 100) with { Targets = [new PeriodTarget(Period.Parse("2026-Q2"), 240), new PeriodTarget(Period.Parse("2026-06"), 70)] },
                        M("down", target: 10) with { Baseline = 90, Direction = Direction.Decrease, Weight = changing },
                    ],
                },
                new Objective
                {
                    Id = "segments",
                    Name = "Segments",
                    Rollup = RollupMethod.Max,
                    Measures = [M("seg") with { Segments = [new SegmentSeries { Segment = "retail", Target = 80 }, new SegmentSeries { Segment = "dealers", Target = 60, Weight = changing }] }],
                },
                new Objective { Id = "self", Name = "Self", Rollup = RollupMethod.Self, Measures = [M("own")] },
            ],
        };
        var card = synthetic.Scorecard with
        {
            Missing = missing,
            Calendar = new FiscalCalendar(4),
            Segments = [Retail, Dealers],
            Perspectives = [.. synthetic.Scorecard.Perspectives, mixed],
        };

        var observations = new List<Observation>(synthetic.Observations);
        var month = Period.Month(2025, 1);
        for (int i = 0; i < 24; i++, month = month.Next())
        {
            // Gaps differ per measure, so some periods have one input of a formula and not the other.
            double x = 50 + 40 * Math.Sin(i * 0.9);
            if (i % 5 != 3)
            {
                observations.Add(new Observation("a", month, x));
            }

            if (i % 4 != 1)
            {
                observations.Add(new Observation("s", month, 25 + (i * 7 % 11)));
            }

            if (i % 3 == 0)
            {
                observations.Add(new Observation("inh", month, x));
            }

            observations.Add(new Observation("tgt", month, 60 + (i * 13 % 30)));
            observations.Add(new Observation("down", month, 80 - (i * 3)));
            observations.Add(new Observation("own", month, 100 - x));
            observations.Add(new Observation("seg", month, x, Segment: "retail"));
            if (i % 2 == 0)
            {
                observations.Add(new Observation("seg", month, 100 - x, Segment: "dealers"));
            }
        }

        var quarter = Period.Quarter(2025, 1);
        for (int i = 0; i < 8; i++, quarter = quarter.Next())
        {
            if (i != 5)
            {
                observations.Add(new Observation("q", quarter, 10 + (i * 17 % 40)));
            }
        }

        return new ScorecardData(card, observations);
    }
}
