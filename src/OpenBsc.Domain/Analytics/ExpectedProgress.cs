using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Analytics;

/// <summary>
/// Where a measure stands against its plan (<see cref="ExpectedProgress.Evaluate"/>).
/// </summary>
/// <param name="Expected">The value the plan expects at the date.</param>
/// <param name="ExpectedProgress">(expected − b) / (t − b): 0 before the start, 1 from the target date on.</param>
/// <param name="ActualProgress">(actual − b) / (t − b), unclamped (above 1 when beyond target, negative when behind the baseline); null without an actual.</param>
/// <param name="Health">
/// ActualProgress / ExpectedProgress, unclamped (1 = on plan, below 1 = behind, above 1 = ahead). When nothing is
/// expected yet (ExpectedProgress = 0): 1 if the actual is also at the baseline, otherwise null (ahead of or behind
/// a plan that expects nothing has no ratio). Null without an actual.
/// </param>
public sealed record ProgressHealth(double Expected, double ExpectedProgress, double? ActualProgress, double? Health);

/// <summary>
/// Expected progress (Cascade, SCORING.md §7) of a measure planned to move from a baseline at a start date to a
/// target at a target date, judged at one date. Progress is measured from the baseline:
/// (value − baseline) / (target − baseline), so the same formula serves "lower is better" (baseline above target).
/// </summary>
public static class ExpectedProgress
{
    /// <summary>
    /// The plan at <paramref name="at"/>. Without milestones the expected value moves linearly by day:
    /// b + (t − b) · clamp((at − start) / (targetDate − start), 0, 1). With milestones it moves in steps: the
    /// baseline before the first milestone, each milestone's value from its date on, and the target from the target
    /// date on (milestones after the target date are ignored). Dates are inclusive: a step is reached on its date.
    /// A non-finite <paramref name="actual"/> counts as none.
    /// </summary>
    /// <exception cref="ArgumentException">baseline = target, a non-finite number, or a target date before the start.</exception>
    public static ProgressHealth Evaluate(
        double baseline,
        double target,
        DateOnly start,
        DateOnly targetDate,
        IReadOnlyList<Milestone>? milestones,
        DateOnly at,
        double? actual)
    {
        if (!double.IsFinite(baseline) || !double.IsFinite(target))
        {
            throw new ArgumentException("Baseline and target must be finite numbers.", nameof(target));
        }

        if (baseline == target)
        {
            throw new ArgumentException($"The target equals the baseline ({baseline}): progress is undefined.", nameof(target));
        }

        if (targetDate < start)
        {
            throw new ArgumentException($"The target date {targetDate:yyyy-MM-dd} is before the start {start:yyyy-MM-dd}.", nameof(targetDate));
        }

        double expected = milestones is { Count: > 0 }
            ? Stepped(baseline, target, targetDate, milestones, at)
            : Linear(baseline, target, start, targetDate, at);
        double span = target - baseline;
        double expectedProgress = (expected - baseline) / span;
        double? actualProgress = actual is double a && double.IsFinite(a) ? (a - baseline) / span : null;
        double? health = actualProgress switch
        {
            null => null,
            double p when expectedProgress != 0 => p / expectedProgress,
            0.0 => 1,
            _ => null,
        };
        return new ProgressHealth(expected, expectedProgress, actualProgress, health is double h && double.IsFinite(h) ? h : null);
    }

    private static double Linear(double baseline, double target, DateOnly start, DateOnly targetDate, DateOnly at)
    {
        if (at >= targetDate)
        {
            return target;
        }

        if (at <= start)
        {
            return baseline;
        }

        double fraction = (double)(at.DayNumber - start.DayNumber) / (targetDate.DayNumber - start.DayNumber);
        return baseline + (target - baseline) * fraction;
    }

    private static double Stepped(double baseline, double target, DateOnly targetDate, IReadOnlyList<Milestone> milestones, DateOnly at)
    {
        if (at >= targetDate)
        {
            return target;
        }

        // The latest milestone reached by `at` (the last one written wins among milestones of the same date).
        double expected = baseline;
        DateOnly reached = DateOnly.MinValue;
        bool any = false;
        foreach (var milestone in milestones)
        {
            if (milestone.Date <= at && milestone.Date < targetDate && (!any || milestone.Date >= reached) && double.IsFinite(milestone.Value))
            {
                reached = milestone.Date;
                expected = milestone.Value;
                any = true;
            }
        }

        return expected;
    }
}
