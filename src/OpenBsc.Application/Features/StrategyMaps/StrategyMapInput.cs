using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.StrategyMaps;

/// <summary>
/// An objective on the strategy map. <see cref="Score"/> is a fraction (0..1, above 1 with over-achievement;
/// null = no data), drawn as a whole percentage; <see cref="Status"/> is Green, Yellow, Red or Gray;
/// <see cref="Href"/> is where clicking the node goes.
/// </summary>
public sealed record MapObjective(string Id, string Name, double? Score, string? Status, string Href)
{
    /// <summary>The objective's analysis for the period, as plain text, shown in its tooltip.</summary>
    public string? Analysis { get; init; }
}

/// <summary>A perspective: one full-width band of the map, its objectives in file order.</summary>
public sealed record MapBand(string Id, string Name, IReadOnlyList<MapObjective> Objectives);

/// <summary>A cause-effect arrow from objective <see cref="From"/> (cause) to <see cref="To"/> (effect).</summary>
/// <remarks><see cref="Strength"/> is carried for later use (such as line weight); the map shows it only in the tooltip.</remarks>
public sealed record MapLink(string From, string To, string? Note = null, double? Strength = null);

/// <summary>Two objectives declared in tension: drawn as a dashed double-headed line, never as a cause-effect arrow.</summary>
public sealed record MapTension(string First, string Second, string? Note = null);

/// <summary>What a strategy map shows: bands listed top of the map first, links and tensions between objective ids.</summary>
public sealed record StrategyMapInput(
    string Title,
    IReadOnlyList<MapBand> Bands,
    IReadOnlyList<MapLink> Links,
    IReadOnlyList<MapTension> Tensions)
{
    /// <summary>
    /// The least width-to-height ratio the map is drawn with (null: as narrow as its objectives allow). A page sets
    /// it to the shape of a screen, so that a map of few columns spreads them over the screen's width instead of
    /// standing in its middle; the map grows no taller.
    /// </summary>
    public double? Aspect { get; init; }

    /// <summary>Whether any link carries the data's correlation (the map labels it "r 0.88" and explains that in its legend).</summary>
    public bool HasStrengths => Links.Any(l => l.Strength is double s && double.IsFinite(s));

    /// <summary>
    /// The map of <paramref name="scorecard"/> with the scores and statuses of <paramref name="evaluation"/>.
    /// Each perspective's top-level objectives are the nodes (node id = objective id): a sub-objective is part of
    /// its parent on the map, so a link or tension naming a sub-objective or a measure is drawn from the
    /// top-level objective that holds it. Links and tensions whose ends are not on the map, or that fall inside
    /// one node, are skipped; the first of several that map to the same pair is kept.
    /// </summary>
    /// <param name="scorecard">The scorecard whose perspectives, objectives, links and tensions are drawn.</param>
    /// <param name="evaluation">Its evaluation for the period shown: each objective's score and status.</param>
    /// <param name="href">The link target of an objective's page, from its id.</param>
    public static StrategyMapInput From(Scorecard scorecard, ScorecardEvaluation evaluation, Func<string, string> href)
    {
        ArgumentNullException.ThrowIfNull(scorecard);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(href);

        var results = new Dictionary<string, NodeScore>(StringComparer.Ordinal);
        foreach (var node in evaluation.Model.Nodes)
        {
            if (node.Kind == NodeKind.Objective && node.ScorecardId == scorecard.Id)
            {
                results.TryAdd(node.Id, evaluation[node.Index]);
            }
        }

        // Every objective and measure id → the top-level objective holding it. Ids are unique in a valid
        // scorecard; should one repeat, its first place wins and a repeated top-level objective is left out.
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        var bands = new List<MapBand>(scorecard.Perspectives.Count);
        foreach (var perspective in scorecard.Perspectives)
        {
            var objectives = new List<MapObjective>(perspective.Objectives.Count);
            foreach (var objective in perspective.Objectives)
            {
                if (owner.TryAdd(objective.Id, objective.Id))
                {
                    var score = results.GetValueOrDefault(objective.Id);
                    objectives.Add(new MapObjective(objective.Id, objective.Name, score.Score, score.Status?.ToString(), href(objective.Id)));
                }
            }

            bands.Add(new MapBand(perspective.Id, perspective.Name, objectives));
        }

        foreach (var perspective in scorecard.Perspectives)
        {
            foreach (var objective in perspective.Objectives)
            {
                Claim(objective, objective.Id, owner);
            }
        }

        var links = new List<MapLink>();
        var seenLinks = new HashSet<(string, string)>();
        foreach (var link in scorecard.Links)
        {
            if (owner.TryGetValue(link.From, out var from) && owner.TryGetValue(link.To, out var to) && from != to && seenLinks.Add((from, to)))
            {
                links.Add(new MapLink(from, to, link.Note));
            }
        }

        var tensions = new List<MapTension>();
        var seenTensions = new HashSet<(string, string)>();
        foreach (var tension in scorecard.Tensions)
        {
            if (owner.TryGetValue(tension.First, out var first) && owner.TryGetValue(tension.Second, out var second) && first != second
                && seenTensions.Add(string.CompareOrdinal(first, second) < 0 ? (first, second) : (second, first)))
            {
                tensions.Add(new MapTension(first, second, tension.Note));
            }
        }

        return new StrategyMapInput(scorecard.Name, bands, links, tensions);

        static void Claim(Objective objective, string top, Dictionary<string, string> owner)
        {
            foreach (var measure in objective.Measures)
            {
                owner.TryAdd(measure.Id, top);
            }

            foreach (var sub in objective.Objectives)
            {
                owner.TryAdd(sub.Id, top);
                Claim(sub, top, owner);
            }
        }
    }
}
