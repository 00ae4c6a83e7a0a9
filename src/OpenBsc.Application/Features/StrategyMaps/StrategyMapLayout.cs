using OpenBsc.Application.Features.Charts;

namespace OpenBsc.Application.Features.StrategyMaps;

/// <summary>
/// Lays out a strategy map: perspectives as full-width bands in the given order (top first), objectives as
/// fixed-size nodes in rows of at most <see cref="MaxPerRow"/> inside their band, ordered within each band to
/// reduce crossings, and links and tensions routed between node borders through the gaps between nodes.
/// </summary>
/// <remarks>
/// Ordering: barycentre sweeps (each band in turn, down then up, placed by the mean x of its objectives'
/// neighbours in other bands; ties keep input order), each followed by adjacent swaps that lower the crossing
/// count. The best order seen wins, and the input order unless another has strictly fewer crossings, so
/// reordering never adds crossings. Crossings are counted as <see cref="CountCrossings"/> does.
/// </remarks>
public static class StrategyMapLayout
{
    public const int MaxPerRow = 6;
    public const int MaxNameLines = 3;
    public const double NodeWidth = 156;
    public const double NodeHeight = 76;

    internal const double Padding = 16;
    internal const double TitleHeight = 44;
    internal const double LabelWidth = 132;
    internal const double NameFontSize = 12;
    internal const double NameInset = 8;
    internal const double BandNameFontSize = 13;

    private const double SideGap = 28;
    private const double ColumnGap = 52;
    private const double RowGap = 48;
    private const double BandPadTop = 40;
    private const double BandPadBottom = 40;
    private const double BandGap = 8;
    private const double LegendHeight = 36;

    /// <summary>The legend's second line, explaining the links' "r 0.88" labels, where links carry them.</summary>
    private const double LegendStrengthHeight = 22;
    private const double EmptyHeight = 60;
    private const int MinColumns = 4;
    private const int Sweeps = 4;
    private const int SwapPasses = 12;
    private const double PortMargin = 14;
    private const double LaneSpacing = 6;
    private const double LaneMargin = 5;
    private const double LaneClearance = 12;
    private const double SideLinkSpacing = 16;
    private const int RefineMaxEdges = 40;
    private const int RefineBudget = 150;
    private const int RefinedCacheSize = 256;
    private const int StepsPerCurve = 8;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int[][]> Refined = new(StringComparer.Ordinal);

    /// <summary>Lays out <paramref name="input"/>; with <paramref name="reduceCrossings"/> false, objectives keep input order.</summary>
    /// <exception cref="ArgumentException">Two objectives share an id.</exception>
    public static MapLayout Compute(StrategyMapInput input, bool reduceCrossings = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        var graph = new Graph(input);
        var frame = new Frame(input);
        var assignment = frame.InputOrder();
        if (reduceCrossings && graph.Edges.Count > 1)
        {
            assignment = Order(graph, frame, assignment);
            if (graph.Edges.Count <= RefineMaxEdges)
            {
                // The refined order depends on the map's shape only (not on scores or names): pages reuse it.
                string shape = graph.Shape(frame);
                if (Refined.TryGetValue(shape, out var known))
                {
                    assignment = Copy(known);
                }
                else
                {
                    assignment = Refine(graph, frame, assignment);
                    if (Refined.Count >= RefinedCacheSize)
                    {
                        Refined.Clear();
                    }

                    Refined[shape] = Copy(assignment);
                }
            }
        }

        return Build(input, graph, frame, assignment);
    }

    /// <summary>
    /// Crossings of the straight segments between the centres of linked (or tensioned) objectives in different
    /// rows, counting each pair of edges that properly intersect and share no objective. Edges within one row
    /// (drawn as arcs) do not count.
    /// </summary>
    public static int CountCrossings(MapLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var x = new double[layout.Objectives.Count];
        var y = new double[layout.Objectives.Count];
        for (int i = 0; i < layout.Objectives.Count; i++)
        {
            index.TryAdd(layout.Objectives[i].Objective.Id, i);
            (x[i], y[i]) = layout.Objectives[i].Bounds.Centre;
        }

        var edges = layout.Edges
            .Where(e => index.ContainsKey(e.From) && index.ContainsKey(e.To))
            .Select(e => (index[e.From], index[e.To]))
            .ToArray();
        return Crossings(edges, x, y);
    }

    private static int Crossings((int From, int To)[] edges, double[] x, double[] y)
    {
        int count = 0;
        for (int i = 0; i < edges.Length; i++)
        {
            for (int j = i + 1; j < edges.Length; j++)
            {
                if (Cross(edges[i], edges[j], x, y))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Crossings in which at least one edge of <paramref name="involved"/> (flagged in <paramref name="flagged"/>) takes part.</summary>
    private static int CrossingsOf(List<int> involved, bool[] flagged, (int From, int To)[] edges, double[] x, double[] y)
    {
        int count = 0;
        foreach (int i in involved)
        {
            for (int j = 0; j < edges.Length; j++)
            {
                // A pair of involved edges is counted once, from its lower index.
                if ((!flagged[j] || j > i) && j != i && Cross(edges[i], edges[j], x, y))
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static bool Cross((int From, int To) e, (int From, int To) f, double[] x, double[] y)
    {
        var (a, b) = e;
        var (c, d) = f;
        if (y[a] == y[b] || y[c] == y[d] || a == c || a == d || b == c || b == d)
        {
            return false;
        }

        double o1 = Orientation(x[a], y[a], x[b], y[b], x[c], y[c]);
        double o2 = Orientation(x[a], y[a], x[b], y[b], x[d], y[d]);
        double o3 = Orientation(x[c], y[c], x[d], y[d], x[a], y[a]);
        double o4 = Orientation(x[c], y[c], x[d], y[d], x[b], y[b]);
        return ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0));

        static double Orientation(double ax, double ay, double bx, double by, double cx, double cy) =>
            ((bx - ax) * (cy - ay)) - ((by - ay) * (cx - ax));
    }

    private static int[][] Order(Graph graph, Frame frame, int[][] input)
    {
        var best = Copy(input);
        int bestCount = frame.Crossings(graph, input);
        var current = Copy(input);
        for (int sweep = 0; sweep < Sweeps && bestCount > 0; sweep++)
        {
            bool down = sweep % 2 == 0;
            for (int k = 0; k < frame.BandCount; k++)
            {
                Barycentre(graph, frame, current, down ? k : frame.BandCount - 1 - k);
            }

            int count = frame.Crossings(graph, current);
            if (count < bestCount)
            {
                bestCount = count;
                best = Copy(current);
            }
        }

        // Adjacent swaps polish the best order once (each swap is cheap, but they add up on dense maps).
        var polished = Copy(best);
        return SwapAdjacent(graph, frame, polished) < bestCount ? polished : best;
    }

    /// <summary>
    /// Swaps pairs of objectives within a band while that lowers the crossings of the curves as drawn (same-row
    /// links included, which the straight-line count leaves out), never above the input order's straight-line count.
    /// Starts from the better of <paramref name="ordered"/> and the input order.
    /// </summary>
    private static int[][] Refine(Graph graph, Frame frame, int[][] ordered)
    {
        var input = frame.InputOrder();
        int limit = frame.Crossings(graph, input);
        int budget = RefineBudget;
        var best = Copy(ordered);
        int bestDrawn = DrawnCrossings(graph, frame, best);
        int inputDrawn = DrawnCrossings(graph, frame, input);
        if (inputDrawn < bestDrawn)
        {
            (best, bestDrawn) = (input, inputDrawn);
        }

        for (bool improved = true; improved && bestDrawn > 0 && budget > 0;)
        {
            improved = false;
            for (int b = 0; b < frame.BandCount && budget > 0; b++)
            {
                var slots = best[b];
                for (int i = 0; i < slots.Length && budget > 0; i++)
                {
                    for (int j = i + 1; j < slots.Length && budget > 0; j++)
                    {
                        if (graph.Incident[slots[i]].Count + graph.Incident[slots[j]].Count == 0)
                        {
                            continue;
                        }

                        budget--;
                        (slots[i], slots[j]) = (slots[j], slots[i]);
                        int drawn = DrawnCrossings(graph, frame, best);
                        if (drawn < bestDrawn && frame.Crossings(graph, best) <= limit)
                        {
                            bestDrawn = drawn;
                            improved = true;
                        }
                        else
                        {
                            (slots[i], slots[j]) = (slots[j], slots[i]);
                        }
                    }
                }
            }
        }

        return best;
    }

    /// <summary>Points where the routed curves of two edges cross (not counting where two edges leave one objective side by side).</summary>
    /// <remarks>Each cubic piece is flattened, and only pieces whose control boxes meet are compared: most never do.</remarks>
    private static int DrawnCrossings(Graph graph, Frame frame, int[][] assignment)
    {
        var (rect, rowOf, rows) = Place(graph, frame, assignment);
        var routed = new Router(graph, frame, rect, rowOf, rows).Route();
        var pieces = routed.Select(e => Pieces(e.Path)).ToArray();
        int count = 0;
        for (int i = 0; i < pieces.Length; i++)
        {
            var first = routed[i].Path;
            for (int j = i + 1; j < pieces.Length; j++)
            {
                var second = routed[j].Path;
                foreach (var p in pieces[i])
                {
                    foreach (var q in pieces[j])
                    {
                        if (p.Box.X <= q.Box.Right && q.Box.X <= p.Box.Right && p.Box.Y <= q.Box.Bottom && q.Box.Y <= p.Box.Bottom)
                        {
                            count += PieceCrossings(p.Points, q.Points, first, second);
                        }
                    }
                }
            }
        }

        return count;
    }

    /// <summary>The cubic pieces of a path, each flattened, with the box of its control points.</summary>
    private static List<(MapRect Box, MapPoint[] Points)> Pieces(IReadOnlyList<MapPoint> path)
    {
        var pieces = new List<(MapRect, MapPoint[])>((path.Count - 1) / 3);
        for (int s = 0; s + 3 < path.Count; s += 3)
        {
            var (p0, p1, p2, p3) = (path[s], path[s + 1], path[s + 2], path[s + 3]);
            double left = Math.Min(Math.Min(p0.X, p1.X), Math.Min(p2.X, p3.X)), right = Math.Max(Math.Max(p0.X, p1.X), Math.Max(p2.X, p3.X));
            double top = Math.Min(Math.Min(p0.Y, p1.Y), Math.Min(p2.Y, p3.Y)), bottom = Math.Max(Math.Max(p0.Y, p1.Y), Math.Max(p2.Y, p3.Y));
            var points = new MapPoint[StepsPerCurve + 1];
            for (int k = 0; k <= StepsPerCurve; k++)
            {
                double t = (double)k / StepsPerCurve, u = 1 - t;
                points[k] = new MapPoint(
                    (u * u * u * p0.X) + (3 * u * u * t * p1.X) + (3 * u * t * t * p2.X) + (t * t * t * p3.X),
                    (u * u * u * p0.Y) + (3 * u * u * t * p1.Y) + (3 * u * t * t * p2.Y) + (t * t * t * p3.Y));
            }

            pieces.Add((new MapRect(left, top, right - left, bottom - top), points));
        }

        return pieces;
    }

    private static int PieceCrossings(MapPoint[] e, MapPoint[] f, IReadOnlyList<MapPoint> first, IReadOnlyList<MapPoint> second)
    {
        int count = 0;
        for (int a = 0; a + 1 < e.Length; a++)
        {
            for (int b = 0; b + 1 < f.Length; b++)
            {
                if (SegmentsCross(e[a], e[a + 1], f[b], f[b + 1], out var at) && !NearSharedEnd(at))
                {
                    count++;
                }
            }
        }

        return count;

        // Two edges leaving one objective start a few pixels apart and may touch there: not a crossing.
        bool NearSharedEnd(MapPoint at) =>
            ((Near(first[0], second[0]) || Near(first[0], second[^1])) && Near(first[0], at))
            || ((Near(first[^1], second[0]) || Near(first[^1], second[^1])) && Near(first[^1], at));

        static bool Near(MapPoint p, MapPoint q) => Math.Abs(p.X - q.X) < 3 && Math.Abs(p.Y - q.Y) < 3;
    }

    private static bool SegmentsCross(MapPoint p1, MapPoint p2, MapPoint p3, MapPoint p4, out MapPoint at)
    {
        at = default;
        double d = ((p2.X - p1.X) * (p4.Y - p3.Y)) - ((p2.Y - p1.Y) * (p4.X - p3.X));
        if (Math.Abs(d) < 1e-9)
        {
            return false;
        }

        double t = (((p3.X - p1.X) * (p4.Y - p3.Y)) - ((p3.Y - p1.Y) * (p4.X - p3.X))) / d;
        double u = (((p3.X - p1.X) * (p2.Y - p1.Y)) - ((p3.Y - p1.Y) * (p2.X - p1.X))) / d;
        if (t < 0 || t >= 1 || u < 0 || u >= 1)
        {
            return false;
        }

        at = new MapPoint(p1.X + (t * (p2.X - p1.X)), p1.Y + (t * (p2.Y - p1.Y)));
        return true;
    }

    private static int[][] Copy(int[][] assignment) => [.. assignment.Select(a => (int[])a.Clone())];

    /// <summary>Places band <paramref name="band"/>'s objectives by the mean x of their neighbours in other bands.</summary>
    private static void Barycentre(Graph graph, Frame frame, int[][] assignment, int band)
    {
        var slots = assignment[band];
        if (slots.Length < 2)
        {
            return;
        }

        var (x, _) = frame.Centres(assignment);
        var keyed = new (double Key, int Node)[slots.Length];
        for (int s = 0; s < slots.Length; s++)
        {
            int node = slots[s];
            double sum = 0;
            int n = 0;
            foreach (int other in graph.Neighbours[node])
            {
                if (graph.Band[other] != band)
                {
                    sum += x[other];
                    n++;
                }
            }

            keyed[s] = (n == 0 ? x[node] : sum / n, node);
        }

        // Ties keep input order (node numbers follow the input).
        Array.Sort(keyed, (p, q) => p.Key != q.Key ? p.Key.CompareTo(q.Key) : p.Node.CompareTo(q.Node));
        var byX = frame.SlotsByX[band];
        for (int i = 0; i < keyed.Length; i++)
        {
            slots[byX[i]] = keyed[i].Node;
        }
    }

    /// <summary>Swaps horizontally adjacent objectives while that lowers the crossing count; returns the count.</summary>
    /// <remarks>A swap moves only two objectives, so only the crossings of their edges are recounted.</remarks>
    private static int SwapAdjacent(Graph graph, Frame frame, int[][] assignment)
    {
        var (x, y) = frame.Centres(assignment);
        var edges = graph.Ends;
        int count = Crossings(edges, x, y);
        var flagged = new bool[edges.Length];
        var involved = new List<int>();
        for (int pass = 0; pass < SwapPasses && count > 0; pass++)
        {
            bool improved = false;
            for (int b = 0; b < frame.BandCount; b++)
            {
                var slots = assignment[b];
                var byX = frame.SlotsByX[b];
                for (int i = 0; i + 1 < byX.Length; i++)
                {
                    int p = slots[byX[i]];
                    int q = slots[byX[i + 1]];
                    if (graph.Incident[p].Count + graph.Incident[q].Count == 0)
                    {
                        continue;
                    }

                    involved.Clear();
                    foreach (int e in graph.Incident[p].Concat(graph.Incident[q]))
                    {
                        if (!flagged[e])
                        {
                            flagged[e] = true;
                            involved.Add(e);
                        }
                    }

                    int before = CrossingsOf(involved, flagged, edges, x, y);
                    Swap(p, q);
                    int after = CrossingsOf(involved, flagged, edges, x, y);
                    if (after < before)
                    {
                        (slots[byX[i]], slots[byX[i + 1]]) = (q, p);
                        count += after - before;
                        improved = true;
                    }
                    else
                    {
                        Swap(p, q);
                    }

                    foreach (int e in involved)
                    {
                        flagged[e] = false;
                    }
                }
            }

            if (!improved)
            {
                break;
            }
        }

        return count;

        void Swap(int p, int q)
        {
            (x[p], x[q]) = (x[q], x[p]);
            (y[p], y[q]) = (y[q], y[p]);
        }
    }

    private static MapLayout Build(StrategyMapInput input, Graph graph, Frame frame, int[][] assignment)
    {
        var (rect, rowOf, rows) = Place(graph, frame, assignment);
        var placed = new List<PlacedObjective>(graph.Nodes.Length);
        var bands = new List<PlacedBand>(frame.BandCount);
        for (int b = 0; b < frame.BandCount; b++)
        {
            var band = input.Bands[b];
            bands.Add(new PlacedBand(band, frame.BandBounds[b], SvgText.Wrap(band.Name, LabelWidth - 24, BandNameFontSize, 4, bold: true)));
        }

        // Objectives in band order, then left to right, top to bottom: the reading order of the drawing.
        for (int b = 0; b < frame.BandCount; b++)
        {
            foreach (int s in frame.SlotsInReadingOrder[b])
            {
                int node = assignment[b][s];
                var objective = graph.Nodes[node];
                placed.Add(new PlacedObjective(
                    objective,
                    b,
                    frame.SlotRow[b][s],
                    rect[node],
                    SvgText.Wrap(objective.Name, NodeWidth - (2 * NameInset), NameFontSize, MaxNameLines)));
            }
        }

        var edges = new Router(graph, frame, rect, rowOf, rows).Route();
        double legendTop = (frame.BandCount == 0 ? Padding + TitleHeight + EmptyHeight : frame.BandBounds[^1].Bottom) + 10;
        var legend = new MapRect(Padding, legendTop, frame.Width - (2 * Padding), LegendHeightOf(input));
        return new MapLayout(input.Title ?? string.Empty, frame.Width, legend.Bottom + Padding, bands, placed, edges, legend);
    }

    private static double LegendHeightOf(StrategyMapInput input) => LegendHeight + (input.HasStrengths ? LegendStrengthHeight : 0);

    /// <summary>Each objective's rectangle and row, and the rows with their objectives from left to right.</summary>
    private static (MapRect[] Rect, int[] RowOf, List<Row> Rows) Place(Graph graph, Frame frame, int[][] assignment)
    {
        int n = graph.Nodes.Length;
        var rect = new MapRect[n];
        var rowOf = new int[n];
        var rows = new List<Row>();
        for (int b = 0; b < frame.BandCount; b++)
        {
            int firstRow = rows.Count;
            for (int r = 0; r < frame.RowCount[b]; r++)
            {
                double top = frame.BandBounds[b].Y + BandPadTop + (r * (NodeHeight + RowGap));
                rows.Add(new Row(top, top + NodeHeight, []));
            }

            for (int s = 0; s < assignment[b].Length; s++)
            {
                int node = assignment[b][s];
                rect[node] = frame.Slots[b][s];
                rowOf[node] = firstRow + frame.SlotRow[b][s];
                rows[rowOf[node]].Nodes.Add(node);
            }
        }

        foreach (var row in rows)
        {
            row.Nodes.Sort((p, q) => rect[p].X.CompareTo(rect[q].X));
        }

        return (rect, rowOf, rows);
    }

    private readonly record struct Edge(MapEdgeKind Kind, int From, int To, string? Note, double? Strength);

    private sealed record Row(double Top, double Bottom, List<int> Nodes);

    /// <summary>The objectives (numbered in input order) and the links and tensions between them.</summary>
    private sealed class Graph
    {
        public Graph(StrategyMapInput input)
        {
            ArgumentNullException.ThrowIfNull(input.Bands);
            var nodes = new List<MapObjective>();
            var band = new List<int>();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int b = 0; b < input.Bands.Count; b++)
            {
                foreach (var objective in input.Bands[b].Objectives)
                {
                    if (!index.TryAdd(objective.Id, nodes.Count))
                    {
                        throw new ArgumentException($"Objective id '{objective.Id}' appears twice on the strategy map; ids must be unique.", nameof(input));
                    }

                    nodes.Add(objective);
                    band.Add(b);
                }
            }

            Nodes = [.. nodes];
            Band = [.. band];
            Neighbours = [.. Nodes.Select(_ => new List<int>())];
            Incident = [.. Nodes.Select(_ => new List<int>())];

            // Links and tensions whose ends are not on the map, or are one objective, are left out; so are repeats.
            var seen = new HashSet<(MapEdgeKind, int, int)>();
            foreach (var link in input.Links ?? [])
            {
                if (index.TryGetValue(link.From, out int from) && index.TryGetValue(link.To, out int to) && from != to
                    && seen.Add((MapEdgeKind.Link, from, to)))
                {
                    Add(new Edge(MapEdgeKind.Link, from, to, link.Note, link.Strength));
                }
            }

            foreach (var tension in input.Tensions ?? [])
            {
                if (index.TryGetValue(tension.First, out int first) && index.TryGetValue(tension.Second, out int second) && first != second
                    && seen.Add((MapEdgeKind.Tension, Math.Min(first, second), Math.Max(first, second))))
                {
                    Add(new Edge(MapEdgeKind.Tension, first, second, tension.Note, null));
                }
            }

            Ends = [.. Edges.Select(e => (e.From, e.To))];
        }

        public MapObjective[] Nodes { get; }

        public int[] Band { get; }

        public List<int>[] Neighbours { get; }

        /// <summary>The edges (indexes into <see cref="Edges"/>) at each objective.</summary>
        public List<int>[] Incident { get; }

        public List<Edge> Edges { get; } = [];

        public (int From, int To)[] Ends { get; }

        /// <summary>What the order of objectives depends on: bands' sizes and the edges between objectives (numbered in input order).</summary>
        public string Shape(Frame frame) =>
            string.Join(',', frame.Slots.Select(s => s.Length)) + ';' + string.Join(',', Edges.Select(e => $"{(int)e.Kind}:{e.From}-{e.To}"));

        private void Add(Edge edge)
        {
            Incident[edge.From].Add(Edges.Count);
            Incident[edge.To].Add(Edges.Count);
            Edges.Add(edge);
            Neighbours[edge.From].Add(edge.To);
            Neighbours[edge.To].Add(edge.From);
        }
    }

    /// <summary>The geometry that does not depend on order: bands, rows and node slots.</summary>
    private sealed class Frame
    {
        public Frame(StrategyMapInput input)
        {
            BandCount = input.Bands.Count;
            RowCount = new int[BandCount];
            var perRow = new int[BandCount];
            int columns = MinColumns;
            for (int b = 0; b < BandCount; b++)
            {
                int n = input.Bands[b].Objectives.Count;
                RowCount[b] = Math.Max(1, (n + MaxPerRow - 1) / MaxPerRow);
                perRow[b] = (n + RowCount[b] - 1) / RowCount[b];
                columns = Math.Max(columns, perRow[b]);
            }

            double contentLeft = Padding + LabelWidth + SideGap;
            double gap = ColumnGap;
            if (input.Aspect is double aspect && BandCount > 0 && columns > 1)
            {
                // Wider gaps between the columns until the map has the shape asked for: as tall as before, wider.
                double height = Padding + TitleHeight + ((BandCount - 1) * BandGap) + 10 + LegendHeightOf(input) + Padding
                    + Enumerable.Range(0, BandCount).Sum(b => BandPadTop + (RowCount[b] * NodeHeight) + ((RowCount[b] - 1) * RowGap) + BandPadBottom);
                double wanted = (aspect * height) - contentLeft - SideGap - Padding;
                gap = Math.Clamp((wanted - (columns * NodeWidth)) / (columns - 1), ColumnGap, 4 * NodeWidth);
            }

            double contentWidth = (columns * NodeWidth) + ((columns - 1) * gap);
            Width = contentLeft + contentWidth + SideGap + Padding;

            BandBounds = new MapRect[BandCount];
            Slots = new MapRect[BandCount][];
            SlotRow = new int[BandCount][];
            SlotsByX = new int[BandCount][];
            SlotsInReadingOrder = new int[BandCount][];
            double y = Padding + TitleHeight;
            for (int b = 0; b < BandCount; b++)
            {
                int n = input.Bands[b].Objectives.Count;
                double height = BandPadTop + (RowCount[b] * NodeHeight) + ((RowCount[b] - 1) * RowGap) + BandPadBottom;
                BandBounds[b] = new MapRect(Padding, y, Width - (2 * Padding), height);
                Slots[b] = new MapRect[n];
                SlotRow[b] = new int[n];
                for (int s = 0; s < n; s++)
                {
                    int row = s / perRow[b];
                    int inRow = Math.Min(perRow[b], n - (row * perRow[b]));
                    double rowWidth = (inRow * NodeWidth) + ((inRow - 1) * gap);
                    double x = contentLeft + ((contentWidth - rowWidth) / 2) + ((s - (row * perRow[b])) * (NodeWidth + gap));
                    Slots[b][s] = new MapRect(x, y + BandPadTop + (row * (NodeHeight + RowGap)), NodeWidth, NodeHeight);
                    SlotRow[b][s] = row;
                }

                var slots = Slots[b];
                var rowsOf = SlotRow[b];
                SlotsByX[b] = [.. Enumerable.Range(0, n).OrderBy(s => slots[s].X).ThenBy(s => rowsOf[s])];
                SlotsInReadingOrder[b] = [.. Enumerable.Range(0, n).OrderBy(s => rowsOf[s]).ThenBy(s => slots[s].X)];
                y += height + BandGap;
            }
        }

        public int BandCount { get; }

        public double Width { get; }

        public int[] RowCount { get; }

        public MapRect[] BandBounds { get; }

        /// <summary>Node rectangles of each band, row by row (the input order fills them in this order).</summary>
        public MapRect[][] Slots { get; }

        public int[][] SlotRow { get; }

        /// <summary>Each band's slots from left to right (then top to bottom): where ordered objectives go.</summary>
        public int[][] SlotsByX { get; }

        public int[][] SlotsInReadingOrder { get; }

        /// <summary>Objectives (numbered in input order) in their input slots.</summary>
        public int[][] InputOrder()
        {
            var assignment = new int[BandCount][];
            int node = 0;
            for (int b = 0; b < BandCount; b++)
            {
                assignment[b] = new int[Slots[b].Length];
                for (int s = 0; s < assignment[b].Length; s++)
                {
                    assignment[b][s] = node++;
                }
            }

            return assignment;
        }

        public (double[] X, double[] Y) Centres(int[][] assignment)
        {
            int n = assignment.Sum(a => a.Length);
            var x = new double[n];
            var y = new double[n];
            for (int b = 0; b < BandCount; b++)
            {
                for (int s = 0; s < assignment[b].Length; s++)
                {
                    (x[assignment[b][s]], y[assignment[b][s]]) = Slots[b][s].Centre;
                }
            }

            return (x, y);
        }

        public int Crossings(Graph graph, int[][] assignment)
        {
            var (x, y) = Centres(assignment);
            return StrategyMapLayout.Crossings(graph.Ends, x, y);
        }
    }

    /// <summary>Routes every edge between node borders, through the gaps of the rows it passes.</summary>
    private sealed class Router(Graph graph, Frame frame, MapRect[] rect, int[] rowOf, List<Row> rows)
    {
        private const int Top = 0;
        private const int Bottom = 1;
        private const int Beside = 2;

        // Gaps (row, gap index) holding a straight link between the objectives either side of them.
        private readonly Dictionary<(int Row, int Gap), List<int>> _besides = [];

        public List<RoutedEdge> Route()
        {
            int count = graph.Edges.Count;
            var waypoints = new List<Lane>[count];
            var lanes = new Dictionary<(int Row, int Gap), List<Lane>>();
            var ports = new Dictionary<(int Node, int Side), List<(double OtherX, int Edge, int End)>>();
            var sides = new (int Start, int End)[count];

            // Neighbours in a row are joined straight across the gap between them (no arc to cross other links).
            for (int k = 0; k < count; k++)
            {
                var edge = graph.Edges[k];
                // Tensions keep their arc under the row, where their mark has room.
                if (edge.Kind == MapEdgeKind.Link && rowOf[edge.From] == rowOf[edge.To])
                {
                    var nodes = rows[rowOf[edge.From]].Nodes;
                    int p = nodes.IndexOf(edge.From), q = nodes.IndexOf(edge.To);
                    if (Math.Abs(p - q) == 1)
                    {
                        sides[k] = (Beside, Beside);
                        var key = (rowOf[edge.From], Math.Max(p, q));
                        if (!_besides.TryGetValue(key, out var list))
                        {
                            _besides[key] = list = [];
                        }

                        list.Add(k);
                    }
                }
            }

            for (int k = 0; k < count; k++)
            {
                var edge = graph.Edges[k];
                int u = edge.From;
                int v = edge.To;
                waypoints[k] = [];
                if (sides[k].Start == Beside)
                {
                    continue;
                }

                if (rowOf[u] == rowOf[v])
                {
                    // Same row: an arc, over the nodes for a link and under them for a tension.
                    int side = edge.Kind == MapEdgeKind.Link ? Top : Bottom;
                    sides[k] = (side, side);
                    continue;
                }

                bool downwards = rowOf[u] < rowOf[v];
                sides[k] = downwards ? (Bottom, Top) : (Top, Bottom);
                var a = rect[u].Centre;
                var b = rect[v].Centre;
                int step = downwards ? 1 : -1;
                for (int r = rowOf[u] + step; r != rowOf[v]; r += step)
                {
                    var row = rows[r];
                    double mid = (row.Top + row.Bottom) / 2;
                    double wanted = a.X + ((b.X - a.X) * (mid - a.Y) / (b.Y - a.Y));
                    var (gap, x) = NearestGap(r, row, wanted);
                    var lane = new Lane(k, r, wanted, x);
                    waypoints[k].Add(lane);
                    if (!lanes.TryGetValue((r, gap), out var list))
                    {
                        lanes[(r, gap)] = list = [];
                    }

                    list.Add(lane);
                }
            }

            // Edges through one gap run side by side, in the order they want to be in.
            foreach (var ((r, gap), list) in lanes.OrderBy(l => l.Key.Row).ThenBy(l => l.Key.Gap))
            {
                var (lo, hi) = GapBounds(rows[r], gap);
                list.Sort((p, q) => p.Wanted != q.Wanted ? p.Wanted.CompareTo(q.Wanted) : p.Edge.CompareTo(q.Edge));
                for (int i = 1; i < list.Count; i++)
                {
                    list[i].X = Math.Max(list[i].X, list[i - 1].X + LaneSpacing);
                }

                double overflow = list[^1].X - (hi - LaneMargin);
                if (overflow > 0)
                {
                    foreach (var lane in list)
                    {
                        lane.X -= overflow;
                    }
                }

                foreach (var lane in list)
                {
                    lane.X = Math.Max(lane.X, lo + LaneMargin);
                }
            }

            for (int k = 0; k < count; k++)
            {
                var edge = graph.Edges[k];
                if (sides[k].Start == Beside)
                {
                    continue;
                }

                double towardsEnd = waypoints[k].Count > 0 ? waypoints[k][0].X : rect[edge.To].Centre.X;
                double towardsStart = waypoints[k].Count > 0 ? waypoints[k][^1].X : rect[edge.From].Centre.X;
                AddPort(ports, edge.From, sides[k].Start, towardsEnd, k, 0);
                AddPort(ports, edge.To, sides[k].End, towardsStart, k, 1);
            }

            var at = new Dictionary<(int Edge, int End), MapPoint>();
            foreach (var ((node, side), list) in ports)
            {
                list.Sort((p, q) => p.OtherX != q.OtherX ? p.OtherX.CompareTo(q.OtherX) : p.Edge != q.Edge ? p.Edge.CompareTo(q.Edge) : p.End.CompareTo(q.End));
                var r = rect[node];
                for (int i = 0; i < list.Count; i++)
                {
                    double x = r.X + PortMargin + ((r.Width - (2 * PortMargin)) * (i + 1) / (list.Count + 1));
                    at[(list[i].Edge, list[i].End)] = new MapPoint(x, side == Top ? r.Y : r.Bottom);
                }
            }

            var routed = new List<RoutedEdge>(count);
            for (int k = 0; k < count; k++)
            {
                var edge = graph.Edges[k];
                if (sides[k].Start == Beside)
                {
                    routed.Add(Across(edge, k));
                    continue;
                }

                var start = at[(k, 0)];
                var end = at[(k, 1)];
                var path = new List<MapPoint> { start };
                MapPoint label;
                if (rowOf[edge.From] == rowOf[edge.To])
                {
                    int span = Math.Abs(rows[rowOf[edge.From]].Nodes.IndexOf(edge.From) - rows[rowOf[edge.To]].Nodes.IndexOf(edge.To));
                    double lift = (28 + (6 * Math.Min(span - 1, 2))) * (sides[k].Start == Top ? -1 : 1);
                    path.Add(start with { Y = start.Y + lift });
                    path.Add(end with { Y = end.Y + lift });
                    path.Add(end);
                    label = PointAt(path, 0, 0.5);
                }
                else
                {
                    var curves = new List<int>();
                    var previous = start;
                    foreach (var lane in waypoints[k])
                    {
                        var row = rows[lane.Row];
                        bool downwards = previous.Y < row.Top;
                        var entry = new MapPoint(lane.X, downwards ? row.Top : row.Bottom);
                        var exit = new MapPoint(lane.X, downwards ? row.Bottom : row.Top);
                        curves.Add(path.Count - 1);
                        Curve(path, previous, entry);
                        Line(path, entry, exit);
                        previous = exit;
                    }

                    curves.Add(path.Count - 1);
                    Curve(path, previous, end);
                    label = PointAt(path, curves[curves.Count / 2], 0.5);
                }

                routed.Add(new RoutedEdge(
                    edge.Kind,
                    graph.Nodes[edge.From].Id,
                    graph.Nodes[edge.To].Id,
                    edge.Note,
                    edge.Strength,
                    path,
                    label));
            }

            return routed;
        }

        /// <summary>A link between neighbours in a row: straight across the gap, side by side with any other there.</summary>
        private RoutedEdge Across(Edge edge, int k)
        {
            var (u, v) = (rect[edge.From], rect[edge.To]);
            var nodes = rows[rowOf[edge.From]].Nodes;
            var inGap = _besides[(rowOf[edge.From], Math.Max(nodes.IndexOf(edge.From), nodes.IndexOf(edge.To)))];
            double y = u.Centre.Y + ((inGap.IndexOf(k) - ((inGap.Count - 1) / 2.0)) * SideLinkSpacing);
            var start = new MapPoint(u.X < v.X ? u.Right : u.X, y);
            var end = new MapPoint(u.X < v.X ? v.X : v.Right, y);
            var path = new List<MapPoint> { start };
            Line(path, start, end);
            return new RoutedEdge(edge.Kind, graph.Nodes[edge.From].Id, graph.Nodes[edge.To].Id, edge.Note, edge.Strength, path, new MapPoint((start.X + end.X) / 2, y));
        }

        private static void AddPort(Dictionary<(int, int), List<(double, int, int)>> ports, int node, int side, double otherX, int edge, int end)
        {
            if (!ports.TryGetValue((node, side), out var list))
            {
                ports[(node, side)] = list = [];
            }

            list.Add((otherX, edge, end));
        }

        // A vertical S-curve: leaves and arrives vertically, so it never cuts into the rows at either end.
        private static void Curve(List<MapPoint> path, MapPoint start, MapPoint end)
        {
            double half = (end.Y - start.Y) / 2;
            path.Add(start with { Y = start.Y + half });
            path.Add(end with { Y = end.Y - half });
            path.Add(end);
        }

        private static void Line(List<MapPoint> path, MapPoint start, MapPoint end)
        {
            path.Add(new MapPoint(start.X + ((end.X - start.X) / 3), start.Y + ((end.Y - start.Y) / 3)));
            path.Add(new MapPoint(start.X + (2 * (end.X - start.X) / 3), start.Y + (2 * (end.Y - start.Y) / 3)));
            path.Add(end);
        }

        private static MapPoint PointAt(List<MapPoint> path, int first, double t)
        {
            var (p0, p1, p2, p3) = (path[first], path[first + 1], path[first + 2], path[first + 3]);
            double u = 1 - t;
            double a = u * u * u;
            double b = 3 * u * u * t;
            double c = 3 * u * t * t;
            double d = t * t * t;
            return new MapPoint((a * p0.X) + (b * p1.X) + (c * p2.X) + (d * p3.X), (a * p0.Y) + (b * p1.Y) + (c * p2.Y) + (d * p3.Y));
        }

        /// <summary>Gap g of a row lies left of its g-th node (g = node count: right of the last).</summary>
        private (double Lo, double Hi) GapBounds(Row row, int gap)
        {
            double left = Padding + LabelWidth;
            double right = frame.Width - Padding;
            double lo = gap == 0 ? left : rect[row.Nodes[gap - 1]].Right;
            double hi = gap == row.Nodes.Count ? right : rect[row.Nodes[gap]].X;
            return (lo, hi);
        }

        /// <remarks>A gap holding a straight link between its neighbours is taken only when no other gap is within a column.</remarks>
        private (int Gap, double X) NearestGap(int r, Row row, double wanted)
        {
            int bestGap = 0;
            double bestX = 0;
            double bestDistance = double.PositiveInfinity;
            for (int g = 0; g <= row.Nodes.Count; g++)
            {
                var (lo, hi) = GapBounds(row, g);
                if (hi - lo < 2 * LaneMargin)
                {
                    continue;
                }

                // Keep clear of the nodes beside the gap; a narrow gap is passed in its middle.
                double clearance = Math.Min(LaneClearance, (hi - lo) / 2);
                double x = Math.Clamp(wanted, lo + clearance, hi - clearance);
                double distance = Math.Abs(x - wanted) + (_besides.ContainsKey((r, g)) ? NodeWidth + ColumnGap : 0);
                if (distance < bestDistance)
                {
                    (bestGap, bestX, bestDistance) = (g, x, distance);
                }
            }

            return (bestGap, bestX);
        }

        private sealed class Lane(int edge, int row, double wanted, double x)
        {
            public int Edge { get; } = edge;

            public int Row { get; } = row;

            public double Wanted { get; } = wanted;

            public double X { get; set; } = x;
        }
    }
}
