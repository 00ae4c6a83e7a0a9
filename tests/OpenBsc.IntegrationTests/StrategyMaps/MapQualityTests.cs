using OpenBsc.Application.Features.Demo;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Templates;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Web;
using Xunit.Abstractions;

namespace OpenBsc.IntegrationTests.StrategyMaps;

/// <summary>
/// The strategy maps of the shipped scorecards (the demo, examples/ and the templates) as the web app draws them,
/// correlation labels included, measured from the SVG: crossing links and overlapping labels.
/// </summary>
public sealed class MapQualityTests(ITestOutputHelper output)
{
    /// <summary>
    /// Each shipped map with the most crossings its layout may draw: what the layout achieves now (before same-row
    /// links ran straight between neighbours and orders were refined on the drawn curves: 5, 1, 5, 5, 1, 0, 0, 0).
    /// </summary>
    public static TheoryData<string, int> Maps() => new()
    {
        { "demo:customer-support", 1 },
        { "demo:northwind-2026", 1 },
        { "examples/customer-support.yaml", 1 },
        { "template:customer-support", 1 },
        { "template:for-profit", 0 },
        { "template:loyalty-retention", 0 },
        { "template:municipality", 0 },
        { "template:nonprofit", 0 },
    };

    [Theory]
    [MemberData(nameof(Maps))]
    public void ShippedMap_LabelsClearOfBoxesAndOtherLines_CrossingsNoMoreThanNow(string name, int maxCrossings)
    {
        string svg = Render(name);
        var map = RenderedMap.Parse(svg);

        int crossings = map.Crossings();
        var overlaps = map.Overlaps().Concat(map.LabelsOnOtherLines()).ToList();
        output.WriteLine($"{name}: {map.Edges.Count} edges, {map.Labels.Count} labels, {crossings} crossings, {map.Overlaps().Count} overlapping labels, {map.LabelsOnOtherLines().Count} labels on another line");
        foreach (string overlap in overlaps)
        {
            output.WriteLine("  " + overlap);
        }

        Assert.Empty(overlaps);
        Assert.True(crossings <= maxCrossings, $"{name}: {crossings} crossings, at most {maxCrossings} expected");
    }

    /// <summary>The map's SVG as <c>GET /scorecards/{key}/map.svg</c> answers it for the latest month with data.</summary>
    internal static string Render(string name)
    {
        IReadOnlyList<ScorecardData> bundle = name switch
        {
            "demo:customer-support" => [DemoOrganisation.Scorecards()[1]],
            "demo:northwind-2026" => DemoOrganisation.Scorecards(),
            _ when name.StartsWith("template:", StringComparison.Ordinal) => [Valid(ScorecardTemplates.Read(name["template:".Length..]))],
            _ => [Valid(ScorecardFileReader.Read(Path.Combine(RepoRoot(), name)).Validated())],
        };
        var calendar = bundle[0].Scorecard.Calendar;
        var last = bundle[0].Observations.Select(o => o.Period.Start(calendar)).Max();
        var cards = bundle.ToDictionary(d => d.Scorecard.Id, d => d.Scorecard, StringComparer.Ordinal);
        var snapshot = new ScorecardSnapshot(ScorecardModel.Build(bundle), bundle, cards, "test", null, last);
        var month = Period.Containing(PeriodKind.Month, last, FiscalCalendar.Gregorian);
        return MapSvg.For(snapshot, snapshot.Evaluate(new PeriodView(month)), $"period={month}");
    }

    private static ScorecardData Valid(ScorecardFileResult result) =>
        result.IsValid ? result.Data! : throw new InvalidOperationException(string.Join("; ", result.Errors));

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenBsc.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
