using OpenBsc.Domain.Formulas;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Scoring;

public sealed partial class ScorecardModel
{
    /// <summary>Compiles one scorecard with its observations.</summary>
    public static ScorecardModel Build(ScorecardData data) => Build([data]);

    /// <summary>
    /// Compiles <paramref name="bundle"/>[0] for evaluation, with the other scorecards of the bundle available
    /// as cascade sources. <paramref name="sourceAliases"/> maps other names of a source (such as a file name
    /// in <c>emea.yaml#item</c>) to scorecard ids. The bundle must have passed
    /// <see cref="Validation.ScorecardValidator"/>: a dangling or cyclic cascade throws <see cref="ArgumentException"/>.
    /// </summary>
    public static ScorecardModel Build(IReadOnlyList<ScorecardData> bundle, IReadOnlyDictionary<string, string>? sourceAliases = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bundle.Count);
        var builder = new Builder(bundle, sourceAliases);
        return builder.Build();
    }

    // An observation's sort key while the model is built: anchor day (under 2^23 up to year 9999) above period
    // kind above order given, so one long compares as the three in turn.
    private static long SortKey(int anchor, byte kind, int order) => ((long)anchor << 40) | ((long)kind << 32) | (uint)order;

    private static int SortKeyAnchor(long key) => (int)(key >> 40);

    private static byte SortKeyKind(long key) => (byte)(key >> 32);

    private sealed class Builder
    {
        private readonly IReadOnlyList<ScorecardData> _bundle;
        private readonly IReadOnlyDictionary<string, string>? _aliases;
        private readonly Dictionary<string, int> _contextById = new(StringComparer.Ordinal);
        private readonly List<CompiledMeasure> _measures = [];
        private readonly Dictionary<(int Context, string Id), int> _measureIndex = [];

        private readonly List<NodeDefinition> _nodes = [];
        private readonly List<RollupMethod> _rollup = [];
        private readonly List<int> _nodeContext = [];
        private readonly List<int> _nodeMeasure = [];
        private readonly List<List<(int Child, Weight Weight)>> _edges = [];
        private readonly Dictionary<(int Context, string Item), int> _cascadedRoots = [];
        private readonly HashSet<(int Context, string Item)> _building = [];
        private DenseMonths? _dense;

        public Builder(IReadOnlyList<ScorecardData> bundle, IReadOnlyDictionary<string, string>? aliases)
        {
            _bundle = bundle;
            _aliases = aliases;
            for (int c = 0; c < bundle.Count; c++)
            {
                _contextById.TryAdd(bundle[c].Scorecard.Id, c);
            }
        }

        public ScorecardModel Build()
        {
            for (int c = 0; c < _bundle.Count; c++)
            {
                var card = _bundle[c].Scorecard;
                foreach (var measure in card.AllMeasures())
                {
                    if (!_measureIndex.TryAdd((c, measure.Id), _measures.Count))
                    {
                        continue;
                    }

                    var compiled = Compile(measure, c);
                    _measures.Add(compiled);
                    if (measure.IsSegmented)
                    {
                        // Each segment's series is a measure of its own (own observations and target), under an id no file can use.
                        compiled.Series = new int[measure.Segments.Count];
                        for (int s = 0; s < measure.Segments.Count; s++)
                        {
                            var series = SeriesMeasure(measure, measure.Segments[s], card);
                            compiled.Series[s] = _measures.Count;
                            _measureIndex[(c, series.Id)] = _measures.Count;
                            _measures.Add(Compile(series, c));
                        }
                    }
                }
            }

            foreach (var compiled in _measures)
            {
                if (compiled.Calculation is { } formula)
                {
                    compiled.Inputs = [.. formula.Parameters.Select(p => _measureIndex.GetValueOrDefault((compiled.Context, p), -1))];
                }
            }

            var root = _bundle[0].Scorecard;
            int rootNode = AddNode(NodeKind.Scorecard, root.Id, root.Name, -1, 0, null, 0, root.Rollup, root.Id);
            foreach (var perspective in root.Perspectives)
            {
                int p = AddNode(NodeKind.Perspective, perspective.Id, perspective.Name, rootNode, 1, null, 0, perspective.Rollup, root.Id);
                _edges[rootNode].Add((p, perspective.Weight));
                foreach (var objective in perspective.Objectives)
                {
                    AddObjective(objective, p, 2, 0, idPrefix: string.Empty);
                }
            }

            var (obsStart, anchors, kinds, values) = LayOutObservations();
            int n = _nodes.Count;
            var edgeStart = new int[n + 1];
            var edgeChild = new List<int>();
            var edgeWeight = new List<Weight>();
            for (int i = 0; i < n; i++)
            {
                edgeStart[i] = edgeChild.Count;
                foreach (var (child, weight) in _edges[i])
                {
                    edgeChild.Add(child);
                    edgeWeight.Add(weight);
                }
            }

            edgeStart[n] = edgeChild.Count;
            return new ScorecardModel(
                [.. _bundle.Select(b => b.Scorecard)],
                [.. _nodes],
                [.. _rollup],
                [.. _nodeContext],
                [.. _nodeMeasure],
                edgeStart,
                [.. edgeChild],
                [.. edgeWeight],
                PostOrder(n, edgeStart, edgeChild),
                [.. _measures],
                obsStart,
                anchors,
                kinds,
                values,
                _dense);
        }

        /// <summary>The id of a segment's series of a measure: '@' is never part of an id in a file.</summary>
        private static string SeriesId(string measure, string segment) => measure + "@" + segment;

        /// <summary>A segment's series as a measure: the measure's definition with the series' own target, baseline and weight.</summary>
        private static Measure SeriesMeasure(Measure measure, SegmentSeries series, Scorecard card)
        {
            string segmentName = card.Segments.FirstOrDefault(s => s.Id == series.Segment)?.Name ?? series.Segment;
            bool ownTargets = series.Target is not null || series.Targets.Count > 0;
            return measure with
            {
                Id = SeriesId(measure.Id, series.Segment),
                Name = $"{measure.Name} — {segmentName}",
                Baseline = series.Baseline ?? measure.Baseline,
                Target = ownTargets ? series.Target : measure.Target,
                Targets = ownTargets ? series.Targets : measure.Targets,
                Weight = series.Weight,
                Segment = series.Segment,
                Segments = [],
            };
        }

        private static CompiledMeasure Compile(Measure measure, int context)
        {
            var compiled = new CompiledMeasure(measure, context);
            if (measure.Targets.Count > 0)
            {
                compiled.Targets = [];
                foreach (var target in measure.Targets)
                {
                    compiled.Targets[target.Period] = target.Value;
                }
            }

            if (measure.Formula is { } text && Formula.TryParse(text, out var formula, out _))
            {
                compiled.Calculation = formula;
            }

            if (measure.Scoring is { Type: ScoringType.Formula, Expression: { } expression } && Formula.TryParse(expression, out var scoring, out _))
            {
                compiled.ScoringFormula = scoring;
            }

            return compiled;
        }

        private int AddNode(NodeKind kind, string id, string name, int parent, int depth, Measure? measure, int context, RollupMethod rollup, string scorecardId)
        {
            int index = _nodes.Count;
            _nodes.Add(new NodeDefinition(index, kind, id, name, parent, depth, measure, scorecardId));
            _rollup.Add(rollup);
            _nodeContext.Add(context);
            _nodeMeasure.Add(measure is null ? -1 : _measureIndex[(context, measure.Id)]);
            _edges.Add([]);
            return index;
        }

        private int AddObjective(Objective objective, int parent, int depth, int context, string idPrefix, bool linkToParent = true)
        {
            string scorecardId = _bundle[context].Scorecard.Id;
            int node = AddNode(NodeKind.Objective, idPrefix + objective.Id, objective.Name, parent, depth, null, context, objective.Rollup, scorecardId);
            if (linkToParent)
            {
                _edges[parent].Add((node, objective.Weight));
            }

            foreach (var measure in objective.Measures)
            {
                AddMeasure(measure, node, depth + 1, context, idPrefix);
            }

            foreach (var sub in objective.Objectives)
            {
                AddObjective(sub, node, depth + 1, context, idPrefix);
            }

            foreach (var contribution in _bundle[context].Scorecard.Cascade.Where(c => c.Objective == objective.Id))
            {
                int source = AddCascaded(contribution, node, depth + 1);
                _edges[node].Add((source, contribution.Weight));
            }

            return node;
        }

        private int AddMeasure(Measure measure, int parent, int depth, int context, string idPrefix)
        {
            int node = AddMeasureNode(measure, parent, depth, context, idPrefix);
            // An informational measure (scoring: none) is shown but never counted in a rollup.
            if (measure.Scoring.Type != ScoringType.None)
            {
                _edges[parent].Add((node, measure.Weight));
            }

            return node;
        }

        /// <summary>A measure's node and, for a measure tracked per segment, its series' nodes below it (its score rolls them up).</summary>
        private int AddMeasureNode(Measure measure, int parent, int depth, int context, string idPrefix)
        {
            string scorecardId = _bundle[context].Scorecard.Id;
            int node = AddNode(NodeKind.Measure, idPrefix + measure.Id, measure.Name, parent, depth, measure, context, RollupMethod.Weighted, scorecardId);
            var compiled = _measures[_measureIndex[(context, measure.Id)]];
            foreach (int s in compiled.Series ?? [])
            {
                var series = _measures[s].Definition;
                int child = AddNode(NodeKind.Series, idPrefix + series.Id, series.Name, node, depth + 1, series, context, RollupMethod.Weighted, scorecardId);
                _edges[node].Add((child, series.Weight));
            }

            return node;
        }

        /// <summary>Adds (once) the subtree of a cascaded source item; the contribution's edge is added by the caller.</summary>
        private int AddCascaded(CascadeContribution contribution, int parent, int depth)
        {
            string source = contribution.SourceScorecard;
            if (_aliases is not null && _aliases.TryGetValue(source, out var aliased))
            {
                source = aliased;
            }

            if (!_contextById.TryGetValue(source, out int context))
            {
                throw new ArgumentException($"Cascade source scorecard '{contribution.SourceScorecard}' is not in the bundle.", nameof(contribution));
            }

            var key = (context, contribution.SourceItem);
            if (_cascadedRoots.TryGetValue(key, out int existing))
            {
                return existing;
            }

            if (!_building.Add(key))
            {
                throw new ArgumentException($"Cascade cycle through '{contribution.From}'.", nameof(contribution));
            }

            var card = _bundle[context].Scorecard;
            string prefix = card.Id + "#";
            int node;
            var objective = card.AllObjectives().FirstOrDefault(o => o.Id == contribution.SourceItem);
            if (objective is not null)
            {
                // Linked with the contribution's weight (by the caller), not the objective's own.
                node = AddObjective(objective, parent, depth, context, prefix, linkToParent: false);
            }
            else
            {
                var measure = card.AllMeasures().FirstOrDefault(m => m.Id == contribution.SourceItem)
                    ?? throw new ArgumentException($"Cascade source '{contribution.From}' names no objective or measure.", nameof(contribution));
                node = AddMeasureNode(measure, parent, depth, context, prefix);
            }

            _building.Remove(key);
            _cascadedRoots[key] = node;
            return node;
        }

        /// <summary>
        /// Observations sorted per measure by anchor day then kind; a later one for the same period supersedes.
        /// Counted per measure first, so that every array is allocated once at its size: per-measure lists grown by
        /// doubling were most of the garbage of building a 5,000-measure model (25 of 31 MB).
        /// </summary>
        private (int[] Start, int[] Anchor, byte[] Kind, double[] Value) LayOutObservations()
        {
            int total = 0;
            foreach (var data in _bundle)
            {
                total += data.Observations.Count;
            }

            // Each observation's measure (−1: not stored, e.g. a calculated measure's), counted per measure.
            var measureOf = new int[total];
            var keyOf = new long[total];
            var count = new int[_measures.Count];
            int i = 0;
            for (int c = 0; c < _bundle.Count; c++)
            {
                var calendar = _bundle[c].Scorecard.Calendar;
                foreach (var observation in _bundle[c].Observations)
                {
                    string measureId = observation.Segment is null ? observation.Measure : SeriesId(observation.Measure, observation.Segment);
                    if (!_measureIndex.TryGetValue((c, measureId), out int m) || _measures[m].Calculation is not null || _measures[m].Series is not null || !double.IsFinite(observation.Value))
                    {
                        measureOf[i++] = -1;
                        continue;
                    }

                    measureOf[i] = m;
                    keyOf[i] = SortKey(observation.Period.Anchor(calendar).DayNumber, (byte)observation.Period.Kind, i);
                    count[m]++;
                    i++;
                }
            }

            var from = new int[_measures.Count + 1];
            for (int m = 0; m < _measures.Count; m++)
            {
                from[m + 1] = from[m] + count[m];
            }

            // Grouped by measure, each group sorted by (anchor, kind, order): the one given last for a period sorts last.
            var keys = new long[from[^1]];
            var values = new double[keys.Length];
            var next = (int[])from.Clone();
            i = 0;
            foreach (var data in _bundle)
            {
                foreach (var observation in data.Observations)
                {
                    int m = measureOf[i];
                    if (m >= 0)
                    {
                        int at = next[m]++;
                        keys[at] = keyOf[i];
                        values[at] = observation.Value;
                    }

                    i++;
                }
            }

            // Sorted and thinned in place: same anchor and kind = same period, and only the last is kept.
            var kept = new int[_measures.Count + 1];
            int k = 0;
            for (int m = 0; m < _measures.Count; m++)
            {
                kept[m] = k;
                int length = from[m + 1] - from[m];
                if (length > 1)
                {
                    Array.Sort(keys, values, from[m], length);
                }

                for (int j = from[m]; j < from[m + 1]; j++)
                {
                    if (j + 1 < from[m + 1] && keys[j + 1] >> 32 == keys[j] >> 32)
                    {
                        continue;
                    }

                    keys[k] = keys[j];
                    values[k] = values[j];
                    k++;
                }
            }

            kept[_measures.Count] = k;
            _dense = DenseMonths.TryBuild(_measures, kept, keys, values);
            int sparse = 0;
            for (int m = 0; m < _measures.Count; m++)
            {
                sparse += _dense is not null && _dense.Column[m] >= 0 ? 0 : kept[m + 1] - kept[m];
            }

            var start = new int[_measures.Count + 1];
            var anchors = new int[sparse];
            var kinds = new byte[sparse];
            var sparseValues = new double[sparse];
            int s = 0;
            for (int m = 0; m < _measures.Count; m++)
            {
                start[m] = s;
                if (_dense is not null && _dense.Column[m] >= 0)
                {
                    continue; // held in the dense month table instead
                }

                for (int j = kept[m]; j < kept[m + 1]; j++)
                {
                    anchors[s] = SortKeyAnchor(keys[j]);
                    kinds[s] = SortKeyKind(keys[j]);
                    sparseValues[s] = values[j];
                    s++;
                }
            }

            start[_measures.Count] = s;
            return (start, anchors, kinds, sparseValues);
        }

        private static int[] PostOrder(int n, int[] edgeStart, List<int> edgeChild)
        {
            var order = new List<int>(n);
            var visited = new bool[n];
            var stack = new Stack<(int Node, int NextEdge)>();
            for (int s = 0; s < n; s++)
            {
                if (visited[s])
                {
                    continue;
                }

                visited[s] = true;
                stack.Push((s, edgeStart[s]));
                while (stack.Count > 0)
                {
                    var (node, next) = stack.Pop();
                    if (next < edgeStart[node + 1])
                    {
                        stack.Push((node, next + 1));
                        int child = edgeChild[next];
                        if (!visited[child])
                        {
                            visited[child] = true;
                            stack.Push((child, edgeStart[child]));
                        }
                    }
                    else
                    {
                        order.Add(node);
                    }
                }
            }

            return [.. order];
        }
    }
}
