using OpenBsc.Application.Features.ReportingCycle;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.Reports;

/// <summary>The parts of a scorecard report; a briefing book chooses some (docs/reporting-cycle.md).</summary>
[Flags]
public enum ReportParts
{
    None = 0,
    Cover = 1,
    Map = 2,
    Dashboard = 4,
    Commentary = 8,
    Charts = 16,
    Actions = 32,
    Initiatives = 64,
    Risks = 128,
    All = Cover | Map | Dashboard | Commentary | Charts | Actions | Initiatives | Risks,
}

/// <summary>
/// Builds the report of a stored scorecard with what the reporting cycle adds to the engine's numbers: the period's
/// commentary and the open actions. Pages, downloads, the CLI and briefing books all build reports here.
/// </summary>
public sealed class ScorecardReports(ScorecardSnapshots snapshots, Commentary commentary, ItemActions actions, TimeProvider clock)
{
    /// <summary>
    /// The report of scorecard <paramref name="key"/> of the organisation for <paramref name="period"/> (null: its
    /// reporting period), judged on <paramref name="today"/>; null when there is no such scorecard.
    /// </summary>
    public async Task<ScorecardReport?> BuildAsync(Guid organisationId, string key, Period? period, DateOnly today, ReportParts parts = ReportParts.All, CancellationToken cancellationToken = default)
    {
        var snapshot = await snapshots.GetAsync(organisationId, key, cancellationToken);
        return snapshot is null ? null : await BuildAsync(snapshot, new PeriodView(period ?? snapshot.ReportingPeriod(today), false, today), parts, cancellationToken);
    }

    /// <summary>The report of a loaded scorecard for a view.</summary>
    public async Task<ScorecardReport> BuildAsync(ScorecardSnapshot snapshot, PeriodView view, ReportParts parts = ReportParts.All, CancellationToken cancellationToken = default)
    {
        var report = ScorecardReport.Build(snapshot.Model, snapshot.Bundle[0].Observations, view, clock.GetUtcNow().UtcDateTime);
        var notes = (parts & ReportParts.Commentary) != 0 ? await commentary.ForPeriodAsync(snapshot.Id, view.Period, cancellationToken) : new Dictionary<string, CommentaryEntry>();
        var open = (parts & ReportParts.Actions) != 0 ? await actions.ListAsync(snapshot.Id, openOnly: true, cancellationToken: cancellationToken) : [];
        return report.WithCycle(parts, notes, open, view.Today ?? DateOnly.MaxValue);
    }

    /// <summary>The reporting period of scorecard <paramref name="key"/> of the organisation on <paramref name="today"/>, or null.</summary>
    public async Task<Period?> ReportingPeriodAsync(Guid organisationId, string key, DateOnly today, CancellationToken cancellationToken = default) =>
        (await snapshots.GetAsync(organisationId, key, cancellationToken))?.ReportingPeriod(today);
}
