namespace OpenBsc.Application.Features.Charts;

/// <summary>
/// How a status looks in the SVG renderers: colours, and an icon and a word so that status never rests on
/// colour alone (● Green, ▲ Yellow, ■ Red, ○ no data; – for a node without a status).
/// </summary>
internal sealed record StatusStyle(string Key, string Word, string Icon, string Stroke, string Fill, string Ink)
{
    public static readonly StatusStyle Green = new("green", "Green", "●", "#2e7d32", "#e8f5e9", "#1b5e20");
    public static readonly StatusStyle Yellow = new("yellow", "Yellow", "▲", "#f9a825", "#fff8e1", "#6d4c00");
    public static readonly StatusStyle Red = new("red", "Red", "■", "#c62828", "#ffebee", "#b71c1c");
    public static readonly StatusStyle Gray = new("gray", "No data", "○", "#9e9e9e", "#f5f5f5", "#424242");
    public static readonly StatusStyle None = new("none", "Not scored", "–", "#78909c", "#ffffff", "#37474f");

    /// <summary>The statuses of the legends, in order.</summary>
    public static readonly IReadOnlyList<StatusStyle> Legend = [Green, Yellow, Red, Gray];

    /// <summary>
    /// The style of a status name (Green, Yellow, Red, Gray; case-insensitive). Null or an unknown name has no
    /// status: Gray when there is no score either, since Gray means no data.
    /// </summary>
    public static StatusStyle Of(string? status, bool hasScore = true) => status?.Trim().ToUpperInvariant() switch
    {
        "GREEN" => Green,
        "YELLOW" => Yellow,
        "RED" => Red,
        "GRAY" or "GREY" => Gray,
        _ => hasScore ? None : Gray,
    };
}
