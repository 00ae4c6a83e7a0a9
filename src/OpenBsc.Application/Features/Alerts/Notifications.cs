using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;

namespace OpenBsc.Application.Features.Alerts;

/// <summary>A notification as its user sees it.</summary>
public sealed record NotificationRow(long Id, string? Scorecard, string Title, string Body, string? Link, DateTime CreatedAt, bool Read);

/// <summary>A user's in-app notifications: newest first, unread count, mark read.</summary>
public sealed class Notifications(IDbContextFactory<OpenBscDbContext> contexts, TimeProvider clock)
{
    public async Task<IReadOnlyList<NotificationRow>> ListAsync(Guid userId, bool unreadOnly = false, int take = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        if (unreadOnly)
        {
            rows = rows.Where(n => n.ReadAt == null);
        }

        return await rows.OrderByDescending(n => n.Id).Take(Math.Clamp(take, 1, 500))
            .Select(n => new NotificationRow(n.Id, n.Scorecard, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt != null))
            .ToListAsync(cancellationToken);
    }

    public async Task<int> UnreadCountAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, cancellationToken);
    }

    /// <summary>Marks one of the user's notifications read (or all with <paramref name="id"/> null); returns how many changed.</summary>
    public async Task<int> MarkReadAsync(Guid userId, long? id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null);
        if (id is { } one)
        {
            rows = rows.Where(n => n.Id == one);
        }

        return await rows.ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
    }

    /// <summary>Whether the user has a notification with this id (read or not).</summary>
    public async Task<bool> ExistsAsync(Guid userId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Notifications.AnyAsync(n => n.UserId == userId && n.Id == id, cancellationToken);
    }
}
