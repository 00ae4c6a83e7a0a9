using CsCheck;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Testing;

namespace OpenBsc.Domain.Tests;

/// <summary>Invariants of scoring and rollup, checked on random input (seeded by CsCheck; failures print the seed).</summary>
public class EnginePropertyTests
{
    private static readonly Gen<double> AnyFinite = Gen.Double.Where(double.IsFinite);
    private static readonly Gen<double> Moderate = Gen.Double[-1e6, 1e6];

    private static readonly Gen<ScoringRule> Rules = Gen.OneOf(
        Gen.Const(ScoringRule.Linear),
        Gen.Const(new ScoringRule { Type = ScoringType.Ratio }),
        Gen.Const(new ScoringRule { Type = ScoringType.Binary }),
        Gen.Select(Moderate, Moderate).Where(g => g.Item1 != g.Item2).Select(g => new ScoringRule { Type = ScoringType.Thresholds, Goal = g.Item1, RedFlag = g.Item2 }),
        Gen.Select(Moderate, Gen.Double[0, 1e3], Gen.Double[0, 1e3]).Select(r => new ScoringRule { Type = ScoringType.Range, Low = r.Item1, High = r.Item1 + r.Item2, Tolerance = r.Item3 }),
        Gen.Double[-1e3, 1e3].Array[1, 5].Select(xs => new ScoringRule
        {
            Type = ScoringType.Points,
            Points = [.. xs.Distinct().Order().Select((x, i) => new ScorePoint(x, i * 0.3))],
        }));

    private static readonly Gen<Measure> Measures =
        Gen.Select(Rules, Gen.Enum<Direction>().Where(d => d != Direction.Range), Moderate, Moderate, Gen.Enum<Aggregation>())
            .Where(m => m.Item3 != m.Item4)
            .Select(m => new Measure { Id = "m", Name = "m", Scoring = m.Item1, Direction = m.Item2, Baseline = m.Item3, Target = m.Item4, Aggregation = m.Item5 });

    [Fact]
    public void Score_AnyMeasureAnyValue_WithinZeroAndCapNeverNaNOrInfinity()
    {
        Gen.Select(Measures, AnyFinite.Array[0, 4], Gen.Double[1, 2]).Sample(sample =>
        {
            var (measure, values, cap) = sample;
            var builder = new ScorecardBuilder().With(c => c with { Overachievement = cap }).WithMeasures(measure);
            builder.WithMonthly("m", "2026-01", values);

            foreach (var period in new[] { "2026-01", "2026-02", "2026-Q1", "2026" })
            {
                var model = ScorecardModel.Build(builder.Build());
                var result = model.Evaluate(new PeriodView(Period.Parse(period)));
                for (int i = 0; i < result.Count; i++)
                {
                    var node = result[i];
                    AssertFiniteOrNull(node.Value, node.Target, node.Progress, node.Performance, node.Score);
                    Assert.True(node.Score is null || (node.Score >= 0 && node.Score <= cap), $"score {node.Score} outside [0, {cap}]");
                    Assert.True(node.Score is not null || node.Status is Status.Gray or null);
                }
            }
        });
    }

    [Fact]
    public void Rollup_LiesBetweenMinAndMaxOfChildren()
    {
        Gen.Select(Gen.Double[0, 1].Array[1, 8], Gen.Double[0, 10].Array[8]).Sample(sample =>
        {
            var (scores, weights) = sample;
            var result = Evaluate(scores, weights);
            double? rolled = result["o"].Score;
            var counted = scores.Where((_, i) => weights[i] > 0).ToArray();
            if (counted.Length == 0)
            {
                Assert.Null(rolled);
                return;
            }

            Assert.InRange(rolled!.Value, counted.Min() - 1e-12, counted.Max() + 1e-12);
        });
    }

    [Fact]
    public void Rollup_ScalingAllSiblingWeights_ChangesNothing()
    {
        Gen.Select(Gen.Double[0, 1].Array[1, 8], Gen.Double[0.01, 10].Array[8], Gen.Double[0.001, 1000]).Sample(sample =>
        {
            var (scores, weights, k) = sample;
            double before = Evaluate(scores, weights)["o"].Score!.Value;
            double after = Evaluate(scores, [.. weights.Select(w => w * k)])["o"].Score!.Value;

            Assert.Equal(before, after, 9);
        });
    }

    [Fact]
    public void Rollup_OrderOfChildren_ChangesNothing()
    {
        Gen.Select(Gen.Double[0, 1].Array[2, 8], Gen.Double[0.01, 10].Array[8], Gen.Int).Sample(sample =>
        {
            var (scores, weights, seed) = sample;
            var order = Enumerable.Range(0, scores.Length).ToArray();
            new Random(seed).Shuffle(order);
            double before = Evaluate(scores, weights)["o"].Score!.Value;
            double after = Evaluate([.. order.Select(i => scores[i])], [.. order.Select(i => weights[i])])["o"].Score!.Value;

            Assert.Equal(before, after, 9);
        });
    }

    [Fact]
    public void Rollup_MissingDataPolicies_BehaveAsDocumented()
    {
        Gen.Select(Gen.Double[0, 1].Array[2, 8], Gen.Bool.Array[8]).Sample(sample =>
        {
            var (scores, missing) = sample;
            double?[] withGaps = [.. scores.Select((s, i) => missing[i] ? (double?)null : s)];
            var present = withGaps.Where(s => s is not null).Select(s => s!.Value).ToArray();

            var ignore = Evaluate(withGaps, MissingDataPolicy.Ignore)["o"];
            var zero = Evaluate(withGaps, MissingDataPolicy.Zero)["o"];
            var strict = Evaluate(withGaps, MissingDataPolicy.Strict)["o"];

            Assert.Equal(present.Length, ignore.ChildrenWithData);
            Assert.Equal(scores.Length, ignore.ChildrenTotal);
            if (present.Length == 0)
            {
                Assert.Null(ignore.Score);
                Assert.Null(zero.Score);
                Assert.Null(strict.Score);
                return;
            }

            Assert.Equal(present.Average(), ignore.Score!.Value, 9);
            Assert.Equal(present.Sum() / scores.Length, zero.Score!.Value, 9);
            Assert.Equal(present.Length == scores.Length ? present.Average() : null, strict.Score is double s ? Math.Round(s, 9) : null, new RoundedComparer());
        });
    }

    private sealed class RoundedComparer : IEqualityComparer<double?>
    {
        public bool Equals(double? x, double? y) => (x is null && y is null) || (x is double a && y is double b && Math.Abs(a - b) < 1e-8);

        public int GetHashCode(double? obj) => 0;
    }

    private static ScorecardEvaluation Evaluate(double[] scores, double[] weights)
    {
        var builder = new ScorecardBuilder().WithMeasures([.. scores.Select((_, i) => ScorecardBuilder.Measure($"m{i}", 0, 1) with { Weight = new Weight(weights[i]) })]);
        for (int i = 0; i < scores.Length; i++)
        {
            builder.WithObservation($"m{i}", "2026-01", scores[i]);
        }

        return ScorecardModel.Build(builder.Build()).Evaluate(new PeriodView(Period.Parse("2026-01")));
    }

    private static ScorecardEvaluation Evaluate(double?[] scores, MissingDataPolicy policy)
    {
        var builder = new ScorecardBuilder().With(c => c with { Missing = policy })
            .WithMeasures([.. scores.Select((_, i) => ScorecardBuilder.Measure($"m{i}", 0, 1))]);
        for (int i = 0; i < scores.Length; i++)
        {
            if (scores[i] is double s)
            {
                builder.WithObservation($"m{i}", "2026-01", s);
            }
        }

        return ScorecardModel.Build(builder.Build()).Evaluate(new PeriodView(Period.Parse("2026-01")));
    }

    private static void AssertFiniteOrNull(params double?[] values)
    {
        foreach (double? value in values)
        {
            Assert.True(value is null || double.IsFinite(value.Value), $"{value} is not finite");
        }
    }
}
