namespace OpenBsc.Application.Features.StrategyMaps;

/// <summary>A point in SVG user units (y grows downwards).</summary>
public readonly record struct MapPoint(double X, double Y);

/// <summary>An axis-aligned rectangle in SVG user units.</summary>
public readonly record struct MapRect(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Bottom => Y + Height;

    public MapPoint Centre => new(X + Width / 2, Y + Height / 2);

    /// <summary>Whether the interiors overlap; rectangles that only touch do not.</summary>
    public bool Intersects(MapRect other) => X < other.Right && other.X < Right && Y < other.Bottom && other.Y < Bottom;

    /// <summary>Whether <paramref name="other"/> lies wholly inside this rectangle (edges may touch).</summary>
    public bool Contains(MapRect other) => other.X >= X && other.Right <= Right && other.Y >= Y && other.Bottom <= Bottom;
}

/// <summary>A perspective's band: full width, with its name wrapped into the label column.</summary>
public sealed record PlacedBand(MapBand Band, MapRect Bounds, IReadOnlyList<string> NameLines);

/// <summary>An objective's node: <see cref="Band"/> indexes <see cref="MapLayout.Bands"/>, <see cref="Row"/> counts within the band.</summary>
public sealed record PlacedObjective(MapObjective Objective, int Band, int Row, MapRect Bounds, IReadOnlyList<string> NameLines);

public enum MapEdgeKind
{
    /// <summary>A cause-effect arrow, from cause to effect.</summary>
    Link,

    /// <summary>A tension: no direction, never drawn like a link.</summary>
    Tension,
}

/// <summary>
/// A routed link or tension. <see cref="Path"/> is a chain of cubic Bézier segments: the start point, then
/// three points (two controls and the end) per segment; it runs from the border of <see cref="From"/>'s node to
/// the border of <see cref="To"/>'s, passing other rows through the gaps between nodes. <see cref="LabelAt"/> is
/// where a label (the tension mark) may sit without covering a node.
/// </summary>
public sealed record RoutedEdge(
    MapEdgeKind Kind,
    string From,
    string To,
    string? Note,
    double? Strength,
    IReadOnlyList<MapPoint> Path,
    MapPoint LabelAt);

/// <summary>Where everything of a strategy map goes; <see cref="StrategyMapSvg.Render"/> draws it.</summary>
public sealed record MapLayout(
    string Title,
    double Width,
    double Height,
    IReadOnlyList<PlacedBand> Bands,
    IReadOnlyList<PlacedObjective> Objectives,
    IReadOnlyList<RoutedEdge> Edges,
    MapRect Legend);
