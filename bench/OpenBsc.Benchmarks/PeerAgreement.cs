using System.Globalization;
using System.Text;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Benchmarks;

/// <summary>
/// Proves the engine and the DuckDB peer compute the same thing before their times are compared: the
/// root score within 1e-9, and 100 sampled nodes (plus, for good measure, every node) with the same score or
/// the same absence of one. Throws, naming the first disagreements, when they differ.
/// </summary>
public static class PeerAgreement
{
    public const double Tolerance = 1e-9;
    private const int Sample = 100;

    /// <summary>Compares both for <paramref name="month"/> and returns a one-line summary; throws when they disagree.</summary>
    public static string Verify(ScorecardModel model, DuckDbScorecard duck, Period month)
    {
        if (model.Nodes.Count != duck.NodeCount)
        {
            throw new InvalidOperationException($"Engine has {model.Nodes.Count} nodes, DuckDB {duck.NodeCount}: the trees differ.");
        }

        for (int i = 0; i < duck.NodeCount; i++)
        {
            if (model.Nodes[i].Id != duck.Ids[i])
            {
                throw new InvalidOperationException($"Node {i} is '{model.Nodes[i].Id}' in the engine but '{duck.Ids[i]}' in DuckDB: node orders differ.");
            }
        }

        var engine = model.EvaluateWithoutTrend(new PeriodView(month)).Scores.ToArray();
        var peer = duck.Scores(month);
        var problems = new StringBuilder();
        if (!Agree(engine[0], peer[0]))
        {
            problems.AppendLine(CultureInfo.InvariantCulture, $"root: engine {engine[0]:R}, DuckDB {peer[0]:R}");
        }

        // A fixed sample across the whole tree (seeded: the same nodes every run).
        var random = new Random(20260601);
        int sampled = 0;
        for (int s = 0; s < Sample; s++)
        {
            int node = random.Next(engine.Length);
            sampled += double.IsNaN(engine[node]) ? 0 : 1;
            if (!Agree(engine[node], peer[node]))
            {
                problems.AppendLine(CultureInfo.InvariantCulture, $"sampled node {node} '{duck.Ids[node]}': engine {engine[node]:R}, DuckDB {peer[node]:R}");
            }
        }

        int disagree = 0, scored = 0;
        double maxDelta = 0;
        for (int i = 0; i < engine.Length; i++)
        {
            scored += double.IsNaN(engine[i]) ? 0 : 1;
            if (!Agree(engine[i], peer[i]))
            {
                if (++disagree <= 10)
                {
                    problems.AppendLine(CultureInfo.InvariantCulture, $"node {i} '{duck.Ids[i]}': engine {engine[i]:R}, DuckDB {peer[i]:R}");
                }
            }
            else if (!double.IsNaN(engine[i]))
            {
                maxDelta = Math.Max(maxDelta, Math.Abs(engine[i] - peer[i]));
            }
        }

        if (problems.Length > 0)
        {
            throw new InvalidOperationException(
                $"OpenBsc and DuckDB disagree for {month} ({disagree} of {engine.Length} nodes):{Environment.NewLine}{problems}");
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{month}: root score engine {engine[0]:F12} = DuckDB {peer[0]:F12}; {Sample} sampled nodes ({sampled} with a score) and all {engine.Length:N0} nodes ({scored:N0} with a score) agree within {Tolerance:G}, max |Δ| {maxDelta:G3}");
    }

    private static bool Agree(double engine, double peer) =>
        double.IsNaN(engine) ? double.IsNaN(peer) : !double.IsNaN(peer) && Math.Abs(engine - peer) <= Tolerance;
}
