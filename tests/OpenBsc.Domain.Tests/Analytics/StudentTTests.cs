using CsCheck;
using OpenBsc.Domain.Analytics;

namespace OpenBsc.Domain.Tests.Analytics;

/// <summary>The Student t quantile against printed tables (e.g. NIST/SEMATECH e-Handbook, table of t critical values).</summary>
public class StudentTTests
{
    [Theory]
    [InlineData(0.90, 1, 3.077684)]
    [InlineData(0.90, 2, 1.885618)]
    [InlineData(0.90, 3, 1.637744)]
    [InlineData(0.90, 4, 1.533206)]
    [InlineData(0.90, 6, 1.439756)]
    [InlineData(0.90, 10, 1.372184)]
    [InlineData(0.90, 30, 1.310415)]
    [InlineData(0.90, 100, 1.290075)]
    [InlineData(0.95, 10, 1.812461)]
    [InlineData(0.975, 5, 2.570582)]
    [InlineData(0.975, 30, 2.042272)]
    [InlineData(0.995, 3, 5.840909)]
    public void Quantile_TableValues_MatchToSixDecimals(double p, double degrees, double expected)
    {
        Assert.Equal(expected, StudentT.Quantile(p, degrees), 6);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(2.5)]
    public void Quantile_LowerTail_IsTheNegatedUpperTail(double degrees)
    {
        Assert.Equal(-StudentT.Quantile(0.9, degrees), StudentT.Quantile(0.1, degrees), 12);
        Assert.Equal(0, StudentT.Quantile(0.5, degrees));
    }

    [Fact]
    public void Cdf_OfQuantile_GivesBackP()
    {
        Gen.Select(Gen.Double[0.001, 0.999], Gen.Double[0.5, 200]).Sample((p, degrees) =>
        {
            double t = StudentT.Quantile(p, degrees);
            Assert.True(double.IsFinite(t));
            Assert.Equal(p, StudentT.Cdf(t, degrees), 9);
        });
    }

    [Fact]
    public void Cdf_LargeDegrees_ApproachesTheNormal()
    {
        // Φ(1.281552) = 0.9: t with a million degrees of freedom is the normal to 6 decimals.
        Assert.Equal(0.9, StudentT.Cdf(1.2815516, 1e6), 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Quantile_POutsideZeroOne_Throws(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile(p, 3));
    }
}
