namespace OpenBsc.Domain.Analytics;

/// <summary>A Pearson correlation over <see cref="Pairs"/> pairs; <see cref="R"/> is null when undefined (fewer than 2 pairs, or a series without variance).</summary>
public readonly record struct PairedCorrelation(int Pairs, double? R);

/// <summary>Pearson correlation of two series of the same periods, NaN marking a missing value.</summary>
public static class Correlation
{
    /// <summary>
    /// r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²) over the pairs (x[i], y[i + <paramref name="lag"/>]) where
    /// both values are finite (pairwise deletion). r is clamped to [−1, 1] against rounding. A series that does not vary over the pairs has no
    /// correlation: r is null, never NaN.
    /// </summary>
    public static PairedCorrelation Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int lag = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lag);
        int n = 0;
        double sumX = 0, sumY = 0;
        int last = Math.Min(x.Length, y.Length - lag);
        for (int i = 0; i < last; i++)
        {
            double a = x[i], b = y[i + lag];
            if (double.IsFinite(a) && double.IsFinite(b))
            {
                n++;
                sumX += a;
                sumY += b;
            }
        }

        if (n < 2)
        {
            return new PairedCorrelation(n, null);
        }

        double meanX = sumX / n, meanY = sumY / n;
        double sxx = 0, syy = 0, sxy = 0;
        bool variesX = false, variesY = false;
        double firstX = double.NaN, firstY = double.NaN;
        for (int i = 0; i < last; i++)
        {
            double a = x[i], b = y[i + lag];
            if (!double.IsFinite(a) || !double.IsFinite(b))
            {
                continue;
            }

            // Exact variation test: rounding in the mean must not turn a constant series into a tiny variance.
            if (double.IsNaN(firstX))
            {
                firstX = a;
                firstY = b;
            }

            variesX |= a != firstX;
            variesY |= b != firstY;
            double dx = a - meanX, dy = b - meanY;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }

        if (!variesX || !variesY || !(sxx > 0) || !(syy > 0))
        {
            return new PairedCorrelation(n, null);
        }

        double r = sxy / Math.Sqrt(sxx * syy);
        return new PairedCorrelation(n, double.IsFinite(r) ? Math.Clamp(r, -1, 1) : null);
    }
}
