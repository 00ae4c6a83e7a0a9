using System.Globalization;
using System.Text;
using OpenBsc.Application.Features.Charts;

namespace OpenBsc.Application.Features.StrategyMaps;

/// <summary>
/// Draws a <see cref="MapLayout"/> as a standalone SVG document, usable inline in HTML and as a .svg file: no
/// script, no style sheet (inline SVG style sheets would leak into the page), invariant numbers, the same bytes
/// for the same layout.
/// </summary>
/// <remarks>
/// Objectives are <c>&lt;a href&gt;</c> elements (class <c>objective status-…</c>) with a <c>&lt;title&gt;</c>; cause-effect
/// links are groups of class <c>link</c> (solid, one arrowhead at the effect) and tensions groups of class
/// <c>tension</c> (dashed purple, arrowheads at both ends, a "⚡ tension" mark). Status shows as colour, icon and
/// score together, never as colour alone.
/// </remarks>
public static class StrategyMapSvg
{
    private const string LinkColour = "#455a64";
    private const string TensionColour = "#8e24aa";
    private const string TextColour = "#212121";
    private const string ArrowId = "openbsc-map-arrow";
    private const string TensionEndId = "openbsc-map-tension-end";
    private const string TensionStartId = "openbsc-map-tension-start";
    private const double NameLineHeight = 14.5;
    private const double TitleFontSize = 18;
    private const double LabelFontSize = 11;
    private const double LinkLabelFontSize = 10;
    private const string TensionMark = "⚡ tension";

    public static string Render(MapLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var svg = new StringBuilder(16_384);
        string title = string.IsNullOrWhiteSpace(layout.Title) ? "Strategy map" : layout.Title;
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {N(layout.Width)} {N(layout.Height)}" width="{N(layout.Width)}" height="{N(layout.Height)}" role="graphics-document" aria-label="{SvgText.Escape(Summary(layout, title))}" font-family="{SvgText.FontFamily}" class="openbsc-strategy-map">""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"<title>Strategy map: {SvgText.Escape(title)}</title>\n");
        Definitions(svg);
        svg.Append(CultureInfo.InvariantCulture, $"""<rect class="background" width="{N(layout.Width)}" height="{N(layout.Height)}" fill="#ffffff"/>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text class="map-title" x="{N(StrategyMapLayout.Padding)}" y="{N(StrategyMapLayout.Padding + 22)}" font-size="{N(TitleFontSize)}" font-weight="bold" fill="{TextColour}">{SvgText.Escape(SvgText.Truncate(title, layout.Width - (2 * StrategyMapLayout.Padding), TitleFontSize, bold: true))}</text>""").Append('\n');

        Bands(svg, layout);
        Edges(svg, layout);
        Objectives(svg, layout);
        TensionMarks(svg, layout);
        Legend(svg, layout.Legend, layout.Edges.Any(e => e.Kind == MapEdgeKind.Link && e.Strength is double s && double.IsFinite(s)));
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string N(double value) => SvgText.Number(value);

    private static string Summary(MapLayout layout, string title)
    {
        var styles = layout.Objectives.Select(o => Style(o.Objective)).ToList();
        var counts = StatusStyle.Legend.Append(StatusStyle.None)
            .Select(s => (Style: s, Count: styles.Count(x => x == s)))
            .Where(c => c.Count > 0)
            .Select(c => c.Style == StatusStyle.Gray ? $"{c.Count} no data" : c.Style == StatusStyle.None ? $"{c.Count} not scored" : $"{c.Count} {c.Style.Word}");
        int links = layout.Edges.Count(e => e.Kind == MapEdgeKind.Link);
        int tensions = layout.Edges.Count(e => e.Kind == MapEdgeKind.Tension);
        string statuses = layout.Objectives.Count == 0 ? string.Empty : ": " + string.Join(", ", counts);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Strategy map {title}. {Plural(layout.Objectives.Count, "objective")} in {Plural(layout.Bands.Count, "perspective")}{statuses}. {Plural(links, "cause-effect link")}, {Plural(tensions, "tension")}.");
    }

    private static string Plural(int count, string word) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {word}{(count == 1 ? string.Empty : "s")}");

    private static void Definitions(StringBuilder svg)
    {
        svg.Append("<defs>\n");
        svg.Append(CultureInfo.InvariantCulture, $"""<marker id="{ArrowId}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{LinkColour}"/></marker>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<marker id="{TensionEndId}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,1 L10,5 L0,9 L3,5 z" fill="{TensionColour}"/></marker>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<marker id="{TensionStartId}" viewBox="0 0 10 10" refX="0" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto"><path d="M10,1 L0,5 L10,9 L7,5 z" fill="{TensionColour}"/></marker>""").Append('\n');
        svg.Append("</defs>\n");
    }

    private static void Bands(StringBuilder svg, MapLayout layout)
    {
        svg.Append("<g class=\"bands\">\n");
        if (layout.Bands.Count == 0)
        {
            double y = StrategyMapLayout.Padding + StrategyMapLayout.TitleHeight + 30;
            svg.Append(CultureInfo.InvariantCulture, $"""<text class="empty" x="{N(layout.Width / 2)}" y="{N(y)}" text-anchor="middle" font-size="13" font-style="italic" fill="#616161">No perspectives to show</text>""").Append('\n');
        }

        for (int b = 0; b < layout.Bands.Count; b++)
        {
            var band = layout.Bands[b];
            var r = band.Bounds;
            string fill = b % 2 == 0 ? "#f4f6f9" : "#eaeef4";
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="band" data-id="{SvgText.Escape(band.Band.Id)}">""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{N(r.X)}" y="{N(r.Y)}" width="{N(r.Width)}" height="{N(r.Height)}" rx="8" fill="{fill}" stroke="#cfd8dc"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<path d="M{N(r.X + 8)},{N(r.Y)} H{N(r.X + StrategyMapLayout.LabelWidth)} V{N(r.Bottom)} H{N(r.X + 8)} Q{N(r.X)},{N(r.Bottom)} {N(r.X)},{N(r.Bottom - 8)} V{N(r.Y + 8)} Q{N(r.X)},{N(r.Y)} {N(r.X + 8)},{N(r.Y)} z" fill="#dde4ec"/>""");
            double lineHeight = StrategyMapLayout.BandNameFontSize + 4;
            double first = r.Y + ((r.Height - (band.NameLines.Count * lineHeight)) / 2) + StrategyMapLayout.BandNameFontSize - 1;
            svg.Append(CultureInfo.InvariantCulture, $"""<text font-size="{N(StrategyMapLayout.BandNameFontSize)}" font-weight="bold" fill="#263238">""");
            for (int i = 0; i < band.NameLines.Count; i++)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<tspan x="{N(r.X + 12)}" y="{N(first + (i * lineHeight))}">{SvgText.Escape(band.NameLines[i])}</tspan>""");
            }

            svg.Append("</text>");
            if (band.Band.Objectives.Count == 0)
            {
                double x = (r.X + StrategyMapLayout.LabelWidth + r.Right) / 2;
                svg.Append(CultureInfo.InvariantCulture, $"""<text class="empty" x="{N(x)}" y="{N(r.Y + (r.Height / 2) + 4)}" text-anchor="middle" font-size="12" font-style="italic" fill="#616161">No objectives</text>""");
            }

            svg.Append("</g>\n");
        }

        svg.Append("</g>\n");
    }

    private static void Edges(StringBuilder svg, MapLayout layout)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var placed in layout.Objectives)
        {
            names.TryAdd(placed.Objective.Id, placed.Objective.Name);
        }

        svg.Append("<g class=\"edges\" fill=\"none\">\n");
        var labels = new LabelPlaces(layout);
        foreach (var edge in layout.Edges)
        {
            string from = names.GetValueOrDefault(edge.From, edge.From);
            string to = names.GetValueOrDefault(edge.To, edge.To);
            string note = string.IsNullOrWhiteSpace(edge.Note) ? string.Empty : ": " + edge.Note.Trim();
            string path = PathData(edge.Path);
            if (edge.Kind == MapEdgeKind.Link)
            {
                bool known = edge.Strength is double s0 && double.IsFinite(s0);
                double s = known ? Math.Clamp(edge.Strength!.Value, -1, 1) : 0;
                string strength = known ? string.Create(CultureInfo.InvariantCulture, $" (data: r = {s:0.00})") : string.Empty;
                // The data's support for the link shows as line weight (|r|) and a label; a negative r is dashed.
                string width = known ? N(1.2 + 3 * Math.Abs(s)) : "1.6";
                string dash = known && s < 0 ? " stroke-dasharray=\"2 3\"" : string.Empty;
                svg.Append(CultureInfo.InvariantCulture, $"""<g class="link" data-from="{SvgText.Escape(edge.From)}" data-to="{SvgText.Escape(edge.To)}"><title>{SvgText.Escape($"Cause and effect: {from} → {to}{strength}{note}")}</title>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<path class="link" d="{path}" stroke="{LinkColour}" stroke-width="{width}"{dash} marker-end="url(#{ArrowId})"/>""");
                if (known)
                {
                    string label = string.Create(CultureInfo.InvariantCulture, $"r {s:0.00}");
                    var at = labels.Place(edge, label);
                    // A white halo keeps the label readable where it must sit on a line.
                    svg.Append(CultureInfo.InvariantCulture, $"""<text class="link-strength" x="{N(at.X)}" y="{N(at.Y)}" font-size="{N(LinkLabelFontSize)}" fill="{LinkColour}" stroke="#ffffff" stroke-width="3" paint-order="stroke">{label}</text>""");
                }

                svg.Append("</g>\n");
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<g class="tension" data-from="{SvgText.Escape(edge.From)}" data-to="{SvgText.Escape(edge.To)}"><title>{SvgText.Escape($"⚡ Tension between {from} and {to}{note}")}</title>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<path class="tension" d="{path}" stroke="{TensionColour}" stroke-width="1.8" stroke-dasharray="7 4" marker-start="url(#{TensionStartId})" marker-end="url(#{TensionEndId})"/></g>""").Append('\n');
            }
        }

        svg.Append("</g>\n");
    }

    /// <summary>
    /// Places the correlation labels of links beside their own line, where they overlap no other label, no
    /// objective, no tension mark and no other line: candidates run from the middle of the curve towards its ends,
    /// right, left, above and below the line. Failing that, a place crossing another line (never a box) is taken.
    /// </summary>
    private sealed class LabelPlaces
    {
        private const double Height = 12, Gap = 3, Pad = 2;
        private static readonly double[] Along = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88];
        private readonly List<MapRect> _taken;
        private readonly List<(RoutedEdge Edge, MapPoint[] Line)> _lines;
        private readonly MapRect _area;

        public LabelPlaces(MapLayout layout)
        {
            double mark = SvgText.Width(TensionMark, LabelFontSize) + 10;
            _taken = [.. layout.Objectives.Select(o => o.Bounds),
                .. layout.Edges.Where(e => e.Kind == MapEdgeKind.Tension).Select(e => new MapRect(e.LabelAt.X - (mark / 2), e.LabelAt.Y - 8, mark, 16)),
                layout.Legend];
            _lines = [.. layout.Edges.Select(e => (e, Flatten(e.Path)))];
            double left = StrategyMapLayout.Padding + StrategyMapLayout.LabelWidth + Pad;
            _area = new MapRect(left, StrategyMapLayout.Padding + StrategyMapLayout.TitleHeight, layout.Width - StrategyMapLayout.Padding - left, layout.Legend.Y - StrategyMapLayout.Padding - StrategyMapLayout.TitleHeight);
        }

        /// <summary>Where the label's text starts (x, baseline).</summary>
        public MapPoint Place(RoutedEdge edge, string text)
        {
            // As wide as 0.6 em a character: more than any digit of the fonts the map names.
            double width = (text.Length * 0.6 * LinkLabelFontSize) + (2 * Pad);
            // Beside the line: above or below where it runs across, right or left where it runs up or down.
            var boxes = Along.Select(t => (At: At(edge.Path, t), Across: Across(edge.Path, t)))
                .SelectMany(c => c.Across
                    ? new[] { Above(c.At, width), Below(c.At, width), Right(c.At, width), Left(c.At, width) }
                    : new[] { Right(c.At, width), Left(c.At, width), Above(c.At, width), Below(c.At, width) })
                .Where(b => _area.Contains(b) && !_taken.Any(t => t.Intersects(b)))
                .ToList();
            var chosen = boxes.Cast<MapRect?>().FirstOrDefault(b => !MeetsLine(b!.Value, null))
                ?? boxes.Cast<MapRect?>().FirstOrDefault(b => !MeetsLine(b!.Value, edge))
                ?? boxes.Cast<MapRect?>().FirstOrDefault()
                ?? Right(edge.LabelAt, width);
            _taken.Add(chosen);
            return new MapPoint(chosen.X + Pad, chosen.Y + Height - 3);
        }

        private static MapRect Right(MapPoint c, double width) => new(c.X + Gap, c.Y - (Height / 2), width, Height);

        private static MapRect Left(MapPoint c, double width) => new(c.X - Gap - width, c.Y - (Height / 2), width, Height);

        private static MapRect Above(MapPoint c, double width) => new(c.X - (width / 2), c.Y - Gap - Height, width, Height);

        private static MapRect Below(MapPoint c, double width) => new(c.X - (width / 2), c.Y + Gap, width, Height);

        /// <summary>Whether the curve runs more across than up or down at <paramref name="t"/>.</summary>
        private static bool Across(IReadOnlyList<MapPoint> path, double t)
        {
            var (a, b) = (At(path, Math.Max(0, t - 0.02)), At(path, Math.Min(1, t + 0.02)));
            return Math.Abs(b.X - a.X) > Math.Abs(b.Y - a.Y);
        }

        /// <summary>Whether any line but <paramref name="except"/>'s runs through the box.</summary>
        private bool MeetsLine(MapRect box, RoutedEdge? except) =>
            _lines.Any(l => !ReferenceEquals(l.Edge, except) && Enumerable.Range(0, l.Line.Length - 1).Any(i => SegmentMeets(l.Line[i], l.Line[i + 1], box)));

        /// <summary>Whether a segment meets a rectangle (sampled finely: the segments are short).</summary>
        private static bool SegmentMeets(MapPoint a, MapPoint b, MapRect box)
        {
            if (Math.Max(a.X, b.X) < box.X || Math.Min(a.X, b.X) > box.Right || Math.Max(a.Y, b.Y) < box.Y || Math.Min(a.Y, b.Y) > box.Bottom)
            {
                return false;
            }

            int steps = (int)Math.Ceiling(Math.Max(Math.Abs(b.X - a.X), Math.Abs(b.Y - a.Y))) + 1;
            for (int i = 0; i <= steps; i++)
            {
                double t = (double)i / steps;
                double x = a.X + (t * (b.X - a.X)), y = a.Y + (t * (b.Y - a.Y));
                if (x >= box.X && x <= box.Right && y >= box.Y && y <= box.Bottom)
                {
                    return true;
                }
            }

            return false;
        }

        private static MapPoint[] Flatten(IReadOnlyList<MapPoint> path) =>
            [.. Enumerable.Range(0, 33).Select(i => At(path, i / 32.0))];

        /// <summary>The point at <paramref name="t"/> (0..1) along a chain of cubic Béziers (start, then 3 points per segment).</summary>
        private static MapPoint At(IReadOnlyList<MapPoint> path, double t)
        {
            int segments = (path.Count - 1) / 3;
            if (segments == 0)
            {
                return path[0];
            }

            double scaled = t * segments;
            int i = Math.Min(segments - 1, (int)scaled);
            double u = scaled - i, v = 1 - u;
            MapPoint p0 = path[3 * i], p1 = path[(3 * i) + 1], p2 = path[(3 * i) + 2], p3 = path[(3 * i) + 3];
            return new MapPoint(
                (v * v * v * p0.X) + (3 * v * v * u * p1.X) + (3 * v * u * u * p2.X) + (u * u * u * p3.X),
                (v * v * v * p0.Y) + (3 * v * v * u * p1.Y) + (3 * v * u * u * p2.Y) + (u * u * u * p3.Y));
        }
    }

    private static string PathData(IReadOnlyList<MapPoint> points)
    {
        var d = new StringBuilder();
        d.Append(CultureInfo.InvariantCulture, $"M{N(points[0].X)},{N(points[0].Y)}");
        for (int i = 1; i + 2 < points.Count; i += 3)
        {
            d.Append(CultureInfo.InvariantCulture, $" C{N(points[i].X)},{N(points[i].Y)} {N(points[i + 1].X)},{N(points[i + 1].Y)} {N(points[i + 2].X)},{N(points[i + 2].Y)}");
        }

        return d.ToString();
    }

    private static StatusStyle Style(MapObjective objective) => StatusStyle.Of(objective.Status, Score(objective) is not null);

    private static double? Score(MapObjective objective) => objective.Score is double s && double.IsFinite(s) ? s : null;

    private static string Percent(double score) =>
        Math.Round(score * 100, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static void Objectives(StringBuilder svg, MapLayout layout)
    {
        svg.Append("<g class=\"objectives\">\n");
        foreach (var placed in layout.Objectives)
        {
            var objective = placed.Objective;
            var style = Style(objective);
            double? score = Score(objective);
            var r = placed.Bounds;
            string status = score is double s
                ? $"{style.Icon} {Percent(s)}"
                : style == StatusStyle.Gray ? "○ no data" : $"{style.Icon} {style.Word}";
            string statusSentence = style == StatusStyle.Gray ? "Status: Gray (no data)."
                : style == StatusStyle.None ? "No status."
                : $"Status: {style.Word}.";
            string tooltip = score is double t ? $"{objective.Name}. {statusSentence} Score: {Percent(t)}." : $"{objective.Name}. {statusSentence}";
            if (objective.Analysis is { Length: > 0 } analysis)
            {
                // Escaped like every text of the map: commentary is the user's words, never markup.
                tooltip += " Analysis: " + (analysis.Length <= 400 ? analysis : analysis[..399] + "…");
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<a href="{SvgText.Escape(objective.Href)}" class="objective status-{style.Key}" data-id="{SvgText.Escape(objective.Id)}"><title>{SvgText.Escape(tooltip)}</title>""");
            string dash = style == StatusStyle.Gray ? " stroke-dasharray=\"5 3\"" : string.Empty;
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{N(r.X)}" y="{N(r.Y)}" width="{N(r.Width)}" height="{N(r.Height)}" rx="10" fill="{style.Fill}" stroke="{style.Stroke}" stroke-width="2"{dash}/>""");

            // Name lines centred in the space above the status line.
            double areaTop = r.Y + 6;
            double areaHeight = r.Height - 6 - 24;
            double first = areaTop + ((areaHeight - (placed.NameLines.Count * NameLineHeight)) / 2) + StrategyMapLayout.NameFontSize - 1;
            svg.Append(CultureInfo.InvariantCulture, $"""<text text-anchor="middle" font-size="{N(StrategyMapLayout.NameFontSize)}" fill="{TextColour}">""");
            for (int i = 0; i < placed.NameLines.Count; i++)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<tspan x="{N(r.Centre.X)}" y="{N(first + (i * NameLineHeight))}">{SvgText.Escape(placed.NameLines[i])}</tspan>""");
            }

            svg.Append("</text>");
            svg.Append(CultureInfo.InvariantCulture, $"""<text class="status" x="{N(r.Centre.X)}" y="{N(r.Bottom - 9)}" text-anchor="middle" font-size="12" font-weight="bold" fill="{style.Ink}">{SvgText.Escape(status)}</text>""");
            svg.Append("</a>\n");
        }

        svg.Append("</g>\n");
    }

    // Drawn over the nodes so that no mark hides behind one; the layout keeps mark points off the nodes.
    private static void TensionMarks(StringBuilder svg, MapLayout layout)
    {
        const string mark = TensionMark;
        double width = SvgText.Width(mark, LabelFontSize) + 10;
        svg.Append("<g class=\"tension-marks\">\n");
        foreach (var edge in layout.Edges.Where(e => e.Kind == MapEdgeKind.Tension))
        {
            var at = edge.LabelAt;
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="tension-mark" aria-hidden="true"><rect x="{N(at.X - (width / 2))}" y="{N(at.Y - 8)}" width="{N(width)}" height="16" rx="8" fill="#ffffff" stroke="{TensionColour}"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(at.X)}" y="{N(at.Y + 4)}" text-anchor="middle" font-size="{N(LabelFontSize)}" fill="{TensionColour}">{mark}</text></g>""").Append('\n');
        }

        svg.Append("</g>\n");
    }

    /// <summary>The legend: statuses, arrows and tensions; and, where links carry the data's correlation, what "r 0.88" means.</summary>
    internal const string StrengthExplained = "how closely the two objectives' scores have moved together over past periods (1 = in step, 0 = unrelated)";

    private static void Legend(StringBuilder svg, MapRect legend, bool strengths)
    {
        double x = legend.X + 4;
        double y = legend.Y + 18;
        const double fontSize = 12;
        svg.Append(CultureInfo.InvariantCulture, $"""<g class="legend" font-size="{N(fontSize)}" fill="{TextColour}">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x)}" y="{N(y + 4)}" font-weight="bold">Legend</text>""");
        x += SvgText.Width("Legend", fontSize, bold: true) + 14;
        foreach (var style in StatusStyle.Legend)
        {
            string dash = style == StatusStyle.Gray ? " stroke-dasharray=\"3 2\"" : string.Empty;
            string text = $"{style.Icon} {style.Word}";
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="legend-status status-{style.Key}"><rect x="{N(x)}" y="{N(y - 8)}" width="16" height="16" rx="4" fill="{style.Fill}" stroke="{style.Stroke}" stroke-width="2"{dash}/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x + 22)}" y="{N(y + 4)}" fill="{style.Ink}">{SvgText.Escape(text)}</text></g>""");
            x += 22 + SvgText.Width(text, fontSize) + 18;
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<g class="legend-link"><path d="M{N(x)},{N(y)} H{N(x + 34)}" stroke="{LinkColour}" stroke-width="1.6" fill="none" marker-end="url(#{ArrowId})"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x + 42)}" y="{N(y + 4)}">cause → effect</text></g>""");
        x += 42 + SvgText.Width("cause → effect", fontSize) + 18;
        svg.Append(CultureInfo.InvariantCulture, $"""<g class="legend-tension"><path d="M{N(x)},{N(y)} H{N(x + 40)}" stroke="{TensionColour}" stroke-width="1.8" stroke-dasharray="7 4" fill="none" marker-start="url(#{TensionStartId})" marker-end="url(#{TensionEndId})"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x + 48)}" y="{N(y + 4)}" fill="{TensionColour}">⚡ tension</text></g>""");
        if (strengths)
        {
            // The second line: the links' labels, drawn as on the links, then what they mean in plain words.
            double left = legend.X + 4 + SvgText.Width("Legend", fontSize, bold: true) + 14;
            double line = y + 24;
            const string sample = "r 0.88";
            double words = left + SvgText.Width(sample, LinkLabelFontSize) + 8;
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="legend-strength"><text x="{N(left)}" y="{N(line + 4)}" font-size="{N(LinkLabelFontSize)}" fill="{LinkColour}">{sample}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(words)}" y="{N(line + 4)}">{SvgText.Escape(SvgText.Truncate(StrengthExplained, legend.Right - words, fontSize))}</text></g>""");
        }

        svg.Append("</g>\n");
    }
}
