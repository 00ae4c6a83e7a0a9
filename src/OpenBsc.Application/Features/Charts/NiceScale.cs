namespace OpenBsc.Application.Features.Charts;

/// <summary>
/// A value axis: <see cref="Ticks"/> from <see cref="Min"/> to <see cref="Max"/> every <see cref="Step"/>, where the
/// step is 1, 2 or 5 × 10^k and every tick a whole multiple of it.
/// </summary>
public sealed record NiceScale(double Min, double Max, double Step, IReadOnlyList<double> Ticks)
{
    /// <summary>Values beyond ±this are drawn at it: the axis stays finite whatever the data.</summary>
    public const double Limit = 1e300;

    /// <summary>
    /// The scale of at most about <paramref name="maxTicks"/> ticks covering <paramref name="low"/>..<paramref name="high"/>
    /// (either order). A range of one value (or one too narrow to split at double precision) is widened by 10% of
    /// the value either side, or to 0..1 around zero, so the axis never has zero height.
    /// </summary>
    public static NiceScale For(double low, double high, int maxTicks = 6)
    {
        if (double.IsNaN(low) || double.IsNaN(high))
        {
            throw new ArgumentOutOfRangeException(nameof(low), "A scale needs numbers, not NaN.");
        }

        double min = Math.Clamp(Math.Min(low, high), -Limit, Limit);
        double max = Math.Clamp(Math.Max(low, high), -Limit, Limit);
        double magnitude = Math.Max(Math.Abs(min), Math.Abs(max));
        if (max - min <= Math.Max(magnitude * 1e-9, 1e-200))
        {
            double centre = (min / 2) + (max / 2);
            if (Math.Abs(centre) < 1e-200)
            {
                (min, max) = (0, 1);
            }
            else
            {
                double pad = Math.Abs(centre) / 10;
                (min, max) = (centre - pad, centre + pad);
            }
        }

        int intervals = Math.Max(1, maxTicks - 1);
        double step = NiceStep((max / intervals) - (min / intervals));
        double first = Math.Floor(min / step);
        double last = Math.Ceiling(max / step);
        int count = (int)Math.Round(last - first);
        var ticks = new double[count + 1];
        int exponent = (int)Math.Floor(Math.Log10(step));
        for (int i = 0; i <= count; i++)
        {
            double tick = (first + i) * step;

            // Whole multiples of a decimal step print exactly: 0.30000000000000004 becomes 0.3.
            ticks[i] = exponent is < 0 and >= -15 ? Math.Round(tick, -exponent) : tick;
            if (ticks[i] == 0)
            {
                ticks[i] = 0; // no negative zero
            }
        }

        return new NiceScale(ticks[0], ticks[^1], step, ticks);
    }

    private static double NiceStep(double raw)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double fraction = raw / power;

        // The tolerance absorbs rounding (0.2 / 0.1 is 2.0000000000000004), which would pick the next step up.
        const double tolerance = 1e-9;
        double nice = fraction <= 1 + tolerance ? 1 : fraction <= 2 + tolerance ? 2 : fraction <= 5 + tolerance ? 5 : 10;
        return nice * power;
    }
}
