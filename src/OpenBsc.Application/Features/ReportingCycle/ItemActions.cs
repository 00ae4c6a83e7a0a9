using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.ReportingCycle;

/// <summary>An action as listed: <see cref="Version"/> is its ETag.</summary>
public sealed record ActionEntry(long Id, string Item, string Title, string? Owner, DateOnly? Due, string Status, long Version, DateTime CreatedAt, string? CreatedBy, DateTime UpdatedAt, string? UpdatedBy)
{
    public bool IsOpen => Status == ActionStatus.Open;

    /// <summary>Open and past its due date on <paramref name="today"/>.</summary>
    public bool IsLate(DateOnly today) => IsOpen && Due is { } due && due < today;
}

/// <summary>What an action change did: the action as stored, or why nothing changed (naming the field).</summary>
public sealed record ActionWrite(EditStatus Status, ActionEntry? Action, string? Message, string? Field = null);

/// <summary>
/// Actions opened on objectives and measures (what we will do about a red item): who, what, by when, open or done.
/// Spider Impact's "Red KPIs without tasks" becomes the alert kind <c>RedWithoutAction</c>.
/// </summary>
public sealed class ItemActions(IDbContextFactory<OpenBscDbContext> contexts, TimeProvider clock)
{
    public const int MaxTitle = 300;

    /// <summary>The actions of a scorecard (of one item when <paramref name="item"/> is given), open ones first, then by due date.</summary>
    public async Task<IReadOnlyList<ActionEntry>> ListAsync(Guid scorecardId, string? item = null, bool openOnly = false, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.Actions.AsNoTracking().Where(a => a.ScorecardId == scorecardId);
        if (item is not null)
        {
            rows = rows.Where(a => a.Item == item);
        }

        if (openOnly)
        {
            rows = rows.Where(a => a.Status == ActionStatus.Open);
        }

        var list = await rows.Select(Entry).ToListAsync(cancellationToken);
        return [.. list.OrderBy(a => a.IsOpen ? 0 : 1).ThenBy(a => a.Due ?? DateOnly.MaxValue).ThenBy(a => a.Id)];
    }

    /// <summary>The open actions of several scorecards, with the scorecard each is on ("my items" filters them by owner).</summary>
    public async Task<IReadOnlyList<(Guid ScorecardId, ActionEntry Action)>> OpenInAsync(IReadOnlyCollection<Guid> scorecardIds, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Actions.AsNoTracking().Where(a => scorecardIds.Contains(a.ScorecardId) && a.Status == ActionStatus.Open).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Due ?? DateOnly.MaxValue).ThenBy(r => r.Id).Select(r => (r.ScorecardId, ToEntry(r)))];
    }

    public async Task<ActionEntry?> GetAsync(Guid scorecardId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Actions.AsNoTracking().Where(a => a.ScorecardId == scorecardId && a.Id == id).Select(Entry).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Opens an action on an objective or measure of the scorecard.</summary>
    public async Task<ActionWrite> OpenAsync(ScorecardSnapshot scorecard, string item, string title, string? owner, DateOnly? due, string by, CancellationToken cancellationToken = default)
    {
        if (ReportingItems.Find(scorecard, item) is not { Kind: NodeKind.Objective or NodeKind.Measure })
        {
            return new ActionWrite(EditStatus.NotFound, null, $"item: there is no objective or measure '{item}' in scorecard '{scorecard.Scorecard.Name}'.", "item");
        }

        if (Check(title, owner) is { } invalid)
        {
            return invalid;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await Security.ForeignOwners.ProblemAsync(db, scorecard.OrganisationId, owner, cancellationToken) is { } foreign)
        {
            return new ActionWrite(EditStatus.Invalid, null, $"owner: {foreign}.", "owner");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ReportingItems.TouchAsync(db, scorecard.Id, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new StoredAction
        {
            OrganisationId = scorecard.OrganisationId,
            ScorecardId = scorecard.Id,
            Item = item,
            Title = title.Trim(),
            Owner = string.IsNullOrWhiteSpace(owner) ? null : owner.Trim(),
            Due = due,
            Status = ActionStatus.Open,
            CreatedAt = now,
            CreatedBy = by,
            UpdatedAt = now,
            UpdatedBy = by,
        };
        db.Actions.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ActionWrite(EditStatus.Saved, ToEntry(row), "Action opened.");
    }

    /// <summary>
    /// Changes an action (title, owner, due date, open/done). <paramref name="expectedVersion"/> is the version the
    /// writer saw: an action changed meanwhile is not overwritten.
    /// </summary>
    public async Task<ActionWrite> UpdateAsync(ScorecardSnapshot scorecard, long id, long expectedVersion, string title, string? owner, DateOnly? due, string status, string by, CancellationToken cancellationToken = default)
    {
        if (status is not (ActionStatus.Open or ActionStatus.Done))
        {
            return new ActionWrite(EditStatus.Invalid, null, $"status: '{status}' is not a status; expected open or done.", "status");
        }

        if (Check(title, owner) is { } invalid)
        {
            return invalid;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await Security.ForeignOwners.ProblemAsync(db, scorecard.OrganisationId, owner, cancellationToken) is { } foreign)
        {
            return new ActionWrite(EditStatus.Invalid, null, $"owner: {foreign}.", "owner");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ReportingItems.TouchAsync(db, scorecard.Id, cancellationToken);
        var row = await db.Actions.FirstOrDefaultAsync(a => a.ScorecardId == scorecard.Id && a.Id == id, cancellationToken);
        if (row is null)
        {
            return new ActionWrite(EditStatus.NotFound, null, $"There is no action {id} on scorecard '{scorecard.Scorecard.Name}'.");
        }

        if (row.Version != expectedVersion)
        {
            return new ActionWrite(EditStatus.Stale, ToEntry(row), $"{row.UpdatedBy ?? "Someone"} changed this action at {row.UpdatedAt:yyyy-MM-dd HH:mm} UTC after you opened it; nothing was saved. Reload and make your change again.");
        }

        row.Title = title.Trim();
        row.Owner = string.IsNullOrWhiteSpace(owner) ? null : owner.Trim();
        row.Due = due;
        row.Status = status;
        row.Version++;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        row.UpdatedBy = by;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ActionWrite(EditStatus.Saved, ToEntry(row), status == ActionStatus.Done ? "Action marked done." : "Action saved.");
    }

    private static ActionWrite? Check(string? title, string? owner)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return new ActionWrite(EditStatus.Invalid, null, "title: say what will be done (e.g. \"Call the five largest dealers\").", "title");
        }

        if (CommentaryText.Problem(title.Trim(), "title", MaxTitle) is { } problem)
        {
            return new ActionWrite(EditStatus.Invalid, null, problem, "title");
        }

        return owner is { Length: > 256 } ? new ActionWrite(EditStatus.Invalid, null, "owner: at most 256 characters (an e-mail address).", "owner") : null;
    }

    private static readonly System.Linq.Expressions.Expression<Func<StoredAction, ActionEntry>> Entry =
        a => new ActionEntry(a.Id, a.Item, a.Title, a.Owner, a.Due, a.Status, a.Version, a.CreatedAt, a.CreatedBy, a.UpdatedAt, a.UpdatedBy);

    private static ActionEntry ToEntry(StoredAction a) => new(a.Id, a.Item, a.Title, a.Owner, a.Due, a.Status, a.Version, a.CreatedAt, a.CreatedBy, a.UpdatedAt, a.UpdatedBy);
}
