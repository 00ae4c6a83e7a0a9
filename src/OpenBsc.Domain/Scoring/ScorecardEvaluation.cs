using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Scoring;

/// <summary>The result of evaluating a <see cref="ScorecardModel"/> for a period; node 0 is the scorecard.</summary>
public sealed class ScorecardEvaluation
{
    private readonly ScorecardModel.Results _results;
    private readonly Trend?[] _trend;

    internal ScorecardEvaluation(ScorecardModel model, PeriodView view, ScorecardModel.Results results, Trend?[] trend)
    {
        Model = model;
        View = view;
        _results = results;
        _trend = trend;
    }

    public ScorecardModel Model { get; }

    public PeriodView View { get; }

    public int Count => _trend.Length;

    public NodeScore this[int node]
    {
        get
        {
            var r = _results;
            byte status = r.Status[node];
            return new NodeScore(
                Known(r.Value[node]),
                Known(r.Target[node]),
                Known(r.Progress[node]),
                Known(r.Performance[node]),
                Known(r.Score[node]),
                status == byte.MaxValue ? null : (Status)status,
                _trend[node],
                r.WithData[node],
                r.Total[node],
                r.Inherited[node],
                r.Coverage[node]);
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
    public ReadOnlySpan<double> Scores => _results.Score;

    private static double? Known(double x) => double.IsFinite(x) ? x : null;
}
