using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Domain.Analytics;

/// <summary>A measure ranked by its score for a period.</summary>
public sealed record Performer(string Id, string Name, double Score, Status? Status, double? Value, double? Target, string? Unit);

/// <summary>Best and worst performers: the measures with the highest and lowest scores of an evaluation.</summary>
public static class Performers
{
    /// <summary>The <paramref name="count"/> measures with the highest scores, highest first; ties in tree order. Measures without a score are left out.</summary>
    public static IReadOnlyList<Performer> Best(ScorecardEvaluation evaluation, int count) => Rank(evaluation, count, best: true);

    /// <summary>The <paramref name="count"/> measures with the lowest scores, lowest first; ties in tree order. Measures without a score are left out.</summary>
    public static IReadOnlyList<Performer> Worst(ScorecardEvaluation evaluation, int count) => Rank(evaluation, count, best: false);

    private static Performer[] Rank(ScorecardEvaluation evaluation, int count, bool best)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var nodes = evaluation.Model.Nodes;
        var scores = evaluation.Scores;
        var scored = new List<int>();
        for (int i = 0; i < scores.Length; i++)
        {
            if (nodes[i].Kind == NodeKind.Measure && double.IsFinite(scores[i]))
            {
                scored.Add(i);
            }
        }

        var keys = evaluation.Scores.ToArray();
        var ranked = best
            ? scored.OrderByDescending(i => keys[i]).ThenBy(i => i)
            : scored.OrderBy(i => keys[i]).ThenBy(i => i);
        return [.. ranked.Take(count).Select(i =>
        {
            var node = nodes[i];
            var result = evaluation[i];
            return new Performer(node.Id, node.Name, keys[i], result.Status, result.Value, result.Target, node.Measure?.Unit);
        })];
    }
}
