using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Editing;

/// <summary>How an item differs between two versions of a definition.</summary>
public enum ChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>
/// One item that differs between two versions: <paramref name="Item"/> is its kind (scorecard, perspective,
/// objective, measure, link, tension, initiative, risk, segment, cascade), <paramref name="Id"/> its id (a link as
/// <c>from→to</c>, a tension as <c>a↔b</c>, a scorecard field by its file name).
/// </summary>
public sealed record DefinitionChange(string Item, string Id, ChangeKind Change)
{
    public override string ToString() => $"{Item} {Id} {Change.ToString().ToLowerInvariant()}";
}

/// <summary>
/// Lists what differs between two versions of a scorecard definition, item by item: what a writer holding an
/// old version needs to know before saving over the current one. An item counts as changed when any of its own
/// fields differ; a container is not reported changed just because something inside it changed (that item is
/// reported itself), but a move to another place or position is.
/// </summary>
public static class DefinitionDiff
{
    public static IReadOnlyList<DefinitionChange> Between(Scorecard before, Scorecard after)
    {
        var changes = new List<DefinitionChange>();
        void Field(string name, bool same)
        {
            if (!same)
            {
                changes.Add(new("scorecard", name, ChangeKind.Changed));
            }
        }

        Field("id", before.Id == after.Id);
        Field("name", before.Name == after.Name);
        Field("mission", before.Mission == after.Mission);
        Field("vision", before.Vision == after.Vision);
        Field("values", before.Values.SequenceEqual(after.Values));
        Field("calendar", before.Calendar == after.Calendar);
        Field("missing", before.Missing == after.Missing);
        Field("overachievement", before.Overachievement.Equals(after.Overachievement));
        Field("status", before.Status.Equals(after.Status));
        Field("rollup", before.Rollup == after.Rollup);

        Compare("segment", before.Segments, after.Segments, s => s.Id, (a, b) => a.Equals(b), changes);
        Compare("perspective", PlacedPerspectives(before.Perspectives), PlacedPerspectives(after.Perspectives), p => p.Item.Id,
            (a, b) => a.Position == b.Position && a.Item with { Objectives = [] } == b.Item with { Objectives = [] }, changes);
        Compare("objective", PlacedObjectives(before), PlacedObjectives(after), o => o.Item.Id,
            (a, b) => a.Position == b.Position && a.Item with { Objectives = [], Measures = [] } == b.Item with { Objectives = [], Measures = [] }, changes);
        Compare("measure", PlacedMeasures(before), PlacedMeasures(after), m => m.Item.Id, (a, b) => a == b, changes);
        Compare("link", before.Links, after.Links, l => $"{l.From}→{l.To}", (a, b) => a == b, changes);
        Compare("tension", before.Tensions, after.Tensions, TensionId, (a, b) => a.Note == b.Note, changes);
        Compare("initiative", before.Initiatives, after.Initiatives, i => i.Id, (a, b) => a.Equals(b), changes);
        Compare("risk", before.Risks, after.Risks, r => r.Id, (a, b) => a.Equals(b), changes);
        Compare("cascade", before.Cascade, after.Cascade, c => $"{c.Objective}←{c.From}", (a, b) => a.Equals(b), changes);
        return changes;
    }

    private static string TensionId(Tension t) =>
        string.CompareOrdinal(t.First, t.Second) <= 0 ? $"{t.First}↔{t.Second}" : $"{t.Second}↔{t.First}";

    private sealed record Placed<T>(T Item, string Position);

    private static List<Placed<Perspective>> PlacedPerspectives(IReadOnlyList<Perspective> perspectives) =>
        [.. perspectives.Select((p, i) => new Placed<Perspective>(p, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    private static List<Placed<Objective>> PlacedObjectives(Scorecard card)
    {
        var list = new List<Placed<Objective>>();
        void Walk(IReadOnlyList<Objective> objectives, string where)
        {
            for (int i = 0; i < objectives.Count; i++)
            {
                list.Add(new(objectives[i], $"{where}[{i}]"));
                Walk(objectives[i].Objectives, objectives[i].Id);
            }
        }

        foreach (var perspective in card.Perspectives)
        {
            Walk(perspective.Objectives, perspective.Id);
        }

        return list;
    }

    private static List<Placed<Measure>> PlacedMeasures(Scorecard card) =>
        [.. card.AllObjectives().SelectMany(o => o.Measures.Select((m, i) => new Placed<Measure>(m, $"{o.Id}[{i}]")))];

    private static void Compare<T>(string item, IEnumerable<T> before, IEnumerable<T> after, Func<T, string> id, Func<T, T, bool> same, List<DefinitionChange> changes)
    {
        var old = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var x in before)
        {
            old.TryAdd(id(x), x);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var x in after)
        {
            string key = id(x);
            if (!seen.Add(key))
            {
                continue;
            }

            if (!old.TryGetValue(key, out var was))
            {
                changes.Add(new(item, key, ChangeKind.Added));
            }
            else if (!same(was, x))
            {
                changes.Add(new(item, key, ChangeKind.Changed));
            }
        }

        changes.AddRange(old.Keys.Where(k => !seen.Contains(k)).Select(k => new DefinitionChange(item, k, ChangeKind.Removed)));
    }
}
