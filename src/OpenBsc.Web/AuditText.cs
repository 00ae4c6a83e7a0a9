using System.Text.Json;

namespace OpenBsc.Web;

/// <summary>
/// An audit record as a person reads it: "observation added", "Value: 790; Entered by: demo" instead of the stored
/// JSON. A whole definition is too long to read in a row: the page says so, the CSV export has all of it.
/// </summary>
public static class AuditText
{
    public static string Action(string action) => action.Replace('.', ' ').Replace('-', ' ');

    public static string? Describe(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Scalar(document.RootElement);
            }

            if (ValuesWritten(document.RootElement) is { } written)
            {
                return written;
            }

            var fields = document.RootElement.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToList();
            if (fields.Count > 10 || fields.Any(f => f.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && f.Value.GetRawText().Length > 200))
            {
                return "the whole definition (in the CSV export)";
            }

            return string.Join("; ", fields.Select(f => $"{Words(f.Name)}: {Scalar(f.Value)}"));
        }
        catch (JsonException)
        {
            return json.Length > 200 ? json[..200] + "…" : json;
        }
    }

    /// <summary>
    /// A write of the observation ledger (one entry per batch: its source, counts and the first values) as a sentence:
    /// "from values.csv: 3 rows, 2 added, 1 corrected — csat 2026-11: 95 → 20 (typo); …", not the raw record.
    /// </summary>
    private static string? ValuesWritten(JsonElement root)
    {
        if (!root.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Array || !root.TryGetProperty("Rows", out var rows))
        {
            return null;
        }

        string Count(string name) => root.TryGetProperty(name, out var n) ? n.GetRawText() : "0";
        string source = root.TryGetProperty("Source", out var s) && s.ValueKind == JsonValueKind.String ? $"from {s.GetString()}: " : "";
        var listed = values.EnumerateArray().Select(v =>
        {
            string name = $"{Text(v, "Measure")}{(Text(v, "Segment") is { Length: > 0 } segment ? " / " + segment : "")} {Text(v, "Period")}";
            string was = v.TryGetProperty("Was", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetRawText() + " → " : "";
            string reason = Text(v, "Reason") is { Length: > 0 } r ? $" ({r})" : "";
            return $"{name}: {was}{(v.TryGetProperty("Value", out var value) ? value.GetRawText() : "")}{reason}";
        }).ToList();
        string more = root.TryGetProperty("More", out var m) && m.ValueKind == JsonValueKind.Number && m.GetInt32() > 0 ? $"; and {m.GetInt32():N0} more" : "";
        string rowCount = rows.GetRawText();
        return $"{source}{rowCount} row{(rowCount == "1" ? "" : "s")}, {Count("Added")} added, {Count("Corrected")} corrected, {Count("Unchanged")} unchanged"
            + (listed.Count > 0 ? " — " + string.Join("; ", listed) + more : "");
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Scalar)),
        _ => value.GetRawText(),
    };

    /// <summary>"MustChangePassword" → "Must change password".</summary>
    private static string Words(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : i == 0 ? char.ToUpperInvariant(c).ToString() : c.ToString()));
}
