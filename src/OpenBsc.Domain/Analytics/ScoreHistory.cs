using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Domain.Analytics;

/// <summary>
/// The scores of every node of a model over consecutive periods, oldest first. Each period is evaluated once
/// (<see cref="ScorecardModel.EvaluateWithoutTrend"/>) and its score array reused by every link check and tension test.
/// </summary>
public sealed class ScoreHistory
{
    private readonly double[][] _scores;
    private readonly Dictionary<string, int> _nodeById;

    internal ScoreHistory(ScorecardModel model, Period[] periods, double[][] scores)
    {
        Model = model;
        Periods = periods;
        _scores = scores;
        _nodeById = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in model.Nodes)
        {
            // The root's own tree comes first, so an id names its node there before any cascaded copy.
            _nodeById.TryAdd(node.Id, node.Index);
        }
    }

    public ScorecardModel Model { get; }

    /// <summary>The periods, oldest first, all of one kind and consecutive.</summary>
    public IReadOnlyList<Period> Periods { get; }

    /// <summary>Evaluates the <paramref name="count"/> periods of <paramref name="last"/>'s kind that end with it.</summary>
    public static ScoreHistory Build(ScorecardModel model, Period last, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var periods = new Period[count];
        var scores = new double[count][];
        for (int i = 0; i < count; i++)
        {
            periods[i] = last.Shift(i - count + 1);
            scores[i] = model.EvaluateWithoutTrend(new PeriodView(periods[i])).Scores.ToArray();
        }

        return new ScoreHistory(model, periods, scores);
    }

    /// <summary>The raw scores of every node at the period with index <paramref name="period"/> (NaN = no score).</summary>
    public ReadOnlySpan<double> ScoresAt(int period) => _scores[period];

    /// <summary>The node with <paramref name="id"/> (the root scorecard's own before a cascaded copy), or −1.</summary>
    public int NodeOf(string id) => _nodeById.GetValueOrDefault(id, -1);

    /// <summary>One node's scores over the periods, oldest first (NaN = no score); all NaN for node −1.</summary>
    public double[] Series(int node)
    {
        var series = new double[_scores.Length];
        for (int i = 0; i < series.Length; i++)
        {
            series[i] = node < 0 ? double.NaN : _scores[i][node];
        }

        return series;
    }
}
