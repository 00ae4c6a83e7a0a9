using CsCheck;
using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Testing;
using static OpenBsc.Testing.ScorecardBuilder;

namespace OpenBsc.Domain.Tests.Analytics;

/// <summary>Absolute weights: products of normalised weights from the root, summing to 1 over the counted measures.</summary>
public class AbsoluteWeightsTests
{
    private static readonly DateOnly Day = new(2026, 1, 31);

    private static Dictionary<string, double> Weights(ScorecardData data) =>
        AbsoluteWeights.OfMeasures(ScorecardModel.Build(data), Day).ToDictionary(w => w.Id, w => w.Weight);

    private static Measure Weighted(string id, double weight) => Measure(id) with { Weight = new Weight(weight) };

    [Fact]
    public void OfMeasures_TwoLevels_MultipliesTheNormalisedWeights()
    {
        // p1 : p2 = 1 : 3 → 0.25, 0.75; under p1, a : b = 1 : 3 → a = 0.25 · 0.25, b = 0.25 · 0.75; c = 0.75.
        var data = new ScorecardBuilder()
            .WithPerspective("p1", Objective("o1", Weighted("a", 1), Weighted("b", 3)))
            .WithPerspective("p2", Objective("o2", Measure("c")))
            .Build();
        data = data with { Scorecard = data.Scorecard with { Perspectives = [data.Scorecard.Perspectives[0], data.Scorecard.Perspectives[1] with { Weight = new Weight(3) }] } };

        var weights = Weights(data);

        Assert.Equal(0.0625, weights["a"], 12);
        Assert.Equal(0.1875, weights["b"], 12);
        Assert.Equal(0.75, weights["c"], 12);
        Assert.Equal(1, weights.Values.Sum(), 12);
    }

    [Fact]
    public void OfMeasures_WeightZero_GetsNothingAndSoDoesEverythingBelowIt()
    {
        var data = new ScorecardBuilder()
            .WithPerspective("p",
                Objective("o1", Weighted("a", 2), Weighted("zero", 0)),
                Objective("o2", Measure("b"), Measure("c")) with { Weight = new Weight(0) },
                Objective("o3", Measure("d")))
            .Build();

        var weights = Weights(data);

        Assert.Equal(0, weights["zero"]);
        Assert.Equal(0, weights["b"]);
        Assert.Equal(0, weights["c"]);
        Assert.Equal(0.5, weights["a"], 12);
        Assert.Equal(0.5, weights["d"], 12);
        Assert.Equal(1, weights.Values.Sum(), 12);
    }

    [Fact]
    public void OfMeasures_AverageAndSelf_EqualSharesAndTheFirstMeasure()
    {
        var data = new ScorecardBuilder()
            .WithPerspective("p",
                Objective("avg", Weighted("a", 1), Weighted("b", 9)) with { Rollup = RollupMethod.Average },
                Objective("self", Weighted("c", 1), Weighted("d", 9)) with { Rollup = RollupMethod.Self })
            .Build();

        var weights = Weights(data);

        Assert.Equal(0.25, weights["a"], 12);
        Assert.Equal(0.25, weights["b"], 12);
        Assert.Equal(0.5, weights["c"], 12);
        Assert.Equal(0, weights["d"]);
    }

    [Fact]
    public void OfMeasures_InformationalMeasure_NotCounted()
    {
        var data = new ScorecardBuilder()
            .WithMeasures(Measure("a"), Measure("info") with { Scoring = new ScoringRule { Type = ScoringType.None } })
            .Build();

        var weights = Weights(data);

        Assert.Equal(1, weights["a"]);
        Assert.Equal(0, weights["info"]);
    }

    [Fact]
    public void OfMeasures_WeightChangingOverTime_UsesTheWeightInEffectOnTheDay()
    {
        var changing = Measure("b") with { Weight = new Weight([new WeightChange(new DateOnly(2026, 2, 1), 3)]) };
        var model = ScorecardModel.Build(new ScorecardBuilder().WithMeasures(Measure("a"), changing).Build());

        Assert.Equal(0.5, AbsoluteWeights.OfMeasures(model, Day)[1].Weight, 12);
        Assert.Equal(0.75, AbsoluteWeights.OfMeasures(model, new DateOnly(2026, 2, 28))[1].Weight, 12);
    }

    [Fact]
    public void OfMeasures_AnyPositiveWeights_SumToOne()
    {
        var weight = Gen.Double[0.01, 10];
        var objective = Gen.Select(weight, weight.Array[1, 5]);
        Gen.Select(objective.Array[1, 6], weight.Array[1, 3]).Sample((objectives, perspectives) =>
        {
            var builder = new ScorecardBuilder();
            int m = 0;
            for (int p = 0; p < perspectives.Length; p++)
            {
                var list = objectives.Select((o, i) => Objective($"o{p}-{i}", [.. o.Item2.Select(w => Weighted($"m{m++}", w))]) with { Weight = new Weight(o.Item1) });
                builder.WithPerspective($"p{p}", [.. list]);
            }

            var weights = Weights(builder.Build());

            Assert.Equal(1, weights.Values.Sum(), 9);
            Assert.All(weights.Values, w => Assert.InRange(w, 0, 1));
        });
    }
}
