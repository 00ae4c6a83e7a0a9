using System.Globalization;
using System.Xml.Linq;

namespace OpenBsc.IntegrationTests.StrategyMaps;

/// <summary>
/// What a reader sees of a rendered strategy map, measured from the SVG text alone (not from the layout that
/// produced it): the drawn curves of links and tensions, the boxes of objectives, and the boxes of the labels drawn
/// on the links (correlation labels and tension marks).
/// </summary>
internal sealed class RenderedMap
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // Text boxes are estimated generously: Helvetica's digits are 0.556 em wide, "r" 0.333 em, the space 0.278 em.
    private const double CharWidth = 0.6;
    private const int StepsPerCurve = 24;

    private RenderedMap(XDocument doc)
    {
        Objectives = [.. doc.Descendants(Svg + "a").Where(a => Class(a).Contains("objective", StringComparison.Ordinal))
            .Select(a => Rect(a.Element(Svg + "rect")!))];
        Edges = [.. doc.Descendants(Svg + "g").Where(g => Class(g) is "link" or "tension")
            .Select(g => new Edge(
                Class(g),
                (string)g.Attribute("data-from")!,
                (string)g.Attribute("data-to")!,
                Flatten((string)g.Element(Svg + "path")!.Attribute("d")!)))];
        Strengths = [.. doc.Descendants(Svg + "g").Where(g => Class(g) == "link")
            .SelectMany(g => g.Elements(Svg + "text").Where(t => Class(t) == "link-strength").Select(t => (Edges.First(e => e.Kind == "link" && e.From == (string)g.Attribute("data-from")! && e.To == (string)g.Attribute("data-to")!), TextBox(t))))];
        var strengths = Strengths.Select(s => s.Box);
        var marks = doc.Descendants(Svg + "g").Where(g => Class(g) == "tension-mark").Select(g => Rect(g.Element(Svg + "rect")!));
        Labels = [.. strengths.Concat(marks)];
        var legend = doc.Descendants(Svg + "g").Single(g => Class(g) == "legend");
        Legend = Bounds(legend.Descendants(Svg + "rect").Select(Rect).Concat(legend.Descendants(Svg + "text").Select(TextBox)));
        Width = Number((string)doc.Root!.Attribute("width")!);
    }

    public IReadOnlyList<Box> Objectives { get; }

    public IReadOnlyList<Edge> Edges { get; }

    public IReadOnlyList<Box> Labels { get; }

    /// <summary>The correlation labels with the link each belongs to.</summary>
    public IReadOnlyList<(Edge Edge, Box Box)> Strengths { get; }

    public Box Legend { get; }

    public double Width { get; }

    public static RenderedMap Parse(string svg) => new(XDocument.Parse(svg));

    /// <summary>
    /// Points where two drawn edges cross, over every pair of edges; where two edges share an objective the few
    /// pixels next to it (where they leave the same border) do not count.
    /// </summary>
    public int Crossings()
    {
        int count = 0;
        for (int i = 0; i < Edges.Count; i++)
        {
            for (int j = i + 1; j < Edges.Count; j++)
            {
                count += Crossings(Edges[i], Edges[j]);
            }
        }

        return count;
    }

    /// <summary>Pairs of label boxes that overlap each other, an objective, or the legend.</summary>
    public IReadOnlyList<string> Overlaps()
    {
        var found = new List<string>();
        for (int i = 0; i < Labels.Count; i++)
        {
            for (int j = i + 1; j < Labels.Count; j++)
            {
                if (Labels[i].Intersects(Labels[j]))
                {
                    found.Add($"label {Labels[i]} overlaps label {Labels[j]}");
                }
            }

            found.AddRange(Objectives.Where(o => o.Intersects(Labels[i])).Select(o => $"label {Labels[i]} overlaps objective {o}"));
            if (Legend.Intersects(Labels[i]))
            {
                found.Add($"label {Labels[i]} overlaps the legend");
            }
        }

        return found;
    }

    /// <summary>Correlation labels that another link or tension runs through (hard to read, easy to misattribute).</summary>
    public IReadOnlyList<string> LabelsOnOtherLines() =>
        [.. Strengths.SelectMany(s => Edges.Where(e => !ReferenceEquals(e, s.Edge) && Meets(e, s.Box))
            .Select(e => $"label {s.Box} of {s.Edge.From}→{s.Edge.To} lies on {e.From}→{e.To}"))];

    private static bool Meets(Edge e, Box box)
    {
        for (int i = 0; i + 1 < e.Points.Count; i++)
        {
            var (a, b) = (e.Points[i], e.Points[i + 1]);
            for (int k = 0; k <= 20; k++)
            {
                double x = a.X + ((b.X - a.X) * k / 20), y = a.Y + ((b.Y - a.Y) * k / 20);
                if (x > box.X && x < box.Right && y > box.Y && y < box.Bottom)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static int Crossings(Edge e, Edge f)
    {
        int count = 0;
        for (int a = 0; a + 1 < e.Points.Count; a++)
        {
            for (int b = 0; b + 1 < f.Points.Count; b++)
            {
                if (Intersect(e.Points[a], e.Points[a + 1], f.Points[b], f.Points[b + 1], out var at) && !NearSharedEnd(e, f, at))
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static bool NearSharedEnd(Edge e, Edge f, (double X, double Y) at)
    {
        const double Near = 3;
        foreach (var p in new[] { e.Points[0], e.Points[^1] })
        {
            foreach (var q in new[] { f.Points[0], f.Points[^1] })
            {
                if (Distance(p, q) < Near && Distance(p, at) < Near)
                {
                    return true;
                }
            }
        }

        return false;

        static double Distance((double X, double Y) p, (double X, double Y) q) => Math.Sqrt(((p.X - q.X) * (p.X - q.X)) + ((p.Y - q.Y) * (p.Y - q.Y)));
    }

    private static bool Intersect((double X, double Y) p1, (double X, double Y) p2, (double X, double Y) p3, (double X, double Y) p4, out (double X, double Y) at)
    {
        at = default;
        double d = ((p2.X - p1.X) * (p4.Y - p3.Y)) - ((p2.Y - p1.Y) * (p4.X - p3.X));
        if (Math.Abs(d) < 1e-9)
        {
            return false;
        }

        double t = (((p3.X - p1.X) * (p4.Y - p3.Y)) - ((p3.Y - p1.Y) * (p4.X - p3.X))) / d;
        double u = (((p3.X - p1.X) * (p2.Y - p1.Y)) - ((p3.Y - p1.Y) * (p2.X - p1.X))) / d;

        // Half-open on both segments, so that a crossing exactly at a joint of a polyline counts once.
        if (t < 0 || t >= 1 || u < 0 || u >= 1)
        {
            return false;
        }

        at = (p1.X + (t * (p2.X - p1.X)), p1.Y + (t * (p2.Y - p1.Y)));
        return true;
    }

    /// <summary>A path of the map's form (M then C segments, or an H/V/L) as a polyline.</summary>
    private static List<(double X, double Y)> Flatten(string d)
    {
        var tokens = d.Replace(",", " ", StringComparison.Ordinal)
            .Replace("M", " M ", StringComparison.Ordinal).Replace("C", " C ", StringComparison.Ordinal)
            .Replace("L", " L ", StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var points = new List<(double X, double Y)>();
        (double X, double Y) current = default;
        char command = 'M';
        int i = 0;
        while (i < tokens.Length)
        {
            if (tokens[i] is "M" or "C" or "L")
            {
                command = tokens[i][0];
                i++;
                continue;
            }

            switch (command)
            {
                case 'M':
                case 'L':
                    current = (Number(tokens[i]), Number(tokens[i + 1]));
                    points.Add(current);
                    i += 2;
                    break;
                case 'C':
                    var c1 = (X: Number(tokens[i]), Y: Number(tokens[i + 1]));
                    var c2 = (X: Number(tokens[i + 2]), Y: Number(tokens[i + 3]));
                    var end = (X: Number(tokens[i + 4]), Y: Number(tokens[i + 5]));
                    for (int s = 1; s <= StepsPerCurve; s++)
                    {
                        double t = (double)s / StepsPerCurve, u = 1 - t;
                        points.Add((
                            (u * u * u * current.X) + (3 * u * u * t * c1.X) + (3 * u * t * t * c2.X) + (t * t * t * end.X),
                            (u * u * u * current.Y) + (3 * u * u * t * c1.Y) + (3 * u * t * t * c2.Y) + (t * t * t * end.Y)));
                    }

                    current = end;
                    i += 6;
                    break;
                default:
                    throw new FormatException($"unexpected path command {command} in '{d}'");
            }
        }

        return points;
    }

    private static string Class(XElement e) => (string?)e.Attribute("class") ?? string.Empty;

    private static double Number(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static Box Rect(XElement rect) => new(
        Number((string)rect.Attribute("x")!),
        Number((string)rect.Attribute("y")!),
        Number((string)rect.Attribute("width")!),
        Number((string)rect.Attribute("height")!));

    /// <summary>A text's box from its position, anchor, size and characters (baseline at y, ascent 0.8 em, descent 0.2 em).</summary>
    private static Box TextBox(XElement text)
    {
        double size = Number((string?)text.Attribute("font-size") ?? (string?)text.Ancestors().Select(a => a.Attribute("font-size")).FirstOrDefault(a => a is not null) ?? "12");
        double width = text.Value.Length * CharWidth * size;
        double x = Number((string?)text.Attribute("x") ?? "0");
        double y = Number((string?)text.Attribute("y") ?? "0");
        x -= (string?)text.Attribute("text-anchor") switch
        {
            "middle" => width / 2,
            "end" => width,
            _ => 0,
        };
        return new Box(x, y - (0.8 * size), width, size);
    }

    private static Box Bounds(IEnumerable<Box> boxes)
    {
        var all = boxes.ToList();
        double left = all.Min(b => b.X), top = all.Min(b => b.Y);
        return new Box(left, top, all.Max(b => b.Right) - left, all.Max(b => b.Bottom) - top);
    }

    public sealed record Edge(string Kind, string From, string To, IReadOnlyList<(double X, double Y)> Points);

    public readonly record struct Box(double X, double Y, double Width, double Height)
    {
        public double Right => X + Width;

        public double Bottom => Y + Height;

        public bool Intersects(Box other) => X < other.Right && other.X < Right && Y < other.Bottom && other.Y < Bottom;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({X:0},{Y:0} {Width:0}×{Height:0})");
    }
}
