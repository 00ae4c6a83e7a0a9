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
