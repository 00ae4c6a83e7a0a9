using OpenBsc.Application.Features.StrategyMaps;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Testing;
using static OpenBsc.Testing.ScorecardBuilder;

namespace OpenBsc.IntegrationTests.StrategyMaps;

public sealed class StrategyMapInputTests
{
    [Fact]
    public void From_Scorecard_BandsInPerspectiveOrderWithScoresStatusesAndHrefs()
    {
        var data = new ScorecardBuilder()
            .With(c => c with { Name = "Charity" })
            .WithPerspective("customer", Objective("reach", Measure("people")), Objective("idle"))
            .WithPerspective("financial", Objective("funds", Measure("donations")))
            .WithObservation("people", "2026-01", 100)
            .WithObservation("donations", "2026-01", 30)
            .Build();

        var input = StrategyMapInput.From(data.Scorecard, Evaluate(data), id => "/objectives/" + id);

        Assert.Equal("Charity", input.Title);
        Assert.Equal(["customer", "financial"], input.Bands.Select(b => b.Id));
        var reach = input.Bands[0].Objectives[0];
        Assert.Equal(new MapObjective("reach", "reach", 1.0, "Green", "/objectives/reach"), reach);
        Assert.Equal("Red", input.Bands[1].Objectives[0].Status);
        Assert.Equal(0.3, input.Bands[1].Objectives[0].Score!.Value, 12);
        Assert.Null(input.Bands[0].Objectives[1].Score);
    }

    [Fact]
    public void From_LinksAndTensionsOnMeasuresAndSubObjectives_DrawnFromTheirTopLevelObjective()
    {
        var sub = new Objective { Id = "sub", Name = "Sub", Measures = [Measure("deep")] };
        var data = new ScorecardBuilder()
            .WithPerspective("top", Objective("a", Measure("ma")))
            .WithPerspective("bottom", new Objective { Id = "b", Name = "B", Objectives = [sub] }, Objective("c", Measure("mc")))
            .With(c => c with
            {
                Links = [new("deep", "ma", "why"), new("sub", "a"), new("mc", "nowhere"), new("sub", "b"), new("mc", "a")],
                Tensions = [new("deep", "mc", "pull"), new("c", "b"), new("ma", "ma")],
            })
            .Build();

        var input = StrategyMapInput.From(data.Scorecard, Evaluate(data), id => id);

        Assert.Equal(["b", "c"], input.Bands[1].Objectives.Select(o => o.Id));
        Assert.Equal([new MapLink("b", "a", "why"), new MapLink("c", "a")], input.Links);
        Assert.Equal([new MapTension("b", "c", "pull")], input.Tensions);
    }

    [Fact]
    public void From_ScorecardWithoutData_RendersEveryObjectiveAsNoData()
    {
        var data = new ScorecardBuilder().WithPerspective("p", Objective("a", Measure("m"))).Build();

        var input = StrategyMapInput.From(data.Scorecard, Evaluate(data), id => id);
        string svg = StrategyMapSvg.Render(StrategyMapLayout.Compute(input));

        Assert.Contains("○ no data", svg, StringComparison.Ordinal);
    }

    private static ScorecardEvaluation Evaluate(ScorecardData data) =>
        ScorecardModel.Build(data).Evaluate(new PeriodView(Period.Parse("2026-01")));
}
