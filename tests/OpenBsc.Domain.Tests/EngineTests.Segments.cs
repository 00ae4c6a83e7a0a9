using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Domain.Validation;
using OpenBsc.Testing;
using static OpenBsc.Testing.ScorecardBuilder;

namespace OpenBsc.Domain.Tests;

/// <summary>Measures tracked per customer segment (docs/scoring.md, "Segments").</summary>
public partial class EngineTests
{
    private static readonly Segment Retail = new("retail", "Retail customers", SegmentKind.Customer);
    private static readonly Segment Dealers = new("dealers", "Dealers", SegmentKind.Partner);

    private static ScorecardData SegmentedData(Measure measure, params (string Segment, string Period, double Value)[] observations)
    {
        var card = new ScorecardBuilder()
            .With(c => c with { Segments = [Retail, Dealers] })
            .WithMeasures(measure, Measure("other", 0, 1))
            .Build().Scorecard;
        return new ScorecardData(card, [.. observations.Select(o => new Observation(measure.Id, Period.Parse(o.Period), o.Value, Segment: o.Segment))]);
    }

    private static Measure CostPerTicket => new()
    {
        Id = "m",
        Name = "Cost per ticket",
        Direction = Direction.Decrease,
        Aggregation = Aggregation.Average,
        Baseline = 12,
        Target = 9,
        Segments =
        [
            new SegmentSeries { Segment = "retail", Target = 9 },
            new SegmentSeries { Segment = "dealers", Baseline = 14, Target = 10, Weight = new Weight(3) },
        ],
    };

    [Fact]
    public void Segments_EachSeriesIsScoredAgainstItsOwnTarget_AndTheMeasureRollsUpTheirScores()
    {
        // retail: (12 − 10.5) / (12 − 9) = 0.5; dealers: (14 − 11) / (14 − 10) = 0.75 (own baseline and target).
        var data = SegmentedData(CostPerTicket, ("retail", "2026-01", 10.5), ("dealers", "2026-01", 11));

        var result = Evaluate(data);

        Assert.Equal(0.5, result["m@retail"].Score!.Value, 12);
        Assert.Equal(9, result["m@retail"].Target);
        Assert.Equal(0.75, result["m@dealers"].Score!.Value, 12);
        Assert.Equal(10, result["m@dealers"].Target);
        // Weighted by the series' weights 1 and 3: (0.5 + 3 × 0.75) / 4.
        Assert.Equal(0.6875, result["m"].Score!.Value, 12);
        // Value and target: averages across segments (an average measure), not netted into the score.
        Assert.Equal(10.75, result["m"].Value!.Value, 12);
        Assert.Equal(9.5, result["m"].Target);
        Assert.Equal(2, result["m"].ChildrenWithData);
        Assert.Equal(2, result["m"].ChildrenTotal);
        Assert.Equal(Status.Yellow, result["m"].Status); // 0.6875 ≥ 0.6
        // The measure counts once in its objective, with its rolled-up score ("other" has no data: ignored).
        Assert.Equal(0.6875, result["o"].Score!.Value, 12);
        Assert.Equal(1, result["o"].ChildrenWithData);
    }

    [Fact]
    public void Segments_SumMeasure_ValueAndTargetAddUpAcrossSegments()
    {
        var measure = new Measure
        {
            Id = "m",
            Name = "New customers",
            Aggregation = Aggregation.Sum,
            Baseline = 0,
            Segments = [new SegmentSeries { Segment = "retail", Target = 100 }, new SegmentSeries { Segment = "dealers", Target = 20 }],
        };
        var data = SegmentedData(measure,
            ("retail", "2026-01", 80), ("dealers", "2026-01", 20),
            ("retail", "2026-02", 100), ("dealers", "2026-02", 10));

        var january = Evaluate(data);
        var quarter = Evaluate(data, "2026-Q1");

        Assert.Equal(100, january["m"].Value);
        Assert.Equal(120, january["m"].Target);
        Assert.Equal((0.8 + 1.0) / 2, january["m"].Score!.Value, 12);
        // Over the quarter each series sums its months and its target stands for three months.
        Assert.Equal(180, quarter["m@retail"].Value);
        Assert.Equal(300, quarter["m@retail"].Target);
        Assert.Equal(30, quarter["m@dealers"].Value);
        Assert.Equal(60, quarter["m@dealers"].Target);
        Assert.Equal(210, quarter["m"].Value);
        Assert.Equal(360, quarter["m"].Target);
        Assert.Equal((0.6 + 0.5) / 2, quarter["m"].Score!.Value, 12);
    }

    [Fact]
    public void Segments_MissingSeries_FollowsTheScorecardsMissingDataPolicy()
    {
        var observations = new[] { ("retail", "2026-01", 10.5) };
        var ignore = Evaluate(SegmentedData(CostPerTicket, observations));
        var zero = ScorecardModel.Build(SegmentedData(CostPerTicket, observations) is var d
            ? d with { Scorecard = d.Scorecard with { Missing = MissingDataPolicy.Zero } } : d).Evaluate(Jan);
        var strict = ScorecardModel.Build(SegmentedData(CostPerTicket, observations) is var s
            ? s with { Scorecard = s.Scorecard with { Missing = MissingDataPolicy.Strict } } : s).Evaluate(Jan);

        Assert.Equal(0.5, ignore["m"].Score!.Value, 12);
        Assert.Equal(1, ignore["m"].ChildrenWithData);
        Assert.Equal(0.5 / 4, zero["m"].Score!.Value, 12);
        Assert.Null(strict["m"].Score);
        Assert.Equal(Status.Gray, strict["m"].Status);
        Assert.Null(ignore["m@dealers"].Score);
    }

    [Fact]
    public void Segments_SeriesWithoutOwnTarget_TakesTheMeasuresTarget_AndFormulasSeeTheCombinedValue()
    {
        var measure = CostPerTicket with { Segments = [new SegmentSeries { Segment = "retail" }, new SegmentSeries { Segment = "dealers" }] };
        var doubled = new Measure { Id = "doubled", Name = "doubled", Formula = "[m] * 2", Baseline = 0, Target = 100, Aggregation = Aggregation.Average };
        var data = SegmentedData(measure, ("retail", "2026-01", 10), ("dealers", "2026-01", 11));
        data = data with { Scorecard = data.Scorecard with { Perspectives = [data.Scorecard.Perspectives[0] with { Objectives = [data.Scorecard.Perspectives[0].Objectives[0] with { Measures = [measure, doubled] }] }] } };

        var result = Evaluate(data);

        Assert.Equal(9, result["m@retail"].Target);
        Assert.Equal(9, result["m@dealers"].Target);
        Assert.Equal(9, result["m"].Target);
        Assert.Equal(21, result["doubled"].Value!.Value, 12);
    }

    [Fact]
    public void Segments_Trend_ComparesTheRolledUpScoreWithThePreviousPeriod()
    {
        var data = SegmentedData(CostPerTicket,
            ("retail", "2025-12", 12), ("dealers", "2025-12", 14),
            ("retail", "2026-01", 10.5), ("dealers", "2026-01", 11));

        var result = Evaluate(data);

        Assert.Equal(Trend.Improving, result["m"].Trend);
        Assert.Equal(Trend.Improving, result["m@dealers"].Trend);
    }

    [Fact]
    public void Segments_Validation_NamesTheFieldAndWhatWasExpected()
    {
        var measure = CostPerTicket with
        {
            Segment = "retail",
            Segments = [new SegmentSeries { Segment = "retail" }, new SegmentSeries { Segment = "retail" }, new SegmentSeries { Segment = "dealrs", Target = 9, Baseline = 9 }],
        };
        var data = SegmentedData(measure, ("retail", "2026-01", 1), ("nobody", "2026-01", 1)) is var d
            ? d with { Observations = [.. d.Observations, new Observation("m", Period.Parse("2026-01"), 3), new Observation("other", Period.Parse("2026-01"), 0.5, Segment: "retail")] }
            : d;

        var errors = ScorecardValidator.Validate(data).Select(e => $"{e.Path}: {e.Message}").ToList();

        Assert.Contains(errors, e => e.StartsWith("scorecard.perspectives[0].objectives[0].measures[0].segment: ", StringComparison.Ordinal) && e.Contains("not both", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("scorecard.perspectives[0].objectives[0].measures[0].segments[1].segment: ", StringComparison.Ordinal) && e.Contains("listed twice", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("scorecard.perspectives[0].objectives[0].measures[0].segments[2].segment: ", StringComparison.Ordinal) && e.Contains("did you mean 'dealers'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("scorecard.perspectives[0].objectives[0].measures[0].segments[2].target: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("observations[1].segment: 'nobody' is not a segment of measure 'm'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("observations[2].segment: 'm' is tracked per segment", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("observations[3].segment: 'other' is not tracked per segment", StringComparison.Ordinal));
    }

    [Fact]
    public void Segments_CalculatedMeasureCannotBeSegmented()
    {
        var measure = new Measure { Id = "m", Name = "m", Formula = "[other] * 2", Target = 1, Segments = [new SegmentSeries { Segment = "retail" }] };
        var data = SegmentedData(measure);

        var errors = ScorecardValidator.Validate(data);

        Assert.Contains(errors, e => e.Path.EndsWith(".segments", StringComparison.Ordinal) && e.Message.Contains("calculated", StringComparison.Ordinal));
    }
}
