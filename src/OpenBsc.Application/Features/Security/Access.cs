using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Application.Features.Security;

/// <summary>A stored scorecard as access control sees it.</summary>
public sealed record ScorecardRef(Guid Id, Guid OrganisationId, string Key, bool RequiresApproval);

/// <summary>Who the user is and what they may do: the organisation role and the roles granted per scorecard.</summary>
public sealed record UserAccess(Guid UserId, string UserName, string? Email, Guid OrganisationId, AccessRole Role, IReadOnlyDictionary<Guid, AccessRole> ScorecardRoles, string? SecurityStamp = null, bool MustChangePassword = false)
{
    /// <summary>The role on a scorecard: the organisation role (same organisation only) raised by a scorecard role.</summary>
    public AccessRole RoleOn(ScorecardRef scorecard)
    {
        var own = scorecard.OrganisationId == OrganisationId ? Role : AccessRole.None;
        var granted = ScorecardRoles.TryGetValue(scorecard.Id, out var r) && scorecard.OrganisationId == OrganisationId ? r : AccessRole.None;
        return own > granted ? own : granted;
    }

    /// <summary>True when the measure's owner field names this user (e-mail or user name; several owners may be separated by , or ;).</summary>
    public bool Owns(Measure measure) => OwnsItem(measure.Owner);

    /// <summary>True when an owner field (of a measure, objective, initiative, risk or action) names this user.</summary>
    public bool OwnsItem(string? owner) =>
        owner is not null && owner.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(o => string.Equals(o, Email, StringComparison.OrdinalIgnoreCase) || string.Equals(o, UserName, StringComparison.OrdinalIgnoreCase));
}

/// <summary>What a request checks on every call: the user's stamps (null when disabled or gone) and the data stamp.</summary>
/// <param name="SecurityStamp">Changes on sign-out everywhere, password change, reset and disable: the session must end.</param>
/// <param name="ConcurrencyStamp">Changes on every update of the user (organisation role, scorecard roles): access is reloaded.</param>
/// <param name="DataStamp">
/// One number that changes whenever any scorecard's definition or data changes: versions only grow, so their sum
/// does too. The page cache compares it, so a write through any web node is seen by the next request on every node.
/// </param>
/// <param name="UnreadNotifications">The user's unread notifications: shown in the header, so part of a cached page's key.</param>
/// <param name="MustSetUpSecondFactor">The organisation requires a second factor and the user has none yet: only its set-up page is open.</param>
public sealed record RequestStamps(string? SecurityStamp, string? ConcurrencyStamp, long DataStamp, int UnreadNotifications = 0, bool MustSetUpSecondFactor = false);

/// <summary>Loads users' access and resolves scorecards for the checks (one small query each).</summary>
public sealed class AccessQueries(SystemDbContexts contexts, DatabaseChanges changes)
{
    private const int MaxCachedUsers = 10_000;
    private const int MaxCachedScorecards = 10_000;

    // Access by (user, security stamp, concurrency stamp): any change to the user or their roles changes a stamp,
    // so an entry is never stale, and a request needs one round trip (StampsAsync) instead of three.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid, string?, string?), UserAccess> _access = new();

    // Scorecards by organisation and key as of a data stamp (missing ones too: creating one changes the stamp). Keys
    // are unique per organisation only: the same key names another scorecard for another organisation's user.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid Organisation, string Key), (long Stamp, ScorecardRef? Card)> _scorecards = new();

    // Each user's stamps as of a database version (DatabaseChanges): valid until anyone commits anything, so a signed-in
    // request between commits asks the database nothing. Unknown users and disabled ones are kept too (as null).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (long Version, RequestStamps? Stamps)> _stamps = new();

    // Compiled once per instance, not per process: a compiled query belongs to one model, and a process may hold a
    // SQLite and a PostgreSQL one (tests, db copy).
    private readonly Func<OpenBscDbContext, Guid, CancellationToken, Task<RequestStamps?>> _readStamps = EF.CompileAsyncQuery(
        (OpenBscDbContext db, Guid userId, CancellationToken cancellationToken) =>
            // Every organisation's scorecards count (no query filter): one sum for all, the same whoever asks.
            db.Users.AsNoTracking().IgnoreQueryFilters().Where(u => u.Id == userId && u.DisabledAt == null)
                .Select(u => new RequestStamps(u.SecurityStamp, u.ConcurrencyStamp, db.Scorecards.Sum(s => s.Version + s.DataVersion + 1),
                    db.Notifications.IgnoreQueryFilters().Count(n => n.UserId == userId && n.ReadAt == null),
                    !u.TwoFactorEnabled && db.Organisations.Any(o => o.Id == u.OrganisationId && o.RequireSecondFactor)))
                .FirstOrDefault());

    /// <summary>
    /// The user's stamps and the data stamp, for every request: one round trip, or none on SQLite while nothing has
    /// been committed since they were last read (<see cref="DatabaseChanges"/>). Null when the user is unknown or
    /// disabled.
    /// </summary>
    public async Task<RequestStamps?> StampsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        // The version is read before the stamps: a commit in between makes the stamps newer than the version, never older.
        long? version = changes.Version();
        if (version is { } current && _stamps.TryGetValue(userId, out var known) && known.Version == current)
        {
            return known.Stamps;
        }

        RequestStamps? stamps;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            stamps = await _readStamps(db, userId, cancellationToken);
        }

        if (version is { } read)
        {
            if (_stamps.Count >= MaxCachedUsers)
            {
                _stamps.Clear();
            }

            _stamps[userId] = (read, stamps);
        }

        return stamps;
    }

    /// <summary>The access of an active user as of <paramref name="stamps"/>: loaded once per change of the user.</summary>
    public async Task<UserAccess?> AccessAsync(Guid userId, RequestStamps stamps, CancellationToken cancellationToken = default)
    {
        var key = (userId, stamps.SecurityStamp, stamps.ConcurrencyStamp);
        if (_access.TryGetValue(key, out var known))
        {
            return known;
        }

        var loaded = await LoadAsync(userId, cancellationToken);
        if (loaded is not null && loaded.SecurityStamp == stamps.SecurityStamp)
        {
            if (_access.Count >= MaxCachedUsers)
            {
                _access.Clear();
            }

            _access[key] = loaded;
        }

        return loaded;
    }

    /// <summary>The access of an active user; null for an unknown or disabled one.</summary>
    public async Task<UserAccess?> LoadAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.DisabledAt == null)
            .Select(u => new { u.Id, u.UserName, u.Email, u.OrganisationId, u.Role, u.SecurityStamp, u.MustChangePassword }).FirstOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return null;
        }

        var roles = await db.ScorecardRoles.AsNoTracking().Where(r => r.UserId == userId).ToDictionaryAsync(r => r.ScorecardId, r => r.Role, cancellationToken);
        return new UserAccess(user.Id, user.UserName ?? "", user.Email, user.OrganisationId, user.Role, roles, user.SecurityStamp, user.MustChangePassword);
    }

    /// <summary>The user's current security stamp (changes on sign-out everywhere, reset, disable, role change).</summary>
    public async Task<string?> SecurityStampAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.SecurityStamp).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The scorecard with <paramref name="key"/> in <paramref name="organisationId"/> (archived ones included), or
    /// null. With the request's
    /// <paramref name="dataStamp"/> the answer comes from memory while the stamp is unchanged: creating, archiving or
    /// changing any scorecard (its approval setting included) changes the stamp, so a cached answer is never stale, and
    /// a page served from the page cache needs one round trip in all.
    /// </summary>
    public async Task<ScorecardRef?> ScorecardAsync(Guid organisationId, string key, long? dataStamp = null, CancellationToken cancellationToken = default)
    {
        var cached = (organisationId, key);
        if (dataStamp is { } stamp && _scorecards.TryGetValue(cached, out var known) && known.Stamp == stamp)
        {
            return known.Card;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var card = await db.Scorecards.AsNoTracking().Where(s => s.OrganisationId == organisationId && s.Key == key)
            .Select(s => new ScorecardRef(s.Id, s.OrganisationId, s.Key, s.RequiresApproval)).FirstOrDefaultAsync(cancellationToken);
        if (dataStamp is { } read)
        {
            if (_scorecards.Count >= MaxCachedScorecards)
            {
                _scorecards.Clear();
            }

            _scorecards[cached] = (read, card);
        }

        return card;
    }

    /// <summary>The keys of every scorecard the user may at least view.</summary>
    public async Task<HashSet<string>> VisibleKeysAsync(UserAccess access, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Scorecards.AsNoTracking().Where(s => s.OrganisationId == access.OrganisationId)
            .Select(s => new ScorecardRef(s.Id, s.OrganisationId, s.Key, s.RequiresApproval)).ToListAsync(cancellationToken);
        return [.. rows.Where(r => access.RoleOn(r) >= AccessRole.Viewer).Select(r => r.Key)];
    }
}
