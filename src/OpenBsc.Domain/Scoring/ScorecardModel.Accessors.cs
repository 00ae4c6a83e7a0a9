using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Scoring;

public sealed partial class ScorecardModel
{
    /// <summary>How container <paramref name="node"/> rolls up its children (<see cref="RollupMethod.Weighted"/> for measures).</summary>
    public RollupMethod RollupOf(int node) => _rollup[node];

    /// <summary>The scorecard <paramref name="node"/> belongs to: the root, or the cascade source it was linked from (its calendar and rules apply).</summary>
    public Scorecard ScorecardOf(int node) => _cards[_nodeContext[node]];
}
