using OpenBsc.Domain.Formulas;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Scoring;

/// <summary>
/// The measure-level arithmetic of SCORING.md §1–§2, on plain numbers. NaN stands for "missing" on the way
/// in and out; callers turn it into null. Never throws, never returns infinity.
/// </summary>
public static class MeasureScoring
{
    /// <summary>
    /// progress = (v − b) / (t − b). Without a baseline, progress is the percent of target: v / t when higher is
    /// better, 2 − v / t when lower is better (as if b = 0, resp. b = 2t). NaN when b = t, t is missing, or t = 0
    /// without a baseline.
    /// </summary>
    public static double Progress(double v, double b, double t, Direction direction)
    {
        if (double.IsNaN(v) || double.IsNaN(t))
        {
            return double.NaN;
        }

        if (!double.IsNaN(b))
        {
            return b == t ? double.NaN : Finite((v - b) / (t - b));
        }

        if (t == 0 || direction == Direction.Range)
        {
            return double.NaN;
        }

        return Finite(direction == Direction.Decrease ? 2 - v / t : v / t);
    }

    /// <summary>performance = (v − mn) / (mx − mn), or (mx − v) / (mx − mn) when lower is better. NaN without a scale.</summary>
    public static double Performance(double v, double min, double max, Direction direction)
    {
        if (double.IsNaN(v) || double.IsNaN(min) || double.IsNaN(max) || max == min)
        {
            return double.NaN;
        }

        return Finite(direction == Direction.Decrease ? (max - v) / (max - min) : (v - min) / (max - min));
    }

    /// <summary>Spider Impact thresholds: d = G − R, score = (v − (R − d)) / (3d), so R scores 1/3 and G 2/3.</summary>
    public static double Thresholds(double v, double goal, double redFlag)
    {
        double d = goal - redFlag;
        return d == 0 || double.IsNaN(v) ? double.NaN : Finite((v - (redFlag - d)) / (3 * d));
    }

    /// <summary>1 inside [low, high]; linearly down to 0 at low − tolerance and high + tolerance.</summary>
    public static double Range(double v, double low, double high, double tolerance)
    {
        if (double.IsNaN(v))
        {
            return double.NaN;
        }

        double distance = v < low ? low - v : v > high ? v - high : 0;
        if (distance == 0)
        {
            return 1;
        }

        return tolerance > 0 ? Math.Max(0, 1 - distance / tolerance) : 0;
    }

    /// <summary>Percent of target: v / t when higher is better, 2 − v / t when lower is better; NaN when t = 0.</summary>
    public static double Ratio(double v, double t, Direction direction)
    {
        if (double.IsNaN(v) || double.IsNaN(t) || t == 0)
        {
            return double.NaN;
        }

        return Finite(direction == Direction.Decrease ? 2 - v / t : v / t);
    }

    /// <summary>Piecewise linear through points sorted by value; 0 below the first point, the last score above the last.</summary>
    public static double Points(double v, IReadOnlyList<ScorePoint> points)
    {
        if (double.IsNaN(v) || points.Count == 0 || v < points[0].Value)
        {
            return double.IsNaN(v) || points.Count == 0 ? double.NaN : 0;
        }

        for (int i = 1; i < points.Count; i++)
        {
            var (a, b) = (points[i - 1], points[i]);
            if (v < b.Value)
            {
                return Finite(a.Score + (b.Score - a.Score) * (v - a.Value) / (b.Value - a.Value));
            }
        }

        return points[^1].Score;
    }

    /// <summary>1 when the target is met (v ≥ t, or v ≤ t when lower is better), else 0.</summary>
    public static double Binary(double v, double t, Direction direction)
    {
        if (double.IsNaN(v) || double.IsNaN(t))
        {
            return double.NaN;
        }

        return (direction == Direction.Decrease ? v <= t : v >= t) ? 1 : 0;
    }

    /// <summary>
    /// The score of a measure: the raw score of its scoring type clamped to [0, cap] (range and binary stay in
    /// [0, 1]). NaN when it cannot be computed; always NaN for <see cref="ScoringType.None"/>.
    /// </summary>
    /// <param name="measure">The measure, for its scoring rule, direction and scale.</param>
    /// <param name="scoringFormula">The parsed expression of a formula scoring, else null.</param>
    /// <param name="v">The value for the window.</param>
    /// <param name="t">The target for the window (NaN when none).</param>
    /// <param name="progress">(v − b) / (t − b), unclamped.</param>
    /// <param name="performance">(v − mn) / (mx − mn) or its mirror, unclamped.</param>
    /// <param name="cap">The over-achievement cap (1 = none).</param>
    /// <param name="periods">
    /// For a sum or count viewed over several periods of its frequency, how many: the per-period parameters
    /// (baseline, min, max, goal, red flag, range, points) then stand for that many periods, as Spider Impact
    /// aggregates goals and red flags with the actuals. Scoring v against parameters × n equals scoring v / n
    /// against the parameters, which is what is done. 1 otherwise.
    /// </param>
    public static double Score(Measure measure, Formula? scoringFormula, double v, double t, double progress, double performance, double cap, double periods = 1)
    {
        var rule = measure.Scoring;
        double perPeriod = v / periods;
        double raw = rule.Type switch
        {
            ScoringType.Linear => measure.Scale == Scale.Performance ? performance : progress,
            ScoringType.Thresholds => Thresholds(perPeriod, rule.Goal ?? double.NaN, rule.RedFlag ?? double.NaN),
            ScoringType.Range => Range(perPeriod, rule.Low ?? double.NaN, rule.High ?? double.NaN, rule.Tolerance ?? 0),
            ScoringType.Ratio => Ratio(v, t, measure.Direction),
            ScoringType.Points => Points(perPeriod, rule.Points),
            ScoringType.Binary => Binary(v, t, measure.Direction),
            ScoringType.Formula when scoringFormula is not null && !double.IsNaN(v) => EvaluateScoringFormula(scoringFormula, measure, v, t, periods),
            _ => double.NaN,
        };
        return double.IsNaN(raw) ? double.NaN : Math.Clamp(raw, 0, Math.Max(cap, 1));
    }

    private static double EvaluateScoringFormula(Formula formula, Measure measure, double v, double t, double periods)
    {
        var inputs = new double?[formula.Parameters.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = formula.Parameters[i] switch
            {
                "v" => v,
                "t" => double.IsNaN(t) ? null : t,
                "b" => measure.Baseline * periods,
                "mn" => measure.Min * periods,
                "mx" => measure.Max * periods,
                _ => null,
            };
        }

        return formula.Evaluate(inputs) ?? double.NaN;
    }

    private static double Finite(double x) => double.IsFinite(x) ? x : double.NaN;
}
