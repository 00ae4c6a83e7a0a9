using System.Globalization;
using System.Xml.Linq;
using OpenBsc.Application.Features.Charts;
using OpenBsc.Application.Features.Initiatives;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.IntegrationTests.Charts;

public sealed class InitiativeTimelineSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static Scorecard Card(DateOnly start, DateOnly end) => new()
    {
        Id = "card",
        Name = "Card",
        Initiatives =
        [
            new Initiative
            {
                Id = "portal",
                Name = "Dealer portal <beta> & co",
                Start = start,
                End = end,
                Complete = 0.5,
                Milestones = [new InitiativeMilestone("Pilot", start.AddMonths(2), true), new InitiativeMilestone("Launch", start.AddMonths(4))],
            },
            new Initiative { Id = "undated", Name = "Undated" },
        ],
    };

    private static XDocument Render(Scorecard card, DateOnly at) => XDocument.Parse(InitiativeTimelineSvg.Render(InitiativePlan.Of(card, at).Initiatives, at));

    [Fact]
    public void Render_Initiatives_IsAnAccessibleSvgWithABarMilestonesAndTheDateLine()
    {
        var doc = Render(Card(new DateOnly(2026, 1, 1), new DateOnly(2026, 6, 30)), new DateOnly(2026, 5, 31));

        Assert.Equal("img", (string?)doc.Root!.Attribute("role"));
        var groups = doc.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "initiative").ToList();
        Assert.Equal(["portal", "undated"], groups.Select(g => (string?)g.Attribute("data-id")));
        Assert.Contains("Dealer portal <beta> & co", groups[0].Descendants(Svg + "text").First().Value, StringComparison.Ordinal);
        Assert.Contains("Behind", groups[0].Descendants(Svg + "text").Select(t => t.Value));
        Assert.Equal(["milestone done", "milestone overdue"], groups[0].Elements(Svg + "polygon").Select(p => (string?)p.Attribute("class")));
        Assert.Equal("Launch: due 2026-05-01 — overdue", groups[0].Elements(Svg + "polygon").Last().Element(Svg + "title")!.Value);
        Assert.Contains("no start and end dates", groups[1].Descendants(Svg + "text").Select(t => t.Value));
        Assert.Single(doc.Descendants(Svg + "line"), l => (string?)l.Attribute("class") == "at");
        Assert.Contains("2026-05-31", doc.Descendants(Svg + "text").Select(t => t.Value));
    }

    [Theory]
    [InlineData("2026-01-01", "2026-03-31")]
    [InlineData("2025-04-01", "2026-06-30")]
    [InlineData("2022-01-01", "2027-12-31")]
    public void Render_AnySpan_MonthLabelsDoNotOverlap(string start, string end)
    {
        var doc = Render(Card(DateOnly.Parse(start, CultureInfo.InvariantCulture), DateOnly.Parse(end, CultureInfo.InvariantCulture)), DateOnly.Parse(end, CultureInfo.InvariantCulture));

        var labels = doc.Root!.Elements(Svg + "text").Where(t => (string?)t.Attribute("fill") == "#546e7a").ToList();
        var xs = labels.Select(t => double.Parse((string)t.Attribute("x")!, CultureInfo.InvariantCulture)).ToList();

        Assert.NotEmpty(labels);
        Assert.All(xs.Zip(xs.Skip(1)), pair => Assert.True(pair.Second - pair.First >= 55, $"labels at {pair.First} and {pair.Second} overlap"));
        Assert.Matches(@"^[A-Z][a-z]{2} \d{4}$", labels[0].Value);
    }
}
