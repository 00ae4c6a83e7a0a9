using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Benchmarks;

/// <summary>
/// A deterministic synthetic company: one scorecard, 4 perspectives, objectives nested <c>levels</c> deep,
/// monthly measures on the leaf objectives and one observation per measure and month from 2022-01, with
/// ~2% of the values missing. The same arguments always give the same scorecard and the same numbers.
/// </summary>
/// <remarks>
/// With the defaults the fan-out is 5 objectives per objective, 8 measures per leaf objective:
/// 4 × 5⁵ = 12,500 leaf objectives, 100,000 measures, 15,620 objectives, 115,625 nodes and
/// 5,878,699 observations (6,000,000 less 121,301 gaps, 2.0%). Observations are produced lazily by
/// <see cref="SyntheticObservations"/>, so the data costs about 2 MB besides the definition objects.
/// </remarks>
public static class SyntheticCompany
{
    public const int Perspectives = 4;

    /// <summary>Leaf objectives get about this many measures; the fan-out is chosen to match.</summary>
    private const int MeasuresPerLeaf = 8;

    /// <summary>Observations start in January 2022: 60 months run to December 2026.</summary>
    public static readonly Period FirstMonth = Period.Month(2022, 1);

    private static readonly Weight Zero = new(0);
    private static readonly Weight[] Weights = [Weight.One, new(1.5), new(2), new(2.5), new(3)];
    private static readonly Aggregation[] Aggregations = [Aggregation.Average, Aggregation.Sum, Aggregation.Last];

    /// <summary>The synthetic scorecard with its observations.</summary>
    public static ScorecardData Build(int measures = 100_000, int levels = 5, int months = 60, int seed = 42)
    {
        var scorecard = BuildScorecard(measures, levels, seed);
        return new ScorecardData(scorecard, new SyntheticObservations(scorecard, months, seed));
    }

    /// <summary>The definition only (no observations): the tree, measures, weights.</summary>
    public static Scorecard BuildScorecard(int measures = 100_000, int levels = 5, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(measures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(levels);
        int fanOut = FanOut(measures, levels);
        int leaves = Perspectives * checked((int)Math.Pow(fanOut, levels));
        var tree = new TreeBuilder(seed, levels, fanOut, measures, leaves);
        var perspectives = new Perspective[Perspectives];
        string[] names = ["Financial", "Customer", "Internal processes", "Learning and growth"];
        for (int p = 0; p < Perspectives; p++)
        {
            string id = $"p{p + 1}";
            perspectives[p] = new Perspective
            {
                Id = id,
                Name = names[p],
                Weight = Weights[Pick(Mix(seed, Draw.PerspectiveWeight, p), Weights.Length)],
                Objectives = tree.Children(id, level: 1),
            };
        }

        return new Scorecard
        {
            Id = "synthetic",
            Name = "Synthetic company",
            Organisation = "OpenBsc benchmarks",
            Perspectives = perspectives,
        };
    }

    /// <summary>Objectives per objective, so that leaf objectives hold about <see cref="MeasuresPerLeaf"/> measures.</summary>
    internal static int FanOut(int measures, int levels) =>
        Math.Max(1, (int)Math.Round(Math.Pow(measures / (double)(Perspectives * MeasuresPerLeaf), 1.0 / levels)));

    private sealed class TreeBuilder(int seed, int levels, int fanOut, int measures, int leaves)
    {
        private int _nextLeaf;
        private int _nextMeasure;
        private int _nextObjective;

        public Objective[] Children(string parentId, int level)
        {
            var objectives = new Objective[fanOut];
            for (int i = 0; i < fanOut; i++)
            {
                // Ids such as p1-3-2: lowercase words joined by single '-', as ScorecardValidator requires.
                string id = $"{parentId}-{i + 1}";
                int ordinal = _nextObjective++;
                var weight = Unit(Mix(seed, Draw.ObjectiveWeight, ordinal)) < 0.03
                    ? Zero
                    : Weights[Pick(Mix(seed, Draw.ObjectiveWeightValue, ordinal), Weights.Length)];
                objectives[i] = level == levels
                    ? new Objective { Id = id, Name = id, Weight = weight, Measures = LeafMeasures() }
                    : new Objective { Id = id, Name = id, Weight = weight, Objectives = Children(id, level + 1) };
            }

            return objectives;
        }

        private Measure[] LeafMeasures()
        {
            // Spread the measures evenly: the first (measures % leaves) leaves take one more.
            int leaf = _nextLeaf++;
            int count = measures / leaves + (leaf < measures % leaves ? 1 : 0);
            var result = new Measure[count];
            for (int i = 0; i < count; i++)
            {
                result[i] = NewMeasure(_nextMeasure++);
            }

            return result;
        }

        private Measure NewMeasure(int m)
        {
            bool increase = Unit(Mix(seed, Draw.Direction, m)) < 0.5;
            double baseline = Math.Round(50 + 100 * Unit(Mix(seed, Draw.Baseline, m)), 1);
            double span = Math.Round(10 + 90 * Unit(Mix(seed, Draw.Span, m)), 1);
            var weight = Unit(Mix(seed, Draw.MeasureWeight, m)) < 0.05
                ? Zero
                : Weights[Pick(Mix(seed, Draw.MeasureWeightValue, m), Weights.Length)];
            string id = $"m{m}";
            return new Measure
            {
                Id = id,
                Name = id, // shares the id string: keeps the definitions lean (the memory figure counts no name text)
                Direction = increase ? Direction.Increase : Direction.Decrease,
                Frequency = PeriodKind.Month,
                Aggregation = Aggregations[Pick(Mix(seed, Draw.Aggregation, m), Aggregations.Length)],
                Baseline = baseline,
                Target = increase ? baseline + span : baseline - span,
                Weight = weight,
            };
        }
    }

    /// <summary>Independent random streams, so that changing one property does not reshuffle the others.</summary>
    internal enum Draw
    {
        PerspectiveWeight = 1,
        ObjectiveWeight,
        ObjectiveWeightValue,
        Direction,
        Baseline,
        Span,
        MeasureWeight,
        MeasureWeightValue,
        Aggregation,
        HasGaps,
        Gap,
        Value,
    }

    /// <summary>SplitMix64 over (seed, draw, a, b): a stateless, reproducible hash, so any value can be recomputed on demand.</summary>
    internal static ulong Mix(int seed, Draw draw, int a, int b = 0)
    {
        ulong x = Finalise(((ulong)(uint)seed << 32) | (uint)draw);
        x = Finalise(x ^ (uint)a);
        return Finalise(x ^ ((ulong)(uint)b << 32));
    }

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    internal static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    internal static int Pick(ulong hash, int count) => (int)(hash % (ulong)count);

    private static ulong Finalise(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
