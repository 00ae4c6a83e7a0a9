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
        double[] obsValue)
    {
        _cards = cards;
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
    public int ObservationCount => _obsValue.Length;

    /// <summary>The child nodes of <paramref name="node"/> that count in its rollup, with their weights.</summary>
    public IEnumerable<(int Child, Weight Weight)> Children(int node)
    {
        for (int e = _edgeStart[node]; e < _edgeStart[node + 1]; e++)
        {
            yield return (_edgeChild[e], _edgeWeight[e]);
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
    }
}
