using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenBsc.Application.Features.Security;

/// <summary>One difference between two definitions: where (a path of ids), and the value before and after (null: none).</summary>
public sealed record DiffLine(string Path, string? Before, string? After)
{
    public string Kind => Before is null ? "added" : After is null ? "removed" : "changed";
}

/// <summary>
/// What changed between two scorecard definitions (the audit log keeps both whole): a walk of the two JSON trees in
/// which lists of items with an <c>id</c> are matched by id (so a new measure is one "added" line, not a shift of
/// every item after it), and each leaf that differs is one line. Whole added or removed items are shown by their
/// name. Bounded: at most <see cref="MaxLines"/> lines.
/// </summary>
public static class DefinitionDiff
{
    public const int MaxLines = 200;

    /// <summary>The differences, or null when either side is not JSON (then the raw texts are all there is).</summary>
    public static IReadOnlyList<DiffLine>? Between(string? before, string? after)
    {
        JsonNode? a, b;
        try
        {
            a = before is null ? null : JsonNode.Parse(before);
            b = after is null ? null : JsonNode.Parse(after);
        }
        catch (JsonException)
        {
            return null;
        }

        var lines = new List<DiffLine>();
        Walk("", a, b, lines);
        return lines;
    }

    private static void Walk(string path, JsonNode? a, JsonNode? b, List<DiffLine> lines)
    {
        if (lines.Count >= MaxLines)
        {
            return;
        }

        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (string key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                {
                    Walk(Join(path, key), x[key], y[key], lines);
                }

                break;
            case (JsonArray x, JsonArray y) when Keyed(x) && Keyed(y):
                var left = x.OfType<JsonObject>().ToDictionary(Id, StringComparer.Ordinal);
                var right = y.OfType<JsonObject>().ToDictionary(Id, StringComparer.Ordinal);
                foreach (string id in left.Keys.Union(right.Keys))
                {
                    string at = $"{path}[{id}]";
                    switch (left.GetValueOrDefault(id), right.GetValueOrDefault(id))
                    {
                        case (null, { } added):
                            lines.Add(new DiffLine(at, null, Summary(added)));
                            break;
                        case ({ } removed, null):
                            lines.Add(new DiffLine(at, Summary(removed), null));
                            break;
                        case ({ } l, { } r):
                            Walk(at, l, r, lines);
                            break;
                    }
                }

                break;
            default:
                string? before = Text(a), after = Text(b);
                if (!string.Equals(before, after, StringComparison.Ordinal))
                {
                    lines.Add(new DiffLine(path.Length == 0 ? "(whole)" : path, before, after));
                }

                break;
        }
    }

    private static bool Keyed(JsonArray items) => items.Count > 0 && items.All(i => i is JsonObject o && o["id"] is JsonValue)
        && items.Select(i => Id((JsonObject)i!)).Distinct(StringComparer.Ordinal).Count() == items.Count;

    private static string Id(JsonObject item) => item["id"]!.ToString();

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>An added or removed item in words: its name (and id).</summary>
    private static string Summary(JsonObject item) => item["name"] is JsonValue name ? $"{name} ({Id(item)})" : Id(item);

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue v when v.TryGetValue(out double d) => d.ToString("R", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
