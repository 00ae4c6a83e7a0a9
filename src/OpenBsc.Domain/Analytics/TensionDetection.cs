using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Domain.Analytics;

/// <summary>Two items whose scores move against each other (Pearson r ≤ −0.5 over at least 8 periods) without being declared in tension.</summary>
public sealed record DetectedTension(string First, string Second, string? FirstName, string? SecondName, int Pairs, double R);

/// <summary>
/// Which pairs are tested for a detected tension (SCORING.md §8) and the thresholds. By default the candidates are
/// the root scorecard's objectives in the top <see cref="ObjectiveLevels"/> levels (perspective objectives and their
/// direct sub-objectives), at most <see cref="MaxCandidates"/> of them in tree order, every pair among them, plus
/// every pair joined by a cause-effect link: at most 200 · 199 / 2 = 19,900 pairs however large the scorecard.
/// </summary>
public sealed record TensionOptions
{
    public static readonly TensionOptions Default = new();

    /// <summary>r at or below this is a tension.</summary>
    public double Threshold { get; init; } = -0.5;

    /// <summary>Periods where both scores exist needed for a pair to be judged (SCORING.md §8: at least 8).</summary>
    public int MinimumPairs { get; init; } = 8;

    /// <summary>Objective levels searched: 1 = the objectives directly under the perspectives, 2 = also their sub-objectives.</summary>
    public int ObjectiveLevels { get; init; } = 2;

    /// <summary>Cap on the objectives compared pairwise.</summary>
    public int MaxCandidates { get; init; } = 200;

    /// <summary>Also test the two ends of every cause-effect link (objectives or measures, at any depth).</summary>
    public bool IncludeLinkedPairs { get; init; } = true;

    /// <summary>When set, exactly these node ids are compared pairwise (objectives or measures) instead of the default candidates.</summary>
    public IReadOnlyList<string>? Candidates { get; init; }
}

/// <summary>Finds detected tensions in a <see cref="ScoreHistory"/>.</summary>
public static class TensionDetection
{
    /// <summary>
    /// Every candidate pair with r ≤ <see cref="TensionOptions.Threshold"/> over at least
    /// <see cref="TensionOptions.MinimumPairs"/> periods, leaving out pairs already declared in
    /// <see cref="Scorecard.Tensions"/> (either order); strongest (most negative r) first.
    /// </summary>
    public static IReadOnlyList<DetectedTension> Detect(ScoreHistory history, Scorecard scorecard, TensionOptions? options = null)
    {
        options ??= TensionOptions.Default;
        var model = history.Model;
        var candidates = new List<int>();
        var seen = new HashSet<int>();
        if (options.Candidates is { } ids)
        {
            foreach (string id in ids)
            {
                int node = history.NodeOf(id);
                if (node >= 0 && seen.Add(node))
                {
                    candidates.Add(node);
                }
            }
        }
        else
        {
            string root = model.Scorecard.Id;
            foreach (var node in model.Nodes)
            {
                if (candidates.Count >= options.MaxCandidates)
                {
                    break;
                }

                if (node.Kind == NodeKind.Objective && node.ScorecardId == root && node.Depth - 1 <= options.ObjectiveLevels && seen.Add(node.Index))
                {
                    candidates.Add(node.Index);
                }
            }
        }

        var pairs = new List<(int A, int B)>();
        var tested = new HashSet<(int, int)>();
        for (int i = 0; i < candidates.Count; i++)
        {
            for (int j = i + 1; j < candidates.Count; j++)
            {
                AddPair(candidates[i], candidates[j]);
            }
        }

        if (options.Candidates is null && options.IncludeLinkedPairs)
        {
            foreach (var link in scorecard.Links)
            {
                int a = history.NodeOf(link.From), b = history.NodeOf(link.To);
                if (a >= 0 && b >= 0 && a != b)
                {
                    AddPair(a, b);
                }
            }
        }

        var declared = new HashSet<(string, string)>();
        foreach (var tension in scorecard.Tensions)
        {
            declared.Add((tension.First, tension.Second));
            declared.Add((tension.Second, tension.First));
        }

        var series = new Dictionary<int, double[]>();
        var found = new List<DetectedTension>();
        foreach (var (a, b) in pairs)
        {
            var first = model.Nodes[a];
            var second = model.Nodes[b];
            if (declared.Contains((first.Id, second.Id)))
            {
                continue;
            }

            var c = Correlation.Pearson(SeriesOf(a), SeriesOf(b));
            if (c.Pairs >= options.MinimumPairs && c.R is double r && r <= options.Threshold)
            {
                found.Add(new DetectedTension(first.Id, second.Id, first.Name, second.Name, c.Pairs, r));
            }
        }

        found.Sort((x, y) => x.R != y.R ? x.R.CompareTo(y.R) : string.CompareOrdinal(x.First + "\n" + x.Second, y.First + "\n" + y.Second));
        return found;

        void AddPair(int a, int b)
        {
            var key = a < b ? (a, b) : (b, a);
            if (tested.Add(key))
            {
                pairs.Add(key);
            }
        }

        double[] SeriesOf(int node)
        {
            if (!series.TryGetValue(node, out var s))
            {
                s = history.Series(node);
                series[node] = s;
            }

            return s;
        }
    }
}
