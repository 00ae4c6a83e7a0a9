using CsCheck;
using OpenBsc.Application.Features.StrategyMaps;

namespace OpenBsc.IntegrationTests.StrategyMaps;

/// <summary>Strategy map inputs for the tests: a 16-objective sample and generated maps.</summary>
internal static class MapSamples
{
    private static readonly string[] Statuses = ["Green", "Yellow", "Red", "Gray"];

    public static MapObjective Objective(string id, string? name = null, double? score = 0.5, string? status = "Green") =>
        new(id, name ?? id, score, status, "/objectives/" + id);

    public static MapBand Band(string id, params string[] objectives) =>
        new(id, id, [.. objectives.Select(o => Objective(o))]);

    public static StrategyMapInput Map(IReadOnlyList<MapBand> bands, params (string From, string To)[] links) =>
        new("Map", bands, [.. links.Select(l => new MapLink(l.From, l.To))], []);

    /// <summary>Four perspectives, 16 objectives, 19 links, 2 tensions: a company map with every status.</summary>
    public static StrategyMapInput Company()
    {
        MapObjective O(string id, string name, double? score, string status) => new(id, name, score, status, "/objectives/" + id);
        var bands = new List<MapBand>
        {
            new("financial", "Financial", [O("f1", "Grow revenue from existing customers", 0.82, "Green"), O("f2", "Lower the cost to serve", 0.64, "Yellow"), O("f3", "Improve return on capital employed & cash flow", 0.41, "Red")]),
            new("customer", "Customer", [O("c1", "Keep customers loyal", 0.91, "Green"), O("c2", "Be the easiest supplier to deal with", 0.7, "Yellow"), O("c3", "Win new customers in <target> segments", null, "Gray"), O("c4", "Partners (dealers & distributors) recommend us", 0.55, "Red")]),
            new("process", "Internal Process", [O("i1", "Resolve issues at first contact", 0.88, "Green"), O("i2", "Shorten order-to-delivery time", 0.62, "Yellow"), O("i3", "Automate routine work", 0.95, "Green"), O("i4", "Launch products customers ask for", 0.3, "Red"), O("i5", "Manage supplier quality", 0.77, "Yellow")]),
            new("learning", "Learning & Growth", [O("l1", "Skilled and motivated staff", 0.85, "Green"), O("l2", "Knowledge base everyone uses", null, "Gray"), O("l3", "Modern customer data platform with a very long descriptive name that will need truncation because it goes on", 0.58, "Yellow"), O("l4", "Culture of continuous improvement", 0.72, "Yellow")]),
        };
        var links = new List<MapLink>
        {
            new("c1", "f1"), new("c3", "f1"), new("c2", "f1"), new("i3", "f2"), new("i1", "f2"), new("c4", "f3"),
            new("i1", "c1"), new("i1", "c2"), new("i2", "c2"), new("i4", "c3"), new("i5", "i2"), new("i2", "c4"),
            new("l1", "i1"), new("l2", "i1"), new("l3", "i3"), new("l3", "i4"), new("l4", "i5"), new("l1", "l4"), new("l3", "c2", "data makes us easy to deal with"),
        };
        var tensions = new List<MapTension> { new("f2", "c2", "cost to serve vs ease"), new("i3", "l1", "automation vs staff") };
        return new StrategyMapInput("Northwind Support — Strategy Map 2026", bands, links, tensions);
    }

    /// <summary>Maps of 1..60 objectives over 2..6 bands, with random links and tensions (some dangling or self).</summary>
    public static readonly Gen<StrategyMapInput> Generated =
        from bandCount in Gen.Int[2, 6]
        from count in Gen.Int[1, 60]
        from bandOf in Gen.Int[0, bandCount - 1].Array[count]
        from nameLength in Gen.Int[0, 90].Array[count]
        from status in Gen.Int[0, 4].Array[count]
        from links in Gen.Select(Gen.Int[0, count], Gen.Int[0, count - 1]).Array[0, 2 * count]
        from tensions in Gen.Select(Gen.Int[0, count - 1], Gen.Int[0, count - 1]).Array[0, 4]
        select Build(bandCount, bandOf, nameLength, status, links, tensions);

    private static StrategyMapInput Build(int bandCount, int[] bandOf, int[] nameLength, int[] status, (int, int)[] links, (int, int)[] tensions)
    {
        var bands = new List<MapBand>();
        for (int b = 0; b < bandCount; b++)
        {
            var objectives = Enumerable.Range(0, bandOf.Length)
                .Where(i => bandOf[i] == b)
                .Select(i => new MapObjective(
                    "o" + i,
                    string.Join(' ', Enumerable.Repeat("word", nameLength[i] / 5)) + new string('x', nameLength[i] % 5),
                    status[i] == 3 ? null : status[i] * 0.3,
                    status[i] < 4 ? Statuses[status[i]] : null,
                    "/o/" + i))
                .ToList();
            bands.Add(new MapBand("p" + b, "Perspective " + b, objectives));
        }

        // Index count (one past the last objective) names an objective that is not on the map.
        return new StrategyMapInput(
            "Generated",
            bands,
            [.. links.Select(l => new MapLink("o" + l.Item1, "o" + l.Item2))],
            [.. tensions.Select(t => new MapTension("o" + t.Item1, "o" + t.Item2, "t"))]);
    }
}
