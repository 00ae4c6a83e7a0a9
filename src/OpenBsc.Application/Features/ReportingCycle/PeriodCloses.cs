using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.ReportingCycle;

/// <summary>A close as listed: open while <see cref="ReopenedAt"/> is null.</summary>
public sealed record PeriodCloseEntry(long Id, string Period, DateOnly LastDay, DateTime ClosedAt, string? ClosedBy, DateTime? ReopenedAt, string? ReopenedBy, string? ReopenReason);

/// <summary>What closing or reopening did.</summary>
public sealed record PeriodCloseWrite(EditStatus Status, string Message, int BooksQueued = 0, string? Field = null);

/// <summary>What is still missing before a period is closed: values, and commentary on items that need explaining.</summary>
public sealed record Completeness(IReadOnlyList<CompletenessItem> MissingValues, IReadOnlyList<CompletenessItem> MissingCommentary)
{
    public bool IsComplete => MissingValues.Count == 0 && MissingCommentary.Count == 0;
}

/// <summary>One line of the completeness panel: the item, its owner, and why it is listed.</summary>
public sealed record CompletenessItem(string Id, string Name, string Kind, string? Owner, string Why);

/// <summary>
/// Period close (docs/reporting-cycle.md): an editor closes a reporting period of a scorecard (or of every scorecard of
/// the organisation); values of that period and earlier are then locked, and a correction needs an administrator to
/// reopen the period with a reason. Closing moves the scorecard's data version (pages and the reporting period follow
/// at the next request) and queues the briefing books sent on close.
/// </summary>
public sealed class PeriodCloses(IDbContextFactory<OpenBscDbContext> contexts, ScorecardSnapshots snapshots, TimeProvider clock)
{
    /// <summary>Every close of a scorecard, the latest first.</summary>
    public async Task<IReadOnlyList<PeriodCloseEntry>> ListAsync(Guid scorecardId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PeriodCloses.AsNoTracking().Where(c => c.ScorecardId == scorecardId).OrderByDescending(c => c.Id)
            .Select(c => new PeriodCloseEntry(c.Id, c.Period, c.LastDay, c.ClosedAt, c.ClosedBy, c.ReopenedAt, c.ReopenedBy, c.ReopenReason))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The last day locked for a scorecard: values of periods ending on or before it may not change (null: nothing locked).</summary>
    public static Task<DateOnly?> LockedThroughAsync(OpenBscDbContext db, Guid scorecardId, CancellationToken cancellationToken) =>
        db.PeriodCloses.AsNoTracking().Where(c => c.ScorecardId == scorecardId && c.ReopenedAt == null)
            .MaxAsync(c => (DateOnly?)c.LastDay, cancellationToken);

    /// <summary>
    /// Closes <paramref name="period"/> for a scorecard. The period must have ended by <paramref name="today"/> and lie
    /// after the period closed last.
    /// </summary>
    public async Task<PeriodCloseWrite> CloseAsync(ScorecardSnapshot scorecard, Period period, DateOnly today, string by, CancellationToken cancellationToken = default)
    {
        var calendar = scorecard.Scorecard.Calendar;
        var lastDay = period.End(calendar);
        if (lastDay > today)
        {
            return new PeriodCloseWrite(EditStatus.Invalid, $"period: {period} has not ended yet (its last day is {lastDay:yyyy-MM-dd}); a period is closed once it is over.", Field: "period");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ReportingItems.TouchAsync(db, scorecard.Id, cancellationToken);
        var locked = await LockedThroughAsync(db, scorecard.Id, cancellationToken);
        if (locked is { } through && through >= lastDay)
        {
            return new PeriodCloseWrite(EditStatus.Conflict, $"{scorecard.Scorecard.Name}: {period} is already closed (values are locked through {through:yyyy-MM-dd}).", Field: "period");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.PeriodCloses.Add(new StoredPeriodClose
        {
            OrganisationId = scorecard.OrganisationId,
            ScorecardId = scorecard.Id,
            Period = period.ToString(),
            LastDay = lastDay,
            ClosedAt = now,
            ClosedBy = by,
        });
        int books = await BriefingBooks.QueueOnCloseAsync(db, scorecard, period, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PeriodCloseWrite(EditStatus.Saved, $"{period} closed for {scorecard.Scorecard.Name}: its values are locked." + (books > 0 ? $" {books} briefing book e-mail{(books == 1 ? "" : "s")} queued." : ""), books);
    }

    /// <summary>Closes <paramref name="period"/> for every scorecard of the organisation not closed through it yet.</summary>
    public async Task<IReadOnlyList<(string Scorecard, PeriodCloseWrite Result)>> CloseOrganisationAsync(Guid organisationId, Period period, DateOnly today, string by, CancellationToken cancellationToken = default)
    {
        List<string> keys;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            keys = await db.Scorecards.AsNoTracking().IgnoreQueryFilters().Where(s => s.OrganisationId == organisationId && s.ArchivedAt == null)
                .OrderBy(s => s.Name).Select(s => s.Key).ToListAsync(cancellationToken);
        }

        var results = new List<(string, PeriodCloseWrite)>();
        foreach (string key in keys)
        {
            if (await snapshots.GetAsync(key, cancellationToken) is { } snapshot && snapshot.OrganisationId == organisationId)
            {
                results.Add((snapshot.Scorecard.Name, await CloseAsync(snapshot, period, today, by, cancellationToken)));
            }
        }

        return results;
    }

    /// <summary>
    /// Reopens <paramref name="period"/> (and any later closed period) for corrections: administrators only (checked
    /// by the caller), with the reason kept beside the close and in the audit log.
    /// </summary>
    public async Task<PeriodCloseWrite> ReopenAsync(ScorecardSnapshot scorecard, Period period, string reason, string by, CancellationToken cancellationToken = default)
    {
        reason = (reason ?? string.Empty).Trim();
        if (reason.Length == 0)
        {
            return new PeriodCloseWrite(EditStatus.Invalid, "reason: say why the period is reopened (it is kept in the audit log).", Field: "reason");
        }

        if (CommentaryText.Problem(reason, "reason", 2000) is { } problem)
        {
            return new PeriodCloseWrite(EditStatus.Invalid, problem, Field: "reason");
        }

        var lastDay = period.End(scorecard.Scorecard.Calendar);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ReportingItems.TouchAsync(db, scorecard.Id, cancellationToken);
        var closes = await db.PeriodCloses.Where(c => c.ScorecardId == scorecard.Id && c.ReopenedAt == null && c.LastDay >= lastDay).ToListAsync(cancellationToken);
        if (closes.Count == 0)
        {
            return new PeriodCloseWrite(EditStatus.NotFound, $"{period} is not closed for {scorecard.Scorecard.Name}; there is nothing to reopen.", Field: "period");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var close in closes)
        {
            close.ReopenedAt = now;
            close.ReopenedBy = by;
            close.ReopenReason = reason;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var reopened = closes.OrderBy(c => c.LastDay).Select(c => c.Period);
        return new PeriodCloseWrite(EditStatus.Saved, $"Reopened {string.Join(", ", reopened)} for {scorecard.Scorecard.Name}: values can be corrected again.");
    }

    /// <summary>
    /// What is missing for a period: measures without a value (or with a sub-period that has ended without one), and
    /// objectives and measures that are not green and have no analysis yet (they need explaining at the review).
    /// </summary>
    public static Completeness Check(ScorecardSnapshot scorecard, ScorecardEvaluation evaluation, IReadOnlyDictionary<string, CommentaryEntry> commentary)
    {
        var values = new List<CompletenessItem>();
        var notes = new List<CompletenessItem>();
        string own = scorecard.Scorecard.Id;
        var objectives = scorecard.Scorecard.AllObjectives().ToDictionary(o => o.Id, StringComparer.Ordinal);
        foreach (var node in scorecard.Model.Nodes)
        {
            if (node.ScorecardId != own || node.Kind is not (NodeKind.Objective or NodeKind.Measure))
            {
                continue;
            }

            var score = evaluation[node.Index];
            string? owner = node.Measure?.Owner ?? objectives.GetValueOrDefault(node.Id)?.Owner;
            string kind = node.Kind == NodeKind.Measure ? "measure" : "objective";
            if (node.Measure is { } measure && measure.Scoring.Type != ScoringType.None && !measure.IsCalculated)
            {
                if (score.Value is null)
                {
                    values.Add(new CompletenessItem(node.Id, node.Name, kind, owner, "no value"));
                }
                else if (score.Coverage.Incomplete)
                {
                    values.Add(new CompletenessItem(node.Id, node.Name, kind, owner, $"{score.Coverage.Missing} of {score.Coverage.Of} periods without a value"));
                }
            }

            if (score.Status is Status.Red or Status.Yellow && !(commentary.TryGetValue(node.Id, out var c) && c.Analysis.Length > 0))
            {
                notes.Add(new CompletenessItem(node.Id, node.Name, kind, owner, $"{score.Status} without an analysis"));
            }
        }

        return new Completeness(values, notes);
    }
}
