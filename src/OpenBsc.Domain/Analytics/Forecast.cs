using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Analytics;

/// <summary>A measure's value for one period; null when it has none.</summary>
public readonly record struct PeriodValue(Period Period, double? Value);

/// <summary>
/// What a forecast is judged against: the target for <see cref="Direction.Increase"/> (met when the projection
/// is ≥ it) and <see cref="Direction.Decrease"/> (≤ it); the band [<see cref="Low"/>, <see cref="High"/>] for
/// <see cref="Direction.Range"/>.
/// </summary>
public sealed record ForecastGoal(Direction Direction, double? Target, double? Low = null, double? High = null)
{
    /// <summary>Whether <paramref name="projected"/> meets the goal; null when the goal is not set.</summary>
    public bool? IsMetBy(double projected) => Direction switch
    {
        Direction.Range => Low is double low && High is double high ? projected >= low && projected <= high : null,
        Direction.Decrease => Target is double t ? projected <= t : null,
        _ => Target is double t ? projected >= t : null,
    };
}

/// <summary>How a forecast is fitted (SCORING.md §7): the last 8 periods with a value, at least 4, an 80% interval.</summary>
public sealed record ForecastOptions
{
    public static readonly ForecastOptions Default = new();

    /// <summary>k: the line is fitted over the last k periods that have a value.</summary>
    public int Window { get; init; } = 8;

    /// <summary>Fewer points than this give "not enough data"; at least 3 (the interval needs n − 2 ≥ 1).</summary>
    public int MinimumPoints { get; init; } = 4;

    /// <summary>Coverage of the two-sided prediction interval: 0.8 uses t(0.90, n − 2).</summary>
    public double Confidence { get; init; } = 0.8;
}

/// <summary>
/// A least-squares forecast of a measure (SCORING.md §7). <see cref="Slope"/> is in value units per period;
/// <see cref="Projected"/> is the line's value at the target period, with the prediction interval
/// [<see cref="Low"/>, <see cref="High"/>]; <see cref="OnTrack"/> tells whether the projection meets the goal.
/// Nothing is ever NaN: what cannot be computed is null, and <see cref="Reason"/> says why.
/// </summary>
public sealed record Forecast(int Points, double? Slope, double? Projected, double? Low, double? High, double? Target, bool? OnTrack, string? Reason)
{
    public const string NotEnoughData = "not enough data";

    /// <summary>
    /// Fits the last <see cref="ForecastOptions.Window"/> values of <paramref name="series"/> (periods without a value,
    /// or with a non-finite one, are skipped) and projects to <paramref name="targetPeriod"/>. x is the period offset
    /// (<see cref="Period.StepsSince"/>), so gaps keep their true distance. Every period must be of the target's kind.
    /// </summary>
    public static Forecast Project(IReadOnlyList<PeriodValue> series, Period targetPeriod, ForecastGoal goal, ForecastOptions? options = null)
    {
        options ??= ForecastOptions.Default;
        var known = new List<(Period Period, double Value)>(series.Count);
        foreach (var point in series)
        {
            if (point.Period.Kind != targetPeriod.Kind)
            {
                throw new ArgumentException($"Period {point.Period} is not of the target period's kind ({Period.KindName(targetPeriod.Kind)}).", nameof(series));
            }

            if (point.Value is double v && double.IsFinite(v))
            {
                known.Add((point.Period, v));
            }
        }

        known.Sort((a, b) => a.Period.CompareTo(b.Period));
        int from = Math.Max(0, known.Count - Math.Max(1, options.Window));
        int n = known.Count - from;
        if (n == 0)
        {
            return new Forecast(0, null, null, null, null, goal.Target, null, NotEnoughData);
        }

        var origin = known[from].Period;
        Span<double> x = n <= 64 ? stackalloc double[n] : new double[n];
        Span<double> y = n <= 64 ? stackalloc double[n] : new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = known[from + i].Period.StepsSince(origin);
            y[i] = known[from + i].Value;
        }

        return Fit(x, y, targetPeriod.StepsSince(origin), goal, options);
    }

    /// <summary>
    /// Ordinary least squares of y on x, projected to <paramref name="x0"/>:
    /// slope b₁ = Sxy / Sxx, ŷ₀ = ȳ + b₁ (x₀ − x̄), residual standard error s = √(Σ(y − ŷ)² / (n − 2)), and the
    /// prediction interval ŷ₀ ± t((1 + confidence) / 2, n − 2) · s · √(1 + 1/n + (x₀ − x̄)² / Sxx).
    /// All points are used (the caller picks the window). A constant y gives slope 0 and an interval of width 0;
    /// fewer than <see cref="ForecastOptions.MinimumPoints"/> finite points, or all at one x (Sxx = 0), give
    /// <see cref="NotEnoughData"/>.
    /// </summary>
    public static Forecast Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double x0, ForecastGoal goal, ForecastOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(y.Length, x.Length);
        options ??= ForecastOptions.Default;
        if (!(options.Confidence > 0 && options.Confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Confidence, "Confidence must lie strictly between 0 and 1.");
        }

        int n = 0;
        double sumX = 0, sumY = 0, minY = double.PositiveInfinity, maxY = double.NegativeInfinity;
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsFinite(x[i]) && double.IsFinite(y[i]))
            {
                n++;
                sumX += x[i];
                sumY += y[i];
                minY = Math.Min(minY, y[i]);
                maxY = Math.Max(maxY, y[i]);
            }
        }

        if (n < Math.Max(3, options.MinimumPoints) || !double.IsFinite(x0))
        {
            return new Forecast(n, null, null, null, null, goal.Target, null, NotEnoughData);
        }

        double meanX = sumX / n;
        double meanY = minY == maxY ? minY : sumY / n;
        double sxx = 0, sxy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsFinite(x[i]) && double.IsFinite(y[i]))
            {
                double dx = x[i] - meanX;
                sxx += dx * dx;
                sxy += dx * (y[i] - meanY);
            }
        }

        if (!(sxx > 0))
        {
            return new Forecast(n, null, null, null, null, goal.Target, null, NotEnoughData);
        }

        // A constant series is exactly flat: no rounding noise in the slope or the interval.
        double slope = minY == maxY ? 0 : sxy / sxx;
        double sse = 0;
        if (minY != maxY)
        {
            for (int i = 0; i < x.Length; i++)
            {
                if (double.IsFinite(x[i]) && double.IsFinite(y[i]))
                {
                    double residual = y[i] - (meanY + slope * (x[i] - meanX));
                    sse += residual * residual;
                }
            }
        }

        double projected = meanY + slope * (x0 - meanX);
        double s = Math.Sqrt(sse / (n - 2));
        double t = StudentT.Quantile((1 + options.Confidence) / 2, n - 2);
        double lever = (x0 - meanX) * (x0 - meanX) / sxx;
        double half = t * s * Math.Sqrt(1 + 1.0 / n + lever);
        if (!double.IsFinite(projected) || !double.IsFinite(half) || !double.IsFinite(slope))
        {
            return new Forecast(n, null, null, null, null, goal.Target, null, NotEnoughData);
        }

        return new Forecast(n, slope, projected, projected - half, projected + half, goal.Target, goal.IsMetBy(projected), null);
    }
}
