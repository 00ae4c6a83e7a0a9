using OpenBsc.Domain.Formulas;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Scoring;

/// <summary>
/// An immutable evaluation snapshot of a scorecard (and the scorecards it cascades from), laid out for speed:
/// nodes in arrays, children as edge ranges, observations of all measures in three flat arrays sorted by
/// measure then period. <see cref="Evaluate(PeriodView)"/> computes every node per SCORING.md in time linear in
/// the observations of the viewed window plus the nodes.
/// </summary>
public sealed partial class ScorecardModel
{
    // Per scorecard context (index 0 = the root scorecard).
    private readonly Scorecard[] _cards;

    // Nodes, the root's tree first (pre-order), then cascaded subtrees.
    private readonly NodeDefinition[] _nodes;
    private readonly RollupMethod[] _rollup;
    private readonly int[] _nodeContext;
    private readonly int[] _nodeMeasure;
    private readonly int[] _edgeStart;
    private readonly int[] _edgeChild;
    private readonly Weight[] _edgeWeight;
    private readonly int[] _order; // children before parents

    // Measures of every scorecard in the bundle (formula inputs need not be in the tree).
    private readonly CompiledMeasure[] _measures;

    // Observations: for measure m, indices [_obsStart[m], _obsStart[m + 1]).
    private readonly int[] _obsStart;
    private readonly int[] _obsAnchor;
    private readonly byte[] _obsKind;
    private readonly double[] _obsValue;

    // Constant edge weights (NaN where the weight changes over time): read without touching the Weight objects.
    private readonly double[] _edgeConstant;

    // The nodes of simple measures (see HotMeasure): a month view evaluates them in one tight loop over the month
    // row, then walks the other nodes (children first).
    private readonly SimpleMeasures _simple;

    // Per scorecard context, the cap on a measure's score (its overachievement, at least 1).
    private readonly double[] _cap;

    // Per scorecard context, its status rules as score thresholds (null when a rule reads anything but the score).
    private readonly ScoreThresholds?[] _cardThresholds;

    // Monthly measures whose observations are all months: one row per month, one column per measure.
    private readonly DenseMonths? _dense;

    // Per scorecard context, the frequency it is reported by (containers count their period's sub-periods in it).
    private readonly PeriodKind[] _reportingFrequency;

    private ScorecardModel(
        Scorecard[] cards,
        NodeDefinition[] nodes,
        RollupMethod[] rollup,
        int[] nodeContext,
        int[] nodeMeasure,
        int[] edgeStart,
        int[] edgeChild,
        Weight[] edgeWeight,
        int[] order,
        CompiledMeasure[] measures,
        int[] obsStart,
        int[] obsAnchor,
        byte[] obsKind,
        double[] obsValue,
        DenseMonths? dense)
    {
        _dense = dense;
        _edgeConstant = [.. edgeWeight.Select(w => w.IsConstant ? w.Base : double.NaN)];
        var thresholds = new Dictionary<StatusRuleSet, ScoreThresholds?>(ReferenceEqualityComparer.Instance);
        var hot = measures.Select((m, i) => HotMeasure.Of(m, dense?.Column[i] ?? -1, cards[m.Context], thresholds)).ToArray();
        _cardThresholds = [.. cards.Select(c => ScoreThresholds.For(c.Status, thresholds))];
        _simple = SimpleMeasures.LayOut(order, nodeMeasure, nodeContext, edgeStart, hot);
        _cap = [.. cards.Select(c => Math.Max(c.Overachievement, 1))];
        _cards = cards;
        _reportingFrequency = [.. cards.Select(c => c.ReportingFrequency())];
        _nodes = nodes;
        _rollup = rollup;
        _nodeContext = nodeContext;
        _nodeMeasure = nodeMeasure;
        _edgeStart = edgeStart;
        _edgeChild = edgeChild;
        _edgeWeight = edgeWeight;
        _order = order;
        _measures = measures;
        _obsStart = obsStart;
        _obsAnchor = obsAnchor;
        _obsKind = obsKind;
        _obsValue = obsValue;
    }

    /// <summary>The root scorecard.</summary>
    public Scorecard Scorecard => _cards[0];

    /// <summary>Nodes: the root scorecard's tree in pre-order, then the cascaded items it links to.</summary>
    public IReadOnlyList<NodeDefinition> Nodes => _nodes;

    /// <summary>Number of observations held (after corrections superseded earlier values).</summary>
    public int ObservationCount => _obsValue.Length + (_dense?.Observations ?? 0);

    /// <summary>The child nodes of <paramref name="node"/> that count in its rollup, with their weights.</summary>
    public IEnumerable<(int Child, Weight Weight)> Children(int node)
    {
        for (int e = _edgeStart[node]; e < _edgeStart[node + 1]; e++)
        {
            yield return (_edgeChild[e], _edgeWeight[e]);
        }
    }

    /// <summary>
    /// Values of monthly measures observed only by month, as a table of month rows × measure columns (NaN =
    /// none): a snapshot of a month reads one contiguous row. Used when the table is no larger than the sparse
    /// arrays would be (8 bytes a cell against 13 per observation).
    /// </summary>
    private sealed class DenseMonths
    {
        private DenseMonths(int firstMonth, int months, int[] column, int width, double[] cells, int observations)
        {
            FirstMonth = firstMonth;
            Months = months;
            Column = column;
            Width = width;
            Cells = cells;
            Observations = observations;
        }

        /// <summary>Month index (year × 12 + month − 1) of row 0.</summary>
        public int FirstMonth { get; }

        public int Months { get; }

        /// <summary>Per measure, its column, or −1 when it is kept in the sparse arrays.</summary>
        public int[] Column { get; }

        public int Width { get; }

        public double[] Cells { get; }

        public int Observations { get; }

        public static int MonthIndex(DateOnly day) => day.Year * 12 + day.Month - 1;

        /// <summary>Month <paramref name="monthIndex"/>'s row, one value a column (empty when the table has no such month).</summary>
        public ReadOnlySpan<double> Row(int monthIndex)
        {
            int row = monthIndex - FirstMonth;
            return (uint)row < (uint)Months ? Cells.AsSpan(row * Width, Width) : default;
        }

        /// <summary>The value of column <paramref name="column"/> in month <paramref name="monthIndex"/> (NaN when none).</summary>
        public double At(int column, int monthIndex)
        {
            int row = monthIndex - FirstMonth;
            return (uint)row < (uint)Months ? Cells[row * Width + column] : double.NaN;
        }

        /// <summary>
        /// The month table for the measures that fit it, or null when too few do. Measure m's observations are
        /// <paramref name="keys"/> and <paramref name="values"/> from <c>start[m]</c> to <c>start[m + 1]</c>, sorted
        /// by anchor day (<see cref="SortKeyAnchor"/>, <see cref="SortKeyKind"/>).
        /// </summary>
        public static DenseMonths? TryBuild(List<CompiledMeasure> measures, int[] start, long[] keys, double[] values)
        {
            var column = new int[measures.Count];
            int width = 0, count = 0, first = int.MaxValue, last = int.MinValue;
            for (int m = 0; m < measures.Count; m++)
            {
                column[m] = -1;
                var def = measures[m].Definition;
                bool eligible = def.Frequency == PeriodKind.Month && measures[m].Calculation is null && def.Inherit is null && start[m + 1] > start[m];
                for (int j = start[m]; eligible && j < start[m + 1]; j++)
                {
                    eligible = SortKeyKind(keys[j]) == (byte)PeriodKind.Month;
                }

                if (!eligible)
                {
                    continue;
                }

                column[m] = width++;
                count += start[m + 1] - start[m];
                first = Math.Min(first, MonthIndex(DateOnly.FromDayNumber(SortKeyAnchor(keys[start[m]]))));
                last = Math.Max(last, MonthIndex(DateOnly.FromDayNumber(SortKeyAnchor(keys[start[m + 1] - 1]))));
            }

            long cells = width == 0 ? 0 : (long)(last - first + 1) * width;
            if (width == 0 || cells * 8 > (long)count * 13 || cells > int.MaxValue / 2)
            {
                return null;
            }

            var table = new double[cells];
            Array.Fill(table, double.NaN);
            int months = last - first + 1;
            for (int m = 0; m < measures.Count; m++)
            {
                if (column[m] < 0)
                {
                    continue;
                }

                for (int j = start[m]; j < start[m + 1]; j++)
                {
                    table[(MonthIndex(DateOnly.FromDayNumber(SortKeyAnchor(keys[j]))) - first) * width + column[m]] = values[j];
                }
            }

            return new DenseMonths(first, months, column, width, table, count);
        }
    }

    /// <summary>
    /// The common case — a linear, progress-scored monthly measure in the month table with constant baseline and
    /// target and score-threshold status rules — laid out for a tight loop. <see cref="Simple"/> is false for all else.
    /// </summary>
    private readonly record struct HotMeasure(bool Simple, int Column, double Baseline, double Target, double Min, double Max, Direction Direction, double Cap, ScoreThresholds? Rules)
    {
        public static HotMeasure Of(CompiledMeasure compiled, int column, Scorecard card, Dictionary<StatusRuleSet, ScoreThresholds?> thresholds)
        {
            var def = compiled.Definition;
            var rules = ScoreThresholds.For(def.Status ?? card.Status, thresholds);

            bool simple = column >= 0 && compiled.Targets is null && compiled.Calculation is null && rules is not null
                && def is { Scoring.Type: ScoringType.Linear, Scale: Scale.Progress, Target: not null }
                && def.Aggregation != Aggregation.Count
                && def.Direction != Direction.Range;
            return new HotMeasure(simple, column, def.Baseline ?? double.NaN, def.Target ?? double.NaN, def.Min ?? double.NaN, def.Max ?? double.NaN, def.Direction, Math.Max(card.Overachievement, 1), rules);
        }
    }

    /// <summary>
    /// A simple measure's node (<see cref="HotMeasure"/> with <see cref="HotMeasure.Simple"/>), laid out for the
    /// month view's loop (32 bytes: the loop reads one a measure): a leaf, so it needs nothing of other nodes and can
    /// be evaluated before the walk. Its cap is its scorecard context's, its status rules are <see cref="Rules"/> in
    /// <see cref="SimpleMeasures.Rules"/>, and when <see cref="Scaled"/> (both ends of its performance scale given)
    /// its scale is in <see cref="SimpleMeasures.Scale"/>; else performance is its progress.
    /// </summary>
    private readonly record struct SimpleNode(int Node, int Column, double Baseline, double Target, int Context, ushort Rules, bool Decrease, bool Scaled)
    {
        public Direction Direction => Decrease ? Direction.Decrease : Direction.Increase;
    }

    /// <summary>The simple measures' nodes in node order, what they share, and the other nodes in walking order.</summary>
    private sealed class SimpleMeasures
    {
        private SimpleMeasures(SimpleNode[] nodes, (double Min, double Max)[] scale, ScoreThresholds[] rules, int[] others)
        {
            Nodes = nodes;
            Scale = scale;
            Rules = rules;
            Others = others;
        }

        public SimpleNode[] Nodes { get; }

        /// <summary>Per simple node (same index), its performance scale (NaN when not <see cref="SimpleNode.Scaled"/>).</summary>
        public (double Min, double Max)[] Scale { get; }

        /// <summary>The distinct status rules of the simple measures.</summary>
        public ScoreThresholds[] Rules { get; }

        /// <summary>Every node that is not a simple measure's, in <c>order</c> (children before parents).</summary>
        public int[] Others { get; }

        public static SimpleMeasures LayOut(int[] order, int[] nodeMeasure, int[] nodeContext, int[] edgeStart, HotMeasure[] hot)
        {
            var simple = new List<(SimpleNode Node, double Min, double Max)>();
            var others = new List<int>(order.Length);
            var rules = new Dictionary<ScoreThresholds, int>(ReferenceEqualityComparer.Instance);
            foreach (int node in order)
            {
                int m = nodeMeasure[node];
                if (m >= 0 && hot[m].Simple && edgeStart[node + 1] == edgeStart[node] && (rules.ContainsKey(hot[m].Rules!) || rules.Count < ushort.MaxValue))
                {
                    var h = hot[m];
                    if (!rules.TryGetValue(h.Rules!, out int r))
                    {
                        r = rules[h.Rules!] = rules.Count;
                    }

                    bool scaled = !double.IsNaN(h.Min) && !double.IsNaN(h.Max);
                    simple.Add((new SimpleNode(node, h.Column, h.Baseline, h.Target, nodeContext[node], (ushort)r, h.Direction == Direction.Decrease, scaled), h.Min, h.Max));
                }
                else
                {
                    others.Add(node);
                }
            }

            simple.Sort((a, b) => a.Node.Node.CompareTo(b.Node.Node));
            return new SimpleMeasures([.. simple.Select(s => s.Node)], [.. simple.Select(s => (s.Min, s.Max))], [.. rules.OrderBy(r => r.Value).Select(r => r.Key)], [.. others]);
        }
    }

    /// <summary>A status rule set made only of "score ≥ x" (or &gt;) rules and an otherwise: evaluated on doubles.</summary>
    private sealed class ScoreThresholds
    {
        private readonly Rule[] _rules;

        private ScoreThresholds(Rule[] rules) => _rules = rules;

        /// <summary>
        /// "score ≥ Bound" (or &gt; when <see cref="Strict"/>) gives <see cref="Status"/>. <see cref="NearBelow"/>: how far
        /// below a positive finite bound a score in [0, bound) is still equal to it to 12 digits (−∞ for other bounds).
        /// </summary>
        private readonly record struct Rule(double Bound, double NearBelow, bool Strict, byte Status);

        /// <summary><see cref="Of"/>, once per rule set (<paramref name="known"/> keeps those already seen).</summary>
        public static ScoreThresholds? For(StatusRuleSet rules, Dictionary<StatusRuleSet, ScoreThresholds?> known)
        {
            if (!known.TryGetValue(rules, out var thresholds))
            {
                thresholds = known[rules] = Of(rules);
            }

            return thresholds;
        }

        public static ScoreThresholds? Of(StatusRuleSet rules)
        {
            var list = new List<Rule>();
            foreach (var rule in rules.Rules)
            {
                var (bound, strict) = rule.When switch
                {
                    null => (double.NegativeInfinity, false),
                    { Variable: StatusVariable.Score, Comparison: Comparison.GreaterOrEqual or Comparison.Greater } c => (c.Number, c.Comparison == Comparison.Greater),
                    _ => (double.NaN, false),
                };
                if (double.IsNaN(bound))
                {
                    return null;
                }

                // StatusCondition.Near for 0 ≤ score < bound: |score − bound| = bound − score, and the larger magnitude is the bound's.
                double nearBelow = bound > 0 && double.IsFinite(bound) ? Math.Max(1e-15, 1e-12 * bound) : double.NegativeInfinity;
                list.Add(new Rule(bound, nearBelow, strict, (byte)rule.Status));
            }

            return new ScoreThresholds([.. list]);
        }

        public byte Evaluate(double score)
        {
            foreach (ref readonly var rule in _rules.AsSpan())
            {
                // The same comparison as StatusCondition.Holds, 12 significant digits (Near only where it can decide;
                // for a score of at least 0 below the bound, by the bound's precomputed tolerance).
                double bound = rule.Bound;
                if (rule.Strict
                    ? score > bound && !StatusCondition.Near(score, bound)
                    : score >= bound || (score >= 0 ? bound - score <= rule.NearBelow : StatusCondition.Near(score, bound)))
                {
                    return rule.Status;
                }
            }

            return (byte)Status.Gray;
        }
    }

    /// <summary>A measure compiled for evaluation.</summary>
    private sealed class CompiledMeasure(Measure definition, int context)
    {
        public Measure Definition { get; } = definition;

        public int Context { get; } = context;

        public Dictionary<Period, double>? Targets { get; set; }

        public Formula? Calculation { get; set; }

        public int[] Inputs { get; set; } = [];

        public Formula? ScoringFormula { get; set; }

        /// <summary>For a measure tracked per segment, its series' measures (in the order of its segments list).</summary>
        public int[]? Series { get; set; }
    }
}
