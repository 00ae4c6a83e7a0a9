using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Scoring;

/// <summary>The result of evaluating a <see cref="ScorecardModel"/> for a period; node 0 is the scorecard.</summary>
public sealed class ScorecardEvaluation
{
    // Null once a later evaluation has taken the arrays (ScorecardModel.Evaluate(view, spent)).
    private ScorecardModel.Results? _results;

    internal ScorecardEvaluation(ScorecardModel model, PeriodView view, ScorecardModel.Results results)
    {
        Model = model;
        View = view;
        _results = results;
    }

    public ScorecardModel Model { get; }

    public PeriodView View { get; }

    public int Count => Model.Nodes.Count;

    public NodeScore this[int node]
    {
        get
        {
            var r = Results;
            byte status = r.Status[node];
            return new NodeScore(
                Known(r.Value[node]),
                Known(r.Target[node]),
                Known(r.Progress[node]),
                Known(r.Performance[node]),
                Known(r.Score[node]),
                status == byte.MaxValue ? null : (Status)status,
                r.Trend[node],
                r.WithData[node],
                Model.ChildrenTotal(node),
                r.Inherited[node],
                r.Coverage[node].Expand());
        }
    }

    /// <summary>The result of the node with <paramref name="id"/> (as in <see cref="NodeDefinition.Id"/>).</summary>
    public NodeScore this[string id]
    {
        get
        {
            foreach (var node in Model.Nodes)
            {
                if (node.Id == id)
                {
                    return this[node.Index];
                }
            }

            throw new KeyNotFoundException($"No node '{id}' in scorecard '{Model.Scorecard.Id}'.");
        }
    }

    /// <summary>The raw score array (NaN = none), for callers that scan every node.</summary>
    public ReadOnlySpan<double> Scores => Results.Score;

    private ScorecardModel.Results Results =>
        _results ?? throw new ObjectDisposedException(nameof(ScorecardEvaluation), "This evaluation was spent: a later evaluation reuses its arrays.");

    /// <summary>Hands this evaluation's arrays to a new evaluation of <paramref name="model"/>; this one is spent from then on.</summary>
    internal ScorecardModel.Results GiveUp(ScorecardModel model)
    {
        if (!ReferenceEquals(model, Model))
        {
            throw new ArgumentException("An evaluation's arrays can be reused only by the model that made it.", nameof(model));
        }

        return Interlocked.Exchange(ref _results, null)
            ?? throw new ObjectDisposedException(nameof(ScorecardEvaluation), "This evaluation was spent already: its arrays are another evaluation's.");
    }

    private static double? Known(double x) => double.IsFinite(x) ? x : null;
}
