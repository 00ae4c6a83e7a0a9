using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Testing;
using static OpenBsc.Testing.ScorecardBuilder;

namespace OpenBsc.Domain.Tests.Analytics;

/// <summary>Detected tensions (SCORING.md §8): r ≤ −0.5 over at least 8 periods, declared pairs left out.</summary>
public class TensionDetectionTests
{
    private static readonly Period Last = Period.Parse("2025-12");

    /// <summary>
    /// Objectives o1..o4 with one measure each (baseline 0, target 100: score = value / 100) over 2025:
    /// a swings, b = 100 − a (against a), c is constant, d = 100 − a too but declared in tension with o1.
    /// </summary>
    private static ScorecardData Card(int months = 12)
    {
        double[] a = [.. Enumerable.Range(0, months).Select(i => 50 + 30 * Math.Sin(i * 1.3))];
        return new ScorecardBuilder()
            .WithPerspective("p", Objective("o1", Measure("a")), Objective("o2", Measure("b")), Objective("o3", Measure("c")), Objective("o4", Measure("d")))
            .With(c => c with { Tensions = [new Tension("o4", "o1")] })
            .WithMonthly("a", "2025-01", a)
            .WithMonthly("b", "2025-01", [.. a.Select(x => 100 - x)])
            .WithMonthly("c", "2025-01", [.. a.Select(_ => 70.0)])
            .WithMonthly("d", "2025-01", [.. a.Select(x => 100 - x)])
            .Build();
    }

    [Fact]
    public void Detect_OpposedObjectives_ReportedDeclaredOnesLeftOut()
    {
        var data = Card();
        var history = ScoreHistory.Build(ScorecardModel.Build(data), Last, 12);

        var tensions = TensionDetection.Detect(history, data.Scorecard);

        var tension = Assert.Single(tensions);
        Assert.Equal(("o1", "o2"), (tension.First, tension.Second));
        Assert.Equal(-1, tension.R, 9);
        Assert.Equal(12, tension.Pairs);
    }

    [Fact]
    public void Detect_SevenPeriods_NothingDetected()
    {
        var data = Card(months: 7);
        var history = ScoreHistory.Build(ScorecardModel.Build(data), Last, 12);

        Assert.Empty(TensionDetection.Detect(history, data.Scorecard));
    }

    [Fact]
    public void Detect_GivenCandidates_ComparesExactlyThose()
    {
        var data = Card();
        var history = ScoreHistory.Build(ScorecardModel.Build(data), Last, 12);

        var tensions = TensionDetection.Detect(history, data.Scorecard, new TensionOptions { Candidates = ["a", "d", "c"] });

        var tension = Assert.Single(tensions);
        Assert.Equal(("a", "d"), (tension.First, tension.Second));
    }

    [Fact]
    public void Detect_CandidateCap_LimitsThePairs()
    {
        var data = Card();
        var history = ScoreHistory.Build(ScorecardModel.Build(data), Last, 12);

        Assert.Empty(TensionDetection.Detect(history, data.Scorecard, new TensionOptions { MaxCandidates = 1 }));
    }

    [Fact]
    public void Detect_LinkedMeasuresBelowTheTopLevels_AreTestedToo()
    {
        var data = Card();
        data = data with { Scorecard = data.Scorecard with { Links = [new CauseEffectLink("a", "b")] } };
        var history = ScoreHistory.Build(ScorecardModel.Build(data), Last, 12);

        var tensions = TensionDetection.Detect(history, data.Scorecard);

        Assert.Contains(tensions, t => (t.First, t.Second) == ("a", "b"));
        Assert.Contains(tensions, t => (t.First, t.Second) == ("o1", "o2"));
    }
}
