using CsCheck;
using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Testing;
using static OpenBsc.Testing.ScorecardBuilder;

namespace OpenBsc.Domain.Tests.Analytics;

/// <summary>The aggregate analysis over a scorecard model.</summary>
public class ScorecardAnalysisTests
{
    private static ScorecardAnalysis Run(ScorecardData data, string at, AnalysisOptions? options = null)
    {
        var model = ScorecardModel.Build(data);
        return ScorecardAnalysis.Run(model, data.Scorecard, Period.Parse(at), options);
    }

    [Fact]
    public void Run_LinkedObjectives_FindsTheLagThroughTheEngine()
    {
        // Scores of "effect" repeat those of "cause" two months later (values = score · 100).
        double[] cause = [.. Enumerable.Range(0, 24).Select(i => 50 + 30 * Math.Sin(i * 1.1) + 10 * Math.Cos(i * 0.3))];
        var data = new ScorecardBuilder()
            .WithPerspective("p", Objective("drivers", Measure("c")), Objective("results", Measure("e")))
            .With(c => c with { Links = [new CauseEffectLink("drivers", "results", "why"), new CauseEffectLink("c", "missing")] })
            .WithMonthly("c", "2025-01", cause)
            .WithMonthly("e", "2025-03", cause[..22])
            .Build();

        var analysis = Run(data, "2026-12");

        Assert.Equal("2025-01", analysis.WindowStart);
        var link = analysis.Links[0];
        Assert.Equal(("drivers", "results", "why"), (link.From, link.To, link.Note));
        Assert.Equal(2, link.BestLag);
        Assert.Equal(1, link.R!.Value, 9);
        Assert.Equal(22, link.Pairs);
        Assert.Equal(LinkVerdict.Supported, link.Verdict);
        Assert.Equal(LinkVerdict.NotEnoughData, analysis.Links[1].Verdict);
    }

    [Fact]
    public void Run_Forecasts_EveryMeasureWithATargetToTheYearEnd()
    {
        var data = new ScorecardBuilder()
            .WithMeasures(Measure("a", 0, 10), Measure("untargeted", null, null), Measure("short", 0, 10))
            .WithMonthly("a", "2026-01", 1, 3, 2, 5)
            .WithMonthly("short", "2026-02", 1, 2)
            .Build();

        var analysis = Run(data, "2026-04");

        Assert.Equal(["a", "short"], analysis.Forecasts.Select(f => f.Id));
        var a = analysis.Forecasts[0];
        Assert.Equal("2026-12", a.TargetPeriod);
        // Same line as ForecastTests: ŷ = 2.75 + 1.1 (x − 1.5), at 2026-12 (x0 = 11): 13.2 ≥ 10.
        Assert.Equal(13.2, a.Forecast.Projected!.Value, 9);
        Assert.Equal(10, a.Forecast.Target);
        Assert.True(a.Forecast.OnTrack);
        Assert.Equal(Forecast.NotEnoughData, analysis.Forecasts[1].Forecast.Reason);
    }

    [Theory]
    [InlineData("2026-06", null, 1, "2026-12")]
    [InlineData("2026-12", null, 1, "2027-12")]
    [InlineData("2026-06", null, 4, "2027-03")]
    [InlineData("2026-06", "2027-Q1", 1, "2027-03")]
    [InlineData("2026-06", "2026-09-15", 1, "2026-09")]
    public void Run_ForecastPeriod_DefaultsToTheFiscalYearEnd(string at, string? to, int fiscalYearStart, string expected)
    {
        var data = new ScorecardBuilder()
            .With(c => c with { Calendar = new FiscalCalendar(fiscalYearStart) })
            .WithMeasures(Measure("a"))
            .Build();
        var options = new AnalysisOptions { ForecastTo = to is null ? null : Period.Parse(to) };

        var analysis = Run(data, at, options);

        Assert.Equal(expected, analysis.Forecasts.Single().TargetPeriod);
    }

    [Fact]
    public void Run_QuarterlyMeasure_ForecastsQuarters()
    {
        var data = new ScorecardBuilder()
            .WithMeasures(Measure("q") with { Frequency = PeriodKind.Quarter })
            .WithObservation("q", "2025-Q3", 10)
            .WithObservation("q", "2025-Q4", 20)
            .WithObservation("q", "2026-Q1", 30)
            .WithObservation("q", "2026-Q2", 40)
            .Build();

        var forecast = Run(data, "2026-05").Forecasts.Single();

        Assert.Equal("2026-Q4", forecast.TargetPeriod);
        Assert.Equal(4, forecast.Forecast.Points);
        Assert.Equal(60, forecast.Forecast.Projected!.Value, 9);
    }

    [Fact]
    public void Run_InheritedValues_AreNotForecastPoints()
    {
        // With inheritance on, 2026-04..06 carry 2026-03's value forward; only the four observed months count.
        var data = new ScorecardBuilder()
            .WithMeasures(Measure("a") with { Inherit = 0 })
            .WithMonthly("a", "2025-12", 10, 20, 30, 40)
            .Build();

        var forecast = Run(data, "2026-06").Forecasts.Single().Forecast;

        Assert.Equal(4, forecast.Points);
        Assert.Equal(10, forecast.Slope!.Value, 9);
    }

    [Fact]
    public void Run_Weights_SumToOneAndPerformersRanked()
    {
        var data = new ScorecardBuilder()
            .WithPerspective("p", Objective("o", Measure("a"), Measure("b")), Objective("o2", Measure("c")))
            .WithObservation("a", "2026-01", 20)
            .WithObservation("b", "2026-01", 90)
            .WithObservation("c", "2026-01", 60)
            .Build();

        var analysis = Run(data, "2026-01", new AnalysisOptions { Performers = 1 });

        Assert.Equal(1, analysis.Weights.Sum(w => w.Weight), 12);
        Assert.Equal("b", Assert.Single(analysis.Best).Id);
        Assert.Equal("a", Assert.Single(analysis.Worst).Id);
    }

    [Fact]
    public void Run_RandomScorecard_NoNumberIsNaNOrInfinite()
    {
        var value = Gen.OneOf(Gen.Double[-50, 150].Select(v => (double?)v), Gen.Const((double?)null), Gen.Const((double?)70));
        Gen.Select(value.Array[0, 30], value.Array[0, 30], value.Array[0, 30]).Sample((a, b, c) =>
        {
            var builder = new ScorecardBuilder()
                .WithPerspective("p", Objective("o1", Measure("a")), Objective("o2", Measure("b")), Objective("o3", Measure("c", 100, 0)))
                .With(card => card with { Links = [new CauseEffectLink("o1", "o2"), new CauseEffectLink("a", "c")] });
            foreach (var (id, values) in new[] { ("a", a), ("b", b), ("c", c) })
            {
                var period = Period.Parse("2025-01");
                foreach (double? v in values)
                {
                    if (v is double x)
                    {
                        builder.WithObservation(id, period.ToString(), x);
                    }

                    period = period.Next();
                }
            }

            var analysis = Run(builder.Build(), "2026-06");

            var numbers = analysis.Forecasts.SelectMany(f => new[] { f.Forecast.Slope, f.Forecast.Projected, f.Forecast.Low, f.Forecast.High, f.Forecast.Target })
                .Concat(analysis.Links.SelectMany(l => l.Lags.Select(x => x.R).Append(l.R)))
                .Concat(analysis.Tensions.Select(t => (double?)t.R))
                .Concat(analysis.Best.Concat(analysis.Worst).SelectMany(p => new[] { p.Score, p.Value, p.Target }))
                .Concat(analysis.Weights.Select(w => (double?)w.Weight));
            Assert.All(numbers, x => Assert.True(x is null || double.IsFinite(x.Value)));
        });
    }
}
