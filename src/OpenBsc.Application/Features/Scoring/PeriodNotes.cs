using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.Scoring;

/// <summary>
/// How pages, reports and the CLI say that a period is not over or not fully reported (docs/scoring.md §5, "Periods
/// in progress"): one wording everywhere.
/// </summary>
public static class PeriodNotes
{
    /// <summary>"in progress — 2 of 3 months", "not started yet", or null for a period that has ended.</summary>
    public static string? State(PeriodCoverage coverage, PeriodKind unit) => coverage.State switch
    {
        PeriodState.InProgress when coverage.Of > 1 => $"in progress — {coverage.Elapsed} of {coverage.Of} {Unit(unit, coverage.Of)}",
        PeriodState.InProgress => "in progress",
        PeriodState.NotStarted => "not started yet",
        _ => null,
    };

    /// <summary>
    /// For a measure: "incomplete — 1 of 3 months without a value" when some sub-period that has ended has no value but
    /// others have (a measure without any value is simply "no data"); else null.
    /// </summary>
    public static string? Incomplete(NodeScore score, PeriodKind frequency)
    {
        var c = score.Coverage;
        if (!c.Incomplete || c.Missing >= c.Elapsed && score.Value is null)
        {
            return null;
        }

        return c.Of == 1 ? "incomplete" : $"incomplete — {c.Missing} of {c.Of} {Unit(frequency, c.Of)} without a value";
    }

    /// <summary>A measure with a value but no target where its scoring needs one: shown as "no target", not "no data".</summary>
    public static bool NoTarget(NodeScore score) => score is { Status: Status.Gray, Value: not null, Target: null, Score: null };

    private static string Unit(PeriodKind kind, int count) => (kind, count == 1) switch
    {
        (PeriodKind.Day, true) => "day",
        (PeriodKind.Day, false) => "days",
        (PeriodKind.Week, true) => "week",
        (PeriodKind.Week, false) => "weeks",
        (PeriodKind.Month, true) => "month",
        (PeriodKind.Month, false) => "months",
        (PeriodKind.Quarter, true) => "quarter",
        (PeriodKind.Quarter, false) => "quarters",
        (PeriodKind.HalfYear, true) => "half-year",
        (PeriodKind.HalfYear, false) => "half-years",
        (_, true) => "year",
        _ => "years",
    };
}
