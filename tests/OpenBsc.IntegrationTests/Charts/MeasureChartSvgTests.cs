using System.Globalization;
using System.Xml.Linq;
using CsCheck;
using OpenBsc.Application.Features.Charts;

namespace OpenBsc.IntegrationTests.Charts;

public sealed class MeasureChartSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Render_TwentyFourMonths_IsAnAccessibleSvgDocument()
    {
        var doc = XDocument.Parse(MeasureChartSvg.Render(Months(24)));

        var root = doc.Root!;
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("img", (string?)root.Attribute("role"));
        Assert.Equal("Cost per ticket: latest value 8.55 USD in 2026-12, against a target of 9 USD (status Green).", (string?)root.Attribute("aria-label"));
        Assert.Equal("Cost per ticket", root.Element(Svg + "title")!.Value);
        Assert.Single(Elements(doc, "path", "value-series"));
        Assert.NotEmpty(Elements(doc, "path", "target-series"));
        Assert.Equal("6 4", (string?)Elements(doc, "path", "target-series")[0].Attribute("stroke-dasharray"));
    }

    [Fact]
    public void Render_EveryValue_HasAPointWithATitle()
    {
        var doc = XDocument.Parse(MeasureChartSvg.Render(Months(24)));

        var titles = Elements(doc, "g", "point status-green").Concat(Elements(doc, "g", "point status-yellow")).Concat(Elements(doc, "g", "point status-red"))
            .Select(g => g.Element(Svg + "title")!.Value)
            .ToList();
        Assert.Equal(24, titles.Count);
        Assert.Contains("2025-01: 12 USD (target 10 USD), Red", titles);
        Assert.Contains("2026-12: 8.55 USD (target 9 USD), Green", titles);
    }

    [Fact]
    public void Render_GapInValues_SeparatePathsNotJoinedAcrossIt()
    {
        var input = new MeasureChartInput("Gap", null,
        [
            new("1", 1, null), new("2", 2, null), new("3", null, null), new("4", 4, null), new("5", 5, null), new("6", 6, null),
        ]);

        var doc = XDocument.Parse(MeasureChartSvg.Render(input));

        var paths = Elements(doc, "path", "value-series").Select(p => (string)p.Attribute("d")!).ToList();
        Assert.Equal(2, paths.Count);
        Assert.Equal(2, paths[0].Count(c => c is 'M' or 'L'));
        Assert.Equal(3, paths[1].Count(c => c is 'M' or 'L'));
        Assert.All(paths, d => Assert.Equal(1, d.Count(c => c == 'M')));
    }

    [Fact]
    public void Render_GapInTargets_SeparateTargetPaths()
    {
        var input = new MeasureChartInput("Gap", null, [new("1", 1, 2), new("2", 2, null), new("3", 3, 4), new("4", 4, 4)]);

        var doc = XDocument.Parse(MeasureChartSvg.Render(input));

        Assert.Equal(2, Elements(doc, "path", "target-series").Count);
    }

    public static TheoryData<string, MeasureChartInput> EdgeCases => new()
    {
        { "no points", new MeasureChartInput("Empty", "USD", []) },
        { "all null", new MeasureChartInput("Nothing", "USD", [new("a", null, null), new("b", null, null)]) },
        { "single point", new MeasureChartInput("One", "%", [new("2026-01", 42, 50, "Yellow")]) },
        { "constant", new MeasureChartInput("Flat", null, [new("a", 7, 7), new("b", 7, 7), new("c", 7, 7)]) },
        { "all zero", new MeasureChartInput("Zero", null, [new("a", 0, 0), new("b", 0, 0)]) },
        { "negative", new MeasureChartInput("Loss", "EUR", [new("a", -5e6, -1e6), new("b", -2.5e6, -1e6), new("c", 3e5, 0)]) },
        { "huge", new MeasureChartInput("Huge", "kg", [new("a", double.MaxValue, null), new("b", double.MinValue, 0), new("c", 1e300, 1e-300)]) },
        { "tiny", new MeasureChartInput("Tiny", null, [new("a", double.Epsilon, null), new("b", 2 * double.Epsilon, null)]) },
        { "non-finite", new MeasureChartInput("Bad", null, [new("a", double.NaN, double.PositiveInfinity), new("b", double.NegativeInfinity, 3)]) },
        { "near equal", new MeasureChartInput("Close", null, [new("a", 1e15, null), new("b", 1e15 + 1, null)]) },
        {
            "bands and forecast",
            new MeasureChartInput(
                "Zones",
                null,
                [new("a", 1, 2), new("b", 2, 2)],
                [new StatusBand(double.NegativeInfinity, 1.5, "Red"), new StatusBand(1.5, double.PositiveInfinity, "Green"), new StatusBand(double.NaN, 1, "Yellow"), new StatusBand(1e9, 2e9, "Gray")],
                [new ForecastPoint("c", 3, 2, 4), new ForecastPoint("d", double.NaN, 1, 2), new ForecastPoint("e", 4, double.PositiveInfinity, 1)])
        },
    };

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Render_EdgeCase_ParsesWithoutNaNOrInfinity(string name, MeasureChartInput input)
    {
        string svg = MeasureChartSvg.Render(input);

        XDocument.Parse(svg);
        Assert.False(svg.Contains("NaN", StringComparison.Ordinal), name);
        Assert.False(svg.Contains("Infinity", StringComparison.Ordinal), name);
        Assert.False(svg.Contains('∞'), name);
    }

    [Fact]
    public void Render_RandomSeries_ParsesWithoutNaNOrInfinity()
    {
        var number = Gen.OneOf(
            Gen.Double.Select(x => (double?)x),
            Gen.Double[-1e6, 1e6].Select(x => (double?)x),
            Gen.Const((double?)null),
            Gen.Const((double?)double.NaN),
            Gen.Const((double?)double.PositiveInfinity));
        var status = Gen.OneOf<string?>(null, "Green", "Yellow", "Red", "Gray", "purple");
        var point = Gen.Select(number, number, status).Select(p => new ChartPoint("p", p.Item1, p.Item2, p.Item3));
        var forecast = Gen.Select(Gen.Double, Gen.Double, Gen.Double).Select(f => new ForecastPoint("f", f.Item1, f.Item2, f.Item3));
        var band = Gen.Select(Gen.Double, Gen.Double).Select(b => new StatusBand(b.Item1, b.Item2, "Green"));

        Gen.Select(point.Array[0, 30], band.Array[0, 3], forecast.Array[0, 3]).Sample((points, bands, forecasts) =>
        {
            string svg = MeasureChartSvg.Render(new MeasureChartInput("Random", "u", points, bands, forecasts));

            XDocument.Parse(svg);
            Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
            Assert.DoesNotContain("Infinity", svg, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Render_AllValuesNull_SaysNoData(int points)
    {
        var input = new MeasureChartInput("Nothing", null, [.. Enumerable.Range(0, points).Select(i => new ChartPoint("p" + i, null, i == 1 ? 5 : null))]);

        var doc = XDocument.Parse(MeasureChartSvg.Render(input));

        Assert.Equal("No data", Assert.Single(Elements(doc, "text", "no-data")).Value);
        Assert.Equal("Nothing: no data.", (string?)doc.Root!.Attribute("aria-label"));
        Assert.Empty(Elements(doc, "path", "value-series"));
    }

    [Fact]
    public void Render_SinglePoint_AMarkerAndNoLine()
    {
        var doc = XDocument.Parse(MeasureChartSvg.Render(new MeasureChartInput("One", "%", [new("2026-01", 42, 50, "Yellow")])));

        Assert.Empty(Elements(doc, "path", "value-series"));
        Assert.Equal("2026-01: 42% (target 50%), Yellow", Assert.Single(Elements(doc, "g", "point status-yellow")).Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Render_YTicks_NiceNumbersCoveringTheData()
    {
        var input = new MeasureChartInput("Spread", null, [new("a", -37.5, 12), new("b", 118.2, 80), new("c", 64, null)]);

        var ticks = Elements(XDocument.Parse(MeasureChartSvg.Render(input)), "g", "y-tick")
            .Select(g => double.Parse((string)g.Attribute("data-value")!, CultureInfo.InvariantCulture))
            .ToList();

        Assert.True(ticks[0] <= -37.5 && ticks[^1] >= 118.2, string.Join(", ", ticks));
        double step = ticks[1] - ticks[0];
        Assert.True(NiceScaleTests.IsNice(step), $"step {step}");
        Assert.All(ticks.Zip(ticks.Skip(1)), p => Assert.Equal(step, p.Second - p.First, 9));
    }

    [Fact]
    public void Render_ManyPeriods_LabelsThinnedLatestKept()
    {
        var doc = XDocument.Parse(MeasureChartSvg.Render(Months(60)));

        var labels = Elements(doc, "g", "x-tick").Select(g => g.Element(Svg + "text")!.Value).ToList();
        Assert.InRange(labels.Count, 2, 30);
        Assert.Contains("2029-12", labels);
    }

    [Fact]
    public void Render_Forecast_DashedLineOverItsInterval()
    {
        var input = Months(12) with { Forecast = [new ForecastPoint("2026-01", 9, 8, 10), new ForecastPoint("2026-02", 8.8, 7.5, 10.1)] };

        var doc = XDocument.Parse(MeasureChartSvg.Render(input));

        var line = Assert.Single(Elements(doc, "path", "forecast-series"));
        Assert.NotNull(line.Attribute("stroke-dasharray"));
        Assert.Equal(3, ((string)line.Attribute("d")!).Count(c => c is 'M' or 'L')); // from the last value on
        Assert.Single(Elements(doc, "path", "forecast-interval"));
        Assert.Contains(Elements(doc, "g", "forecast-point"), g => g.Element(Svg + "title")!.Value == "2026-02: forecast 8.8 USD (80% interval 7.5 USD to 10.1 USD)");
        Assert.Contains(Elements(doc, "g", "x-tick"), g => g.Element(Svg + "text")!.Value == "2026-02");
    }

    [Fact]
    public void Render_StatusBands_ZonesBehindTheSeriesNamedByStatus()
    {
        // Values run 12 → 10.35 against a target of 10: the axis is 10..12.
        var input = Months(12) with { StatusBands = [new StatusBand(double.NegativeInfinity, 10.5, "Green"), new StatusBand(10.5, 11, "Yellow"), new StatusBand(11, double.PositiveInfinity, "Red"), new StatusBand(20, 30, "Gray")] };

        string svg = MeasureChartSvg.Render(input);
        var doc = XDocument.Parse(svg);

        var zones = Elements(doc, "g", "status-zone", prefix: true);
        Assert.Equal(["Green", "Yellow", "Red"], zones.Select(g => g.Element(Svg + "text")!.Value));
        Assert.Equal(["Green zone: below 10.5 USD", "Yellow zone: 10.5 USD to 11 USD", "Red zone: from 11 USD"], zones.Select(g => g.Element(Svg + "title")!.Value));
        Assert.True(svg.IndexOf("status-zones", StringComparison.Ordinal) < svg.IndexOf("value-series", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_TextWithMarkup_Escaped()
    {
        var input = new MeasureChartInput("<Cost> & \"more\"", "<€>", [new("Q1 & <Q2>", 1, 2, "Green"), new("'Q3'", 2, 2, null)]);

        string svg = MeasureChartSvg.Render(input);
        var doc = XDocument.Parse(svg);

        Assert.DoesNotContain("<Cost>", svg, StringComparison.Ordinal);
        Assert.Equal("<Cost> & \"more\"", doc.Root!.Element(Svg + "title")!.Value);
        Assert.Contains(doc.Descendants(Svg + "title"), t => t.Value == "Q1 & <Q2>: 1 <€> (target 2 <€>), Green");
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "'Q3'");
    }

    [Fact]
    public void Render_SameInput_SameBytes()
    {
        Assert.Equal(MeasureChartSvg.Render(Months(24)), MeasureChartSvg.Render(Months(24)));
    }

    /// <summary>Monthly cost per ticket from 2025-01, falling from 12 by 0.15 a month; target 10 then 9 from the second year.</summary>
    private static MeasureChartInput Months(int count)
    {
        var points = new List<ChartPoint>();
        for (int i = 0; i < count; i++)
        {
            double value = Math.Round(12 - (0.15 * i), 2);
            double target = i < 12 ? 10 : 9;
            string status = value <= target ? "Green" : value <= target * 1.1 ? "Yellow" : "Red";
            points.Add(new ChartPoint(string.Create(CultureInfo.InvariantCulture, $"{2025 + (i / 12)}-{(i % 12) + 1:00}"), value, target, status));
        }

        return new MeasureChartInput("Cost per ticket", "USD", points);
    }

    private static List<XElement> Elements(XDocument doc, string name, string cssClass, bool prefix = false) =>
        [.. doc.Descendants(Svg + name).Where(e => (string?)e.Attribute("class") is string c && (prefix ? c.StartsWith(cssClass + " ", StringComparison.Ordinal) : c == cssClass))];
}
