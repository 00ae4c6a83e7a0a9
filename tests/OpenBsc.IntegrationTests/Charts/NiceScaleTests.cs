using CsCheck;
using OpenBsc.Application.Features.Charts;

namespace OpenBsc.IntegrationTests.Charts;

public sealed class NiceScaleTests
{
    [Theory]
    [InlineData(0, 100, 0, 100, 20)]
    [InlineData(-37.5, 118.2, -50, 150, 50)]
    [InlineData(8.7, 12.1, 8, 13, 1)]
    [InlineData(8.7, 9.9, 8.5, 10, 0.5)]
    [InlineData(0.01, 0.07, 0, 0.08, 0.02)]
    [InlineData(42, 42, 36, 48, 2)]
    [InlineData(0, 0, 0, 1, 0.2)]
    [InlineData(-5, -5, -5.6, -4.4, 0.2)]
    [InlineData(100, 0, 0, 100, 20)]
    public void For_Range_ExpectedAxis(double low, double high, double min, double max, double step)
    {
        var scale = NiceScale.For(low, high);

        Assert.Equal((min, max), (scale.Min, scale.Max));
        Assert.Equal(step, scale.Step, 12);
        Assert.Equal(scale.Min, scale.Ticks[0]);
        Assert.Equal(scale.Max, scale.Ticks[^1]);
    }

    [Fact]
    public void For_DecimalSteps_TicksPrintExactly()
    {
        var scale = NiceScale.For(0.1, 0.3);

        Assert.Equal([0.1, 0.15, 0.2, 0.25, 0.3], scale.Ticks);
    }

    [Fact]
    public void For_AnyRange_NiceStepsWholeMultiplesCoveringIt()
    {
        Gen.Select(Gen.Double.Where(double.IsFinite), Gen.Double.Where(double.IsFinite)).Sample((a, b) =>
        {
            var scale = NiceScale.For(a, b);

            double lo = Math.Clamp(Math.Min(a, b), -NiceScale.Limit, NiceScale.Limit);
            double hi = Math.Clamp(Math.Max(a, b), -NiceScale.Limit, NiceScale.Limit);
            Assert.True(IsNice(scale.Step), $"step {scale.Step}");
            Assert.True(scale.Min <= lo && scale.Max >= hi, $"[{scale.Min}, {scale.Max}] does not cover [{lo}, {hi}]");
            Assert.True(scale.Max > scale.Min);
            Assert.InRange(scale.Ticks.Count, 2, 12);
            Assert.All(scale.Ticks, t => Assert.True(double.IsFinite(t)));
            Assert.All(scale.Ticks, t =>
            {
                double multiple = t / scale.Step;
                Assert.True(Math.Abs(multiple - Math.Round(multiple)) < 1e-6, $"{t} is not a multiple of {scale.Step}");
            });
        });
    }

    [Fact]
    public void For_NaN_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NiceScale.For(double.NaN, 1));
    }

    /// <summary>Whether <paramref name="step"/> is 1, 2 or 5 × 10^k.</summary>
    public static bool IsNice(double step)
    {
        if (!(step > 0) || !double.IsFinite(step))
        {
            return false;
        }

        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        return new[] { 1.0, 2.0, 5.0, 10.0 }.Any(m => Math.Abs(mantissa - m) < 1e-9);
    }
}
