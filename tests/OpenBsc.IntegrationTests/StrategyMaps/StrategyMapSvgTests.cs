using System.Xml.Linq;
using CsCheck;
using OpenBsc.Application.Features.StrategyMaps;
using static OpenBsc.IntegrationTests.StrategyMaps.MapSamples;

namespace OpenBsc.IntegrationTests.StrategyMaps;

public sealed class StrategyMapSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Render_CompanyMap_IsAStandaloneAccessibleSvgDocument()
    {
        var doc = XDocument.Parse(Render(Company()));

        var root = doc.Root!;
        Assert.Equal(Svg + "svg", root.Name);
        // graphics-document (not img): an img role would hide the objective links from screen readers.
        Assert.Equal("graphics-document", (string?)root.Attribute("role"));
        Assert.StartsWith("0 0 ", (string?)root.Attribute("viewBox"), StringComparison.Ordinal);
        string label = (string)root.Attribute("aria-label")!;
        Assert.Contains("16 objectives in 4 perspectives", label, StringComparison.Ordinal);
        Assert.Contains("5 Green", label, StringComparison.Ordinal);
        Assert.Contains("19 cause-effect links, 2 tensions", label, StringComparison.Ordinal);
        Assert.Equal("Strategy map: Northwind Support — Strategy Map 2026", root.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Render_CompanyMap_EveryObjectiveIsALinkWithItsNameAndTitle()
    {
        var input = Company();
        var doc = XDocument.Parse(Render(input));

        var anchors = doc.Descendants(Svg + "a").ToList();
        var objectives = input.Bands.SelectMany(b => b.Objectives).ToList();
        Assert.Equal(objectives.Count, anchors.Count);
        foreach (var objective in objectives)
        {
            var anchor = Assert.Single(anchors, a => (string?)a.Attribute("data-id") == objective.Id);
            Assert.Equal(objective.Href, (string?)anchor.Attribute("href"));
            Assert.StartsWith(objective.Name + ".", anchor.Element(Svg + "title")!.Value, StringComparison.Ordinal);

            // The visible name is the wrapped lines (the last may end in …).
            string shown = string.Join(' ', anchor.Elements(Svg + "text").First().Elements(Svg + "tspan").Select(t => t.Value));
            Assert.StartsWith(shown.TrimEnd('…'), objective.Name, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0.82, "Green", "● 82%", "Status: Green. Score: 82%.")]
    [InlineData(0.645, "Yellow", "▲ 65%", "Status: Yellow. Score: 65%.")]
    [InlineData(0.41, "Red", "■ 41%", "Status: Red. Score: 41%.")]
    [InlineData(null, "Gray", "○ no data", "Status: Gray (no data).")]
    [InlineData(null, null, "○ no data", "Status: Gray (no data).")]
    [InlineData(1.1, "green", "● 110%", "Status: Green. Score: 110%.")]
    public void Render_Status_ShownByIconAndTextNotColourAlone(double? score, string? status, string shown, string title)
    {
        var input = new StrategyMapInput("Map", [new MapBand("p", "P", [new MapObjective("o", "Grow", score, status, "/o")])], [], []);

        var anchor = XDocument.Parse(Render(input)).Descendants(Svg + "a").Single();

        Assert.Equal(shown, anchor.Elements(Svg + "text").Single(t => (string?)t.Attribute("class") == "status").Value);
        Assert.Equal("Grow. " + title, anchor.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Render_Legend_NamesEveryStatusTheArrowAndTheTension()
    {
        var legend = XDocument.Parse(Render(Company())).Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "legend");

        Assert.Equal(["Legend", "● Green", "▲ Yellow", "■ Red", "○ No data", "cause → effect", "⚡ tension"], legend.Descendants(Svg + "text").Select(t => t.Value));
    }

    [Fact]
    public void Render_LinksAndTensions_DrawnDistinctly()
    {
        var input = Company();
        var doc = XDocument.Parse(Render(input));

        var links = Groups(doc, "link");
        var tensions = Groups(doc, "tension");
        Assert.Equal(input.Links.Count, links.Count);
        Assert.Equal(input.Tensions.Count, tensions.Count);
        Assert.All(links, g =>
        {
            var path = g.Element(Svg + "path")!;
            Assert.Null(path.Attribute("stroke-dasharray"));
            Assert.Null(path.Attribute("marker-start"));
            Assert.Contains("arrow", (string)path.Attribute("marker-end")!, StringComparison.Ordinal);
            Assert.StartsWith("Cause and effect: ", g.Element(Svg + "title")!.Value, StringComparison.Ordinal);
        });
        Assert.All(tensions, g =>
        {
            var path = g.Element(Svg + "path")!;
            Assert.NotNull(path.Attribute("stroke-dasharray"));
            Assert.NotNull(path.Attribute("marker-start"));
            Assert.NotEqual((string?)links[0].Element(Svg + "path")!.Attribute("stroke"), (string?)path.Attribute("stroke"));
            Assert.StartsWith("⚡ Tension between ", g.Element(Svg + "title")!.Value, StringComparison.Ordinal);
        });
        Assert.Equal(
            "⚡ Tension between Lower the cost to serve and Be the easiest supplier to deal with: cost to serve vs ease",
            tensions[0].Element(Svg + "title")!.Value);
        Assert.Equal(input.Tensions.Count, doc.Descendants(Svg + "g").Count(g => (string?)g.Attribute("class") == "tension-mark"));
    }

    [Fact]
    public void Render_LinkNote_InItsTitle()
    {
        var doc = XDocument.Parse(Render(Company()));

        var link = Groups(doc, "link").Single(g => (string?)g.Attribute("data-from") == "l3" && (string?)g.Attribute("data-to") == "c2");

        Assert.EndsWith("→ Be the easiest supplier to deal with: data makes us easy to deal with", link.Element(Svg + "title")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NamesWithMarkup_EscapedAndShownVerbatim()
    {
        const string name = "<b>Cut & \"trim\"</b> 'costs'";
        var input = new StrategyMapInput(
            "A <map> & \"more\"",
            [new MapBand("p&1", "Money & <more>", [new MapObjective("o\"1", name, 0.5, "Green", "/o?x=1&y=\"2\"")])],
            [],
            []);

        string svg = Render(input);
        var doc = XDocument.Parse(svg);

        Assert.DoesNotContain("<b>", svg, StringComparison.Ordinal);
        var anchor = doc.Descendants(Svg + "a").Single();
        Assert.Equal("/o?x=1&y=\"2\"", (string?)anchor.Attribute("href"));
        Assert.Equal("o\"1", (string?)anchor.Attribute("data-id"));
        Assert.StartsWith(name, anchor.Element(Svg + "title")!.Value, StringComparison.Ordinal);
        var band = doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "band");
        Assert.Equal("p&1", (string?)band.Attribute("data-id"));
        Assert.Equal("Money & <more>", string.Join(' ', band.Descendants(Svg + "tspan").Select(t => t.Value)));
        Assert.Equal("Strategy map: A <map> & \"more\"", doc.Root!.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Render_AnyNames_ParsesAsXml()
    {
        var text = Gen.Char.Array[0, 40].Select(c => new string(c));
        Gen.Select(text, text, text).Sample((title, band, name) =>
        {
            var input = new StrategyMapInput(title, [new MapBand(band, band, [new MapObjective(name, name, 0.5, name, name)])], [new MapLink(name, name)], []);

            XDocument.Parse(Render(input));
        });
    }

    [Fact]
    public void Render_GeneratedMaps_ParseAsXmlWithoutNaNOrInfinity()
    {
        Generated.Sample(
            input =>
            {
                string svg = Render(input);
                XDocument.Parse(svg);
                Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
                Assert.DoesNotContain("Infinity", svg, StringComparison.Ordinal);
            },
            iter: 50);
    }

    [Fact]
    public void Render_SameInput_SameBytes()
    {
        Assert.Equal(Render(Company()), Render(Company()));
    }

    [Fact]
    public void Render_NoPerspectives_SaysSo()
    {
        var doc = XDocument.Parse(Render(new StrategyMapInput("Empty", [], [], [])));

        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "No perspectives to show");
    }

    [Fact]
    public void Render_EmptyPerspective_SaysItHasNoObjectives()
    {
        var doc = XDocument.Parse(Render(Map([Band("empty"), Band("full", "a")])));

        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "No objectives");
    }

    [Fact]
    public void CorrelationLabels_OverlapNeitherEachOtherNorAnObjective()
    {
        // Every link of the sample map carries its data's correlation: the labels crowd where links meet.
        var company = Company();
        var input = company with { Links = [.. company.Links.Select((l, i) => l with { Strength = 0.5 + (i % 5 * 0.1) })] };
        var layout = StrategyMapLayout.Compute(input);
        var doc = XDocument.Parse(StrategyMapSvg.Render(layout));

        var boxes = doc.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "link-strength")
            .Select(t => (X: (double)t.Attribute("x")! - 2, Y: (double)t.Attribute("y")! - 10, W: 36.0, H: 11.0)).ToList();
        Assert.Equal(input.Links.Count, boxes.Count);
        static bool Overlap((double X, double Y, double W, double H) a, (double X, double Y, double W, double H) b) =>
            a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
        for (int i = 0; i < boxes.Count; i++)
        {
            for (int j = i + 1; j < boxes.Count; j++)
            {
                Assert.False(Overlap(boxes[i], boxes[j]), $"labels {i} and {j} overlap at ({boxes[i].X:0},{boxes[i].Y:0}) and ({boxes[j].X:0},{boxes[j].Y:0})");
            }

            Assert.DoesNotContain(layout.Objectives, o => Overlap(boxes[i], (o.Bounds.X, o.Bounds.Y, o.Bounds.Width, o.Bounds.Height)));
        }
    }

    [Fact]
    public void Legend_ExplainsTheCorrelationLabels_OnlyWhereLinksCarryThem_AndStaysInsideTheMap()
    {
        var company = Company();
        var strong = company with { Links = [.. company.Links.Select(l => l with { Strength = 0.88 })] };

        var with = XDocument.Parse(Render(strong));
        var without = XDocument.Parse(Render(company));

        var line = Assert.Single(Groups(with, "legend-strength"));
        Assert.Equal("r 0.88how closely the two objectives' scores have moved together over past periods (1 = in step, 0 = unrelated)", line.Value);
        Assert.Empty(Groups(without, "legend-strength"));
        // The map grows by the legend's second line, so that the line stays inside it.
        double height = (double)with.Root!.Attribute("height")!;
        Assert.All(line.Elements(Svg + "text"), t => Assert.True((double)t.Attribute("y")! < height - StrategyMapLayout.Padding, $"legend line at {t.Attribute("y")} of {height}"));
        Assert.True(height > (double)without.Root!.Attribute("height")!);
    }

    [Fact]
    public void Aspect_SpreadsTheColumnsOverAWiderMap_NoTaller_AndKeepsTheirOrder()
    {
        var company = Company();
        var narrow = StrategyMapLayout.Compute(company);

        double aspect = 1.3 * narrow.Width / narrow.Height;
        var wide = StrategyMapLayout.Compute(company with { Aspect = aspect });
        var already = StrategyMapLayout.Compute(company with { Aspect = 0.5 });

        Assert.Equal(narrow.Height, wide.Height);
        Assert.Equal(aspect, wide.Width / wide.Height, 2);
        Assert.Equal(narrow.Width, already.Width); // a map wider than asked stays as it is
        // The same objectives in the same bands and rows, from left to right in the same order.
        Assert.Equal(narrow.Objectives.Select(o => (o.Objective.Id, o.Band, o.Row)), wide.Objectives.Select(o => (o.Objective.Id, o.Band, o.Row)));
        Assert.All(wide.Objectives, o => Assert.Equal(StrategyMapLayout.NodeWidth, o.Bounds.Width));
    }

    private static string Render(StrategyMapInput input) => StrategyMapSvg.Render(StrategyMapLayout.Compute(input));

    private static List<XElement> Groups(XDocument doc, string kind) =>
        [.. doc.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == kind)];
}
