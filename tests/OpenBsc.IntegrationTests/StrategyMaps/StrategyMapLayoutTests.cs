using CsCheck;
using OpenBsc.Application.Features.StrategyMaps;
using static OpenBsc.IntegrationTests.StrategyMaps.MapSamples;

namespace OpenBsc.IntegrationTests.StrategyMaps;

public sealed class StrategyMapLayoutTests
{
    [Fact]
    public void Compute_GeneratedMaps_NodesNeverOverlapAndStayInsideTheirBand()
    {
        Generated.Sample(input =>
        {
            var layout = StrategyMapLayout.Compute(input);

            Assert.Equal(input.Bands.Sum(b => b.Objectives.Count), layout.Objectives.Count);
            for (int i = 0; i < layout.Objectives.Count; i++)
            {
                var node = layout.Objectives[i];
                Assert.True(layout.Bands[node.Band].Bounds.Contains(node.Bounds), $"{node.Objective.Id} leaves band {node.Band}");
                Assert.Contains(node.Objective, input.Bands[node.Band].Objectives);
                Assert.Equal((StrategyMapLayout.NodeWidth, StrategyMapLayout.NodeHeight), (node.Bounds.Width, node.Bounds.Height));
                for (int j = i + 1; j < layout.Objectives.Count; j++)
                {
                    Assert.False(node.Bounds.Intersects(layout.Objectives[j].Bounds), $"{node.Objective.Id} overlaps {layout.Objectives[j].Objective.Id}");
                }
            }

            for (int b = 1; b < layout.Bands.Count; b++)
            {
                Assert.True(layout.Bands[b - 1].Bounds.Bottom <= layout.Bands[b].Bounds.Y);
            }

            Assert.True(layout.Bands[^1].Bounds.Bottom <= layout.Legend.Y && layout.Legend.Bottom <= layout.Height);
            Assert.All(layout.Bands, b => Assert.True(b.Bounds.Right <= layout.Width));
        });
    }

    [Fact]
    public void Compute_GeneratedMaps_EdgesRunBorderToBorderAndNeverThroughANode()
    {
        Generated.Sample(input =>
        {
            var layout = StrategyMapLayout.Compute(input);
            var rects = layout.Objectives.ToDictionary(o => o.Objective.Id, o => o.Bounds);
            foreach (var edge in layout.Edges)
            {
                Assert.Equal(1, edge.Path.Count % 3);
                Assert.True(OnBorder(rects[edge.From], edge.Path[0]), $"{edge.From}→{edge.To} does not start on its border");
                Assert.True(OnBorder(rects[edge.To], edge.Path[^1]), $"{edge.From}→{edge.To} does not end on its border");
                for (int s = 0; s + 3 < edge.Path.Count; s += 3)
                {
                    // A Bézier segment lies within the box of its control points: only nodes meeting that box can be hit.
                    var controls = edge.Path.Skip(s).Take(4).ToList();
                    var box = new MapRect(controls.Min(p => p.X), controls.Min(p => p.Y), controls.Max(p => p.X) - controls.Min(p => p.X) + 1, controls.Max(p => p.Y) - controls.Min(p => p.Y) + 1);
                    var near = layout.Objectives.Where(o => o.Bounds.Intersects(box)).ToList();
                    foreach (var point in Sampled(controls))
                    {
                        foreach (var node in near)
                        {
                            var r = node.Bounds;
                            if (point.X > r.X + 1 && point.X < r.Right - 1 && point.Y > r.Y + 1 && point.Y < r.Bottom - 1)
                            {
                                Assert.Fail($"{edge.Kind} {edge.From}→{edge.To} passes through {node.Objective.Id} at {point}");
                            }
                        }
                    }
                }
            }
        });
    }

    [Fact]
    public void Compute_BandsListedCustomerFirst_CustomerBandOnTop()
    {
        var input = Map([Band("Customer", "c1", "c2"), Band("Financial", "f1"), Band("Internal", "i1"), Band("Learning", "l1")], ("f1", "c1"), ("i1", "f1"));

        var layout = StrategyMapLayout.Compute(input);

        Assert.Equal(["Customer", "Financial", "Internal", "Learning"], layout.Bands.Select(b => b.Band.Name));
        var tops = layout.Bands.Select(b => b.Bounds.Y).ToList();
        Assert.Equal(tops.Order(), tops);
        var byId = layout.Objectives.ToDictionary(o => o.Objective.Id);
        Assert.True(byId["c1"].Bounds.Bottom < byId["f1"].Bounds.Y);
        Assert.True(byId["f1"].Bounds.Bottom < byId["i1"].Bounds.Y);
    }

    [Theory]
    [InlineData(6, 1)]
    [InlineData(7, 2)]
    [InlineData(12, 2)]
    [InlineData(13, 3)]
    [InlineData(60, 10)]
    public void Compute_ManyObjectivesInABand_RowsOfAtMostSix(int count, int rows)
    {
        var input = Map([Band("p", [.. Enumerable.Range(0, count).Select(i => "o" + i)])]);

        var layout = StrategyMapLayout.Compute(input);

        var byRow = layout.Objectives.GroupBy(o => o.Row).ToList();
        Assert.Equal(rows, byRow.Count);
        Assert.All(byRow, row => Assert.InRange(row.Count(), 1, StrategyMapLayout.MaxPerRow));
        Assert.All(byRow, row => Assert.Single(row.Select(o => o.Bounds.Y).Distinct()));
    }

    [Fact]
    public void Compute_NoLinks_KeepsInputOrder()
    {
        var input = Map([Band("top", "a", "b", "c"), Band("bottom", "d", "e")]);

        var layout = StrategyMapLayout.Compute(input);

        Assert.Equal(["a", "b", "c", "d", "e"], layout.Objectives.Select(o => o.Objective.Id));
        Assert.True(X(layout, "a") < X(layout, "b") && X(layout, "b") < X(layout, "c"));
    }

    [Fact]
    public void Compute_CrossedLinks_ReorderingRemovesTheCrossing()
    {
        // a→d and b→c cross in input order; swapping c and d (or a and b) uncrosses them.
        var input = Map([Band("top", "a", "b"), Band("bottom", "c", "d")], ("d", "a"), ("c", "b"));

        int before = StrategyMapLayout.CountCrossings(StrategyMapLayout.Compute(input, reduceCrossings: false));
        int after = StrategyMapLayout.CountCrossings(StrategyMapLayout.Compute(input));

        Assert.Equal(1, before);
        Assert.Equal(0, after);
    }

    [Fact]
    public void Compute_ThreeBandsReversedChain_StrictlyFewerCrossings()
    {
        var input = Map(
            [Band("f", "f1", "f2", "f3"), Band("c", "c1", "c2", "c3"), Band("l", "l1", "l2", "l3")],
            ("c1", "f3"), ("c2", "f2"), ("c3", "f1"), ("l1", "c3"), ("l2", "c1"), ("l3", "c2"));

        int before = StrategyMapLayout.CountCrossings(StrategyMapLayout.Compute(input, reduceCrossings: false));
        int after = StrategyMapLayout.CountCrossings(StrategyMapLayout.Compute(input));

        Assert.True(after < before, $"{after} crossings after ordering, {before} before");
        Assert.Equal(0, after);
    }

    public static TheoryData<string, StrategyMapInput> CraftedMaps => new()
    {
        { "uncrossed", Map([Band("t", "a", "b"), Band("b", "c", "d")], ("c", "a"), ("d", "b")) },
        { "complete bipartite", Map([Band("t", "a", "b", "c"), Band("b", "d", "e", "f")], ("d", "a"), ("d", "b"), ("d", "c"), ("e", "a"), ("e", "b"), ("e", "c"), ("f", "a"), ("f", "b"), ("f", "c")) },
        { "skipping a band", Map([Band("t", "a", "b", "c"), Band("m", "d", "e", "f"), Band("b", "g", "h", "i")], ("g", "c"), ("i", "a"), ("h", "e"), ("d", "b"), ("f", "b")) },
        { "same band links", Map([Band("t", "a", "b", "c"), Band("b", "d", "e")], ("a", "c"), ("d", "e"), ("e", "a")) },
        { "multi-row band", Map([Band("t", "a", "b"), Band("b", "c", "d", "e", "f", "g", "h", "i", "j")], ("j", "a"), ("c", "b"), ("i", "a"), ("d", "b"), ("e", "a")) },
        { "company", Company() },
    };

    [Theory]
    [MemberData(nameof(CraftedMaps))]
    public void Compute_CraftedMaps_NoMoreCrossingsThanInputOrder(string name, StrategyMapInput input)
    {
        int before = StrategyMapLayout.CountCrossings(StrategyMapLayout.Compute(input, reduceCrossings: false));
        int after = StrategyMapLayout.CountCrossings(StrategyMapLayout.Compute(input));

        Assert.True(after <= before, $"{name}: {after} crossings after ordering, {before} before");
    }

    [Fact]
    public void Compute_GeneratedMaps_NoMoreCrossingsThanInputOrder()
    {
        Generated.Sample(
            input => StrategyMapLayout.CountCrossings(StrategyMapLayout.Compute(input))
                <= StrategyMapLayout.CountCrossings(StrategyMapLayout.Compute(input, reduceCrossings: false)),
            iter: 50);
    }

    [Fact]
    public void Compute_CompanyMap_FewerCrossingsThanInputOrder()
    {
        var input = Company();

        int before = StrategyMapLayout.CountCrossings(StrategyMapLayout.Compute(input, reduceCrossings: false));
        int after = StrategyMapLayout.CountCrossings(StrategyMapLayout.Compute(input));

        Assert.True(after < before, $"{after} crossings after ordering, {before} before");
    }

    [Fact]
    public void Compute_DanglingSelfAndRepeatedLinks_AreLeftOut()
    {
        var input = new StrategyMapInput(
            "Map",
            [Band("t", "a", "b"), Band("b", "c")],
            [new MapLink("c", "a"), new MapLink("c", "a", "again"), new MapLink("c", "nowhere"), new MapLink("b", "b")],
            [new MapTension("a", "b"), new MapTension("b", "a"), new MapTension("a", "missing")]);

        var layout = StrategyMapLayout.Compute(input);

        Assert.Equal([(MapEdgeKind.Link, "c", "a"), (MapEdgeKind.Tension, "a", "b")], layout.Edges.Select(e => (e.Kind, e.From, e.To)));
    }

    [Fact]
    public void Compute_RepeatedObjectiveId_Throws()
    {
        var input = Map([Band("t", "a"), Band("b", "a")]);

        var error = Assert.Throws<ArgumentException>(() => StrategyMapLayout.Compute(input));
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_LongName_WrappedToThreeLinesEndingWithEllipsis()
    {
        string name = string.Join(' ', Enumerable.Repeat("Strengthen", 20));
        var input = new StrategyMapInput("Map", [new MapBand("p", "P", [Objective("a", name)])], [], []);

        var lines = StrategyMapLayout.Compute(input).Objectives[0].NameLines;

        Assert.Equal(StrategyMapLayout.MaxNameLines, lines.Count);
        Assert.EndsWith("…", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines.Take(2), l => l.EndsWith('…'));
    }

    [Fact]
    public void Compute_LinkWithinARow_ArcsOverTheNodesAndTensionUnderThem()
    {
        var input = new StrategyMapInput(
            "Map",
            [Band("p", "a", "b", "c")],
            [new MapLink("a", "c")],
            [new MapTension("a", "c")]);

        var layout = StrategyMapLayout.Compute(input);

        double top = layout.Objectives[0].Bounds.Y;
        double bottom = layout.Objectives[0].Bounds.Bottom;
        var link = layout.Edges.Single(e => e.Kind == MapEdgeKind.Link);
        var tension = layout.Edges.Single(e => e.Kind == MapEdgeKind.Tension);
        Assert.All(link.Path, p => Assert.True(p.Y <= top));
        Assert.All(tension.Path, p => Assert.True(p.Y >= bottom));
        Assert.True(tension.LabelAt.Y > bottom);
    }

    [Fact]
    public void Compute_SameInput_SameLayout()
    {
        var first = StrategyMapLayout.Compute(Company());
        var second = StrategyMapLayout.Compute(Company());

        Assert.Equal(first.Objectives.Select(o => (o.Objective.Id, o.Bounds)), second.Objectives.Select(o => (o.Objective.Id, o.Bounds)));
        Assert.Equal(first.Edges.SelectMany(e => e.Path), second.Edges.SelectMany(e => e.Path));
    }

    [Fact]
    public void Compute_NoBands_EmptyMapWithLegend()
    {
        var layout = StrategyMapLayout.Compute(new StrategyMapInput("Empty", [], [], []));

        Assert.Empty(layout.Objectives);
        Assert.True(layout.Height > layout.Legend.Bottom - 1);
    }

    private static double X(MapLayout layout, string id) => layout.Objectives.Single(o => o.Objective.Id == id).Bounds.X;

    // Top or bottom; links between neighbours in a row run from side to side.
    private static bool OnBorder(MapRect r, MapPoint p) =>
        ((Near(p.Y, r.Y) || Near(p.Y, r.Bottom)) && p.X >= r.X && p.X <= r.Right)
        || ((Near(p.X, r.X) || Near(p.X, r.Right)) && p.Y >= r.Y && p.Y <= r.Bottom);

    private static bool Near(double a, double b) => Math.Abs(a - b) < 1e-9;

    private static IEnumerable<MapPoint> Sampled(List<MapPoint> c)
    {
        for (int k = 0; k <= 40; k++)
        {
            double t = k / 40.0;
            double u = 1 - t;
            yield return new MapPoint(
                (u * u * u * c[0].X) + (3 * u * u * t * c[1].X) + (3 * u * t * t * c[2].X) + (t * t * t * c[3].X),
                (u * u * u * c[0].Y) + (3 * u * u * t * c[1].Y) + (3 * u * t * t * c[2].Y) + (t * t * t * c[3].Y));
        }
    }
}
