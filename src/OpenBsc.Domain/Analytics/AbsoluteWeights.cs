using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Domain.Analytics;

/// <summary>A measure's share of the whole scorecard's score.</summary>
public sealed record AbsoluteWeight(string Id, string Name, double Weight);

/// <summary>
/// Absolute weights: the product of the normalised weights along the path from the scorecard root to each node.
/// A child's normalised weight is its weight over the sum of its counted siblings' weights (weight 0, negative or
/// NaN = not counted) for <see cref="RollupMethod.Weighted"/>; an equal share among the counted children for
/// <see cref="RollupMethod.Average"/>, and — as a nominal share, since which child decides changes with the data —
/// for <see cref="RollupMethod.Min"/> and <see cref="RollupMethod.Max"/>; 1 for the measure a
/// <see cref="RollupMethod.Self"/> container takes and 0 for its other children. Weights are those in effect on
/// the given day (the last day of the viewed period, as the rollup uses them). Shares assume every child
/// has data: a missing child's share is not redistributed. Informational measures, weight-0 items and everything
/// below a weight-0 parent get 0. When every container has a counted child the measures' weights sum to 1.
/// </summary>
public static class AbsoluteWeights
{
    /// <summary>The absolute weight of every node (node 0, the scorecard, has 1). A cascaded item linked under several objectives adds up its shares.</summary>
    public static double[] OfNodes(ScorecardModel model, DateOnly day)
    {
        int n = model.Nodes.Count;
        var weight = new double[n];
        var pending = new int[n]; // parents not yet propagated
        for (int node = 0; node < n; node++)
        {
            foreach (var (child, _) in model.Children(node))
            {
                pending[child]++;
            }
        }

        // Kahn's order from the root: a node passes its weight on once every parent has passed it its share.
        weight[0] = 1;
        var ready = new Stack<int>();
        ready.Push(0);
        var children = new List<(int Child, double Weight)>();
        while (ready.Count > 0)
        {
            int node = ready.Pop();
            children.Clear();
            foreach (var (child, w) in model.Children(node))
            {
                double at = w.IsConstant ? w.Base : w.At(day);
                children.Add((child, at > 0 ? at : 0));
            }

            var method = model.RollupOf(node);
            int selfChild = -1;
            if (method == RollupMethod.Self)
            {
                foreach (var (child, _) in children)
                {
                    if (model.Nodes[child].Kind == NodeKind.Measure)
                    {
                        selfChild = child;
                        break;
                    }
                }
            }

            double total = 0;
            int counted = 0;
            foreach (var (_, w) in children)
            {
                total += w;
                counted += w > 0 ? 1 : 0;
            }

            foreach (var (child, w) in children)
            {
                double share = method switch
                {
                    RollupMethod.Self => child == selfChild ? 1 : 0,
                    RollupMethod.Weighted => total > 0 ? w / total : 0,
                    _ => w > 0 ? 1.0 / counted : 0,
                };
                weight[child] += weight[node] * share;
                if (--pending[child] == 0)
                {
                    ready.Push(child);
                }
            }
        }

        return weight;
    }

    /// <summary>The absolute weight of every measure node, in tree order.</summary>
    public static IReadOnlyList<AbsoluteWeight> OfMeasures(ScorecardModel model, DateOnly day)
    {
        var weights = OfNodes(model, day);
        var result = new List<AbsoluteWeight>();
        foreach (var node in model.Nodes)
        {
            if (node.Kind == NodeKind.Measure)
            {
                result.Add(new AbsoluteWeight(node.Id, node.Name, weights[node.Index]));
            }
        }

        return result;
    }
}
