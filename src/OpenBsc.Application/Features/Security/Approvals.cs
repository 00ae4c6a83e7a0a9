using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;

namespace OpenBsc.Application.Features.Security;

/// <summary>A value waiting for approval (or decided), as listed.</summary>
public sealed record PendingRow(long Id, string Measure, string? Segment, string Period, double Value, string? Note, string? Reason, string SubmittedBy, DateTime SubmittedAt, string State, string? DecidedBy);

/// <summary>
/// Approval of submitted values (as BSC Designer and Spider Impact offer): on a scorecard that requires it, a data
/// updater's value is stored here as pending, used by no score, until an editor or administrator approves it (it is
/// then written as an observation, by its submitter, through the normal path) or rejects it.
/// </summary>
public sealed class Approvals(IDbContextFactory<OpenBscDbContext> contexts, ScorecardSnapshots snapshots, MeasureObservations observations, TimeProvider clock)
{
    public async Task<(PendingRow? Row, string? Field, string? Problem)> SubmitAsync(ScorecardRef scorecard, string measure, Period period, string? segment, double value, string? note, string? reason, string by, CancellationToken cancellationToken = default)
    {
        if (!double.IsFinite(value))
        {
            return (null, "value", "expected a finite number");
        }

        var snapshot = await snapshots.GetAsync(scorecard.Key, cancellationToken);
        var known = snapshot?.Scorecard.AllMeasures().FirstOrDefault(m => m.Id == measure);
        if (known is null)
        {
            return (null, "measure", $"There is no measure '{measure}' in scorecard '{scorecard.Key}'.");
        }

        if (known.Formula is not null)
        {
            return (null, "measure", $"'{measure}' is a calculated measure; it takes no observations");
        }

        if (note?.Length > 2000 || reason?.Length > 2000)
        {
            return (null, "note", "a note or reason is at most 2,000 characters");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = new StoredPendingObservation
        {
            OrganisationId = scorecard.OrganisationId,
            ScorecardId = scorecard.Id,
            MeasureKey = measure,
            Segment = segment,
            Period = period.ToString(),
            Value = value,
            Note = note,
            Reason = reason,
            SubmittedBy = by,
            SubmittedAt = clock.GetUtcNow().UtcDateTime,
            State = ApprovalState.Pending,
        };
        db.PendingObservations.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return (ToRow(row), null, null);
    }

    public async Task<IReadOnlyList<PendingRow>> ListAsync(ScorecardRef scorecard, bool pendingOnly = true, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.PendingObservations.AsNoTracking()
            .Where(p => p.ScorecardId == scorecard.Id && (!pendingOnly || p.State == ApprovalState.Pending))
            .OrderBy(p => p.Id).Take(1000).ToListAsync(cancellationToken);
        return [.. rows.Select(ToRow)];
    }

    /// <summary>Approves (writes the value) or rejects a pending value of this scorecard; the problem says why not.</summary>
    public async Task<string?> DecideAsync(ScorecardRef scorecard, long id, bool approve, string by, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = await db.PendingObservations.FirstOrDefaultAsync(p => p.Id == id && p.ScorecardId == scorecard.Id, cancellationToken);
        if (pending is null)
        {
            return $"There is no submitted value {id} for scorecard '{scorecard.Key}'.";
        }

        if (pending.State != ApprovalState.Pending)
        {
            return $"This value was {pending.State.ToString().ToLowerInvariant()} already by {pending.DecidedBy}.";
        }

        if (approve)
        {
            var period = Period.Parse(pending.Period);
            var current = await observations.CurrentAsync(scorecard.Key, pending.MeasureKey, period, pending.Segment, cancellationToken);
            var write = current is null
                ? await observations.AddAsync(scorecard.Key, pending.MeasureKey, period, pending.Value, pending.Note, pending.Segment, pending.SubmittedBy, cancellationToken)
                : await observations.CorrectAsync(scorecard.Key, pending.MeasureKey, period, pending.Segment, pending.Value, pending.Note,
                    string.IsNullOrWhiteSpace(pending.Reason) ? $"approved by {by}" : pending.Reason, null, pending.SubmittedBy, cancellationToken);
            if (write.Status != EditStatus.Saved)
            {
                return write.Message ?? string.Join("; ", write.Errors.Select(e => e.Message));
            }
        }

        pending.State = approve ? ApprovalState.Approved : ApprovalState.Rejected;
        pending.DecidedBy = by;
        pending.DecidedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Turns approval on or off for a scorecard.</summary>
    public async Task SetRequiredAsync(ScorecardRef scorecard, bool required, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.Scorecards.SingleAsync(s => s.Id == scorecard.Id, cancellationToken);
        stored.RequiresApproval = required;
        // A change every node must see: the data stamp (page cache, cached scorecard lookups) moves with it.
        stored.DataVersion++;
        await db.SaveChangesAsync(cancellationToken);
    }

    private static PendingRow ToRow(StoredPendingObservation p) =>
        new(p.Id, p.MeasureKey, p.Segment, p.Period, p.Value, p.Note, p.Reason, p.SubmittedBy, p.SubmittedAt, p.State.ToString().ToLowerInvariant(), p.DecidedBy);
}
