using CsCheck;
using OpenBsc.Domain.Analytics;

namespace OpenBsc.Domain.Tests.Analytics;

/// <summary>Pearson correlation and the cause-effect check with lags (SCORING.md §8) on synthetic series.</summary>
public class LinkCheckTests
{
    /// <summary>24 irregular but deterministic scores in [0, 1].</summary>
    private static double[] Cause(int length = 24) =>
        [.. Enumerable.Range(0, length).Select(i => 0.5 + 0.3 * Math.Sin(i * 1.7) + 0.15 * Math.Cos(i * 0.45))];

    /// <summary>The cause delayed by <paramref name="lag"/> periods: effect[i + lag] = cause[i]; the first periods have no score.</summary>
    private static double[] Delayed(double[] cause, int lag) =>
        [.. Enumerable.Range(0, cause.Length).Select(i => i < lag ? double.NaN : cause[i - lag])];

    [Fact]
    public void Pearson_HandExample_MatchesTheFormula()
    {
        // x = 1, 2, 3, 4; y = 2, 4, 5, 4: x̄ = 2.5, ȳ = 3.75, Sxy = 3.5, Sxx = 5, Syy = 4.75 → r = 3.5 / √23.75 = 0.718185.
        var c = Correlation.Pearson([1, 2, 3, 4], [2, 4, 5, 4]);

        Assert.Equal(4, c.Pairs);
        Assert.Equal(0.718185, c.R!.Value, 6);
    }

    [Fact]
    public void Pearson_MissingValues_AreLeftOutPairwise()
    {
        var c = Correlation.Pearson([1, double.NaN, 2, 3, 4, 9], [2, 7, 4, 5, 4, double.NaN]);

        Assert.Equal(4, c.Pairs);
        Assert.Equal(0.718185, c.R!.Value, 6);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.1)]
    [InlineData(1e12)]
    public void Pearson_ConstantSeries_IsNullNeverNaN(double value)
    {
        double[] constant = [.. Enumerable.Repeat(value, 12)];

        var c = Correlation.Pearson(Cause(12), constant);

        Assert.Equal(12, c.Pairs);
        Assert.Null(c.R);
    }

    [Fact]
    public void Evaluate_EffectIsTheCauseTwoPeriodsLater_BestLagTwoSupported()
    {
        var cause = Cause();

        var check = LinkCheck.Evaluate("a", "b", cause, Delayed(cause, 2));

        Assert.Equal(2, check.BestLag);
        Assert.Equal(1, check.R!.Value, 9);
        Assert.Equal(22, check.Pairs);
        Assert.Equal(LinkVerdict.Supported, check.Verdict);
        Assert.Equal([0, 1, 2, 3], check.Lags.Select(l => l.Lag));
        Assert.All(check.Lags.Where(l => l.Lag != 2), l => Assert.True(Math.Abs(l.R!.Value) < 0.99));
    }

    [Fact]
    public void Evaluate_EffectIsTheNegatedCause_Contradicted()
    {
        var cause = Cause();

        var check = LinkCheck.Evaluate("a", "b", cause, [.. cause.Select(x => 1 - x)]);

        Assert.Equal(0, check.BestLag);
        Assert.Equal(-1, check.R!.Value, 9);
        Assert.Equal(LinkVerdict.Contradicted, check.Verdict);
    }

    [Fact]
    public void Evaluate_NegatedAndDelayedByThree_ContradictedAtLagThree()
    {
        var cause = Cause();

        var check = LinkCheck.Evaluate("a", "b", cause, Delayed([.. cause.Select(x => -x)], 3));

        Assert.Equal(3, check.BestLag);
        Assert.Equal(-1, check.R!.Value, 9);
        Assert.Equal(21, check.Pairs);
        Assert.Equal(LinkVerdict.Contradicted, check.Verdict);
    }

    [Fact]
    public void Evaluate_SevenPairs_NotEnoughData()
    {
        var cause = Cause(7);

        var check = LinkCheck.Evaluate("a", "b", cause, cause);

        Assert.Equal(LinkVerdict.NotEnoughData, check.Verdict);
        Assert.Null(check.BestLag);
        Assert.Null(check.R);
        Assert.Equal(7, check.Pairs);
    }

    [Fact]
    public void Evaluate_GapsLeaveFewerThanEightPairs_NotEnoughData()
    {
        var cause = Cause(12);
        var effect = (double[])cause.Clone();
        for (int i = 0; i < 12; i += 2)
        {
            effect[i] = double.NaN;
        }

        var check = LinkCheck.Evaluate("a", "b", cause, effect);

        Assert.Equal(6, check.Lags[0].Pairs);
        Assert.Equal(LinkVerdict.NotEnoughData, check.Verdict);
    }

    [Fact]
    public void Evaluate_ConstantEffect_WeakWithoutR()
    {
        var check = LinkCheck.Evaluate("a", "b", Cause(), [.. Enumerable.Repeat(0.7, 24)]);

        Assert.Equal(LinkVerdict.Weak, check.Verdict);
        Assert.Null(check.R);
        Assert.Null(check.BestLag);
        Assert.All(check.Lags, l => Assert.Null(l.R));
    }

    [Fact]
    public void Evaluate_Uncorrelated_Weak()
    {
        // A series alternating every period against one alternating every two periods: r near 0 at every lag.
        double[] cause = [.. Enumerable.Range(0, 24).Select(i => i % 2 == 0 ? 1.0 : 0.0)];
        double[] effect = [.. Enumerable.Range(0, 24).Select(i => i % 4 < 2 ? 0.2 : 0.8)];

        var check = LinkCheck.Evaluate("a", "b", cause, effect);

        Assert.Equal(LinkVerdict.Weak, check.Verdict);
        Assert.InRange(check.R!.Value, -0.5, 0.5);
    }

    [Fact]
    public void Evaluate_AnySeries_NeverNaN()
    {
        var score = Gen.OneOf(Gen.Double[0, 1], Gen.Const(double.NaN), Gen.Const(0.5));
        Gen.Select(score.Array[0, 30], score.Array[0, 30]).Sample((cause, effect) =>
        {
            var check = LinkCheck.Evaluate("a", "b", cause, effect);

            Assert.All(check.Lags, l => Assert.True(l.R is null || (l.R >= -1 && l.R <= 1)));
            Assert.True(check.R is null || double.IsFinite(check.R.Value));
            Assert.Equal(check.BestLag is null, check.R is null);
        });
    }
}
