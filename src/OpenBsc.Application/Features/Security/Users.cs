using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Scorecards;

namespace OpenBsc.Application.Features.Security;

/// <summary>A user as listed.</summary>
public sealed record UserRow(string UserName, string? Email, string Organisation, string Role, bool Disabled, bool MustChangePassword, IReadOnlyList<string> ScorecardRoles,
    Guid Id = default, DateTime? LastSignInAt = null, bool Locked = false);

/// <summary>The outcome of a user command: the one-time password when one was made, or what went wrong.</summary>
public sealed record UserResult(bool Succeeded, string? OneTimePassword, string? Problem, bool NotFound = false)
{
    public static UserResult Fail(string problem, bool notFound = false) => new(false, null, problem, notFound);
}

/// <summary>
/// Creates and manages users: first-run administrator, add, list, disable, enable, reset (one-time password),
/// roles. Every change updates the security stamp where sessions must end, so they end at the next request.
/// </summary>
public sealed class Users(UserManager<OpenBscUser> manager, OpenBscDbContext db, TimeProvider clock)
{
    public const string FirstAdministrator = "admin";

    /// <summary>On a database without users, creates <c>admin</c> (administrator) and returns its one-time password; null otherwise.</summary>
    public async Task<string?> EnsureAdministratorAsync(CancellationToken cancellationToken = default)
    {
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return null;
        }

        var result = await AddAsync(FirstAdministrator, AccessRole.Administrator, null, cancellationToken);
        return result.OneTimePassword;
    }

    /// <summary>Adds a user with a one-time password (changed at first sign-in). <paramref name="name"/> is an e-mail address (or <c>admin</c>).</summary>
    public async Task<UserResult> AddAsync(string name, AccessRole role, string? organisation, CancellationToken cancellationToken = default) =>
        await AddAsync(name, role, organisation, null, cancellationToken);

    /// <summary>Adds a user to the organisation <paramref name="organisationId"/> (an administrator in the browser), with a one-time password.</summary>
    public async Task<UserResult> AddAsync(string name, AccessRole role, Guid organisationId, CancellationToken cancellationToken = default) =>
        await AddAsync(name, role, null, organisationId, cancellationToken);

    private async Task<UserResult> AddAsync(string name, AccessRole role, string? organisation, Guid? organisationId, CancellationToken cancellationToken)
    {
        name = name.Trim();
        bool email = name.Contains('@', StringComparison.Ordinal);
        if (name.Length is 0 or > 256 || (!email && name != FirstAdministrator) || (email && !EmailAddresses.IsValid(name)))
        {
            return UserResult.Fail($"'{name}' is not an e-mail address: users are named by e-mail (it is matched with measures' owner field).");
        }

        if (await manager.FindByNameAsync(name) is not null)
        {
            return UserResult.Fail($"There is a user '{name}' already: reset their password instead.");
        }

        var org = organisationId is { } id ? await db.Organisations.SingleAsync(o => o.Id == id, cancellationToken) : await OrganisationAsync(organisation, cancellationToken);
        string password = PasswordPolicy.OneTime();
        var user = new OpenBscUser
        {
            Id = Guid.NewGuid(),
            UserName = name,
            Email = email ? name : null,
            OrganisationId = org.Id,
            Role = role,
            MustChangePassword = true,
            LockoutEnabled = true,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var created = await manager.CreateAsync(user, password);
        return created.Succeeded ? new UserResult(true, password, null) : UserResult.Fail(string.Join(" ", created.Errors.Select(e => e.Description)));
    }

    /// <summary>Every user (the command line).</summary>
    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken = default) => await ListAsync(null, null, cancellationToken);

    /// <summary>Every user, or one organisation's (<paramref name="organisationId"/>) whose name contains <paramref name="search"/>.</summary>
    public async Task<IReadOnlyList<UserRow>> ListAsync(Guid? organisationId, string? search, CancellationToken cancellationToken = default)
    {
        var orgs = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var query = db.Users.AsNoTracking();
        if (organisationId is { } org)
        {
            query = query.Where(u => u.OrganisationId == org);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            string normalized = manager.NormalizeName(search.Trim());
            query = query.Where(u => u.NormalizedUserName!.Contains(normalized));
        }

        var users = await query.OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var ids = users.Select(u => u.Id).ToList();
        var roles = (await db.ScorecardRoles.AsNoTracking().Where(r => ids.Contains(r.UserId))
            .Join(db.Scorecards, r => r.ScorecardId, s => s.Id, (r, s) => new { r.UserId, s.Key, r.Role }).ToListAsync(cancellationToken))
            .ToLookup(r => r.UserId);
        var now = clock.GetUtcNow();
        return [.. users.Select(u => new UserRow(u.UserName ?? "", u.Email, orgs.GetValueOrDefault(u.OrganisationId, ""), AccessRoles.Name(u.Role), u.DisabledAt is not null, u.MustChangePassword,
            [.. roles[u.Id].OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}:{AccessRoles.Name(r.Role)}")], u.Id, u.LastSignInAt, u.LockoutEnd > now))];
    }

    /// <summary>A user of the organisation by id (for the administration pages); null when there is none there.</summary>
    public async Task<UserRow?> FindAsync(Guid organisationId, Guid userId, CancellationToken cancellationToken = default) =>
        (await ListAsync(organisationId, null, cancellationToken)).FirstOrDefault(u => u.Id == userId);

    /// <summary>
    /// Disables a user: sign-in refused, every session ends at its next request and every API token is revoked for
    /// good (enabling the user again brings none back). With <paramref name="organisationId"/> (an administrator in
    /// the browser) only a user of that organisation is found, and its last active administrator stays.
    /// </summary>
    public async Task<UserResult> DisableAsync(string name, bool disabled = true, Guid? organisationId = null)
    {
        if (await FindAsync(name, organisationId) is not { } user)
        {
            return UserResult.Fail($"There is no user '{name}'.", notFound: true);
        }

        if (disabled && organisationId is not null && await IsLastAdministratorAsync(user))
        {
            return UserResult.Fail($"{user.UserName} is the organisation's only active administrator: make someone else administrator first.");
        }

        user.DisabledAt = disabled ? clock.GetUtcNow().UtcDateTime : null;
        if (disabled)
        {
            await RevokeTokensAsync(user);
        }

        await manager.UpdateSecurityStampAsync(user);
        return new UserResult(true, null, null);
    }

    /// <summary>Gives a user a new one-time password, ending their sessions and any lockout and revoking every API token for good.</summary>
    public async Task<UserResult> ResetAsync(string name, Guid? organisationId = null)
    {
        if (await FindAsync(name, organisationId) is not { } user)
        {
            return UserResult.Fail($"There is no user '{name}'.", notFound: true);
        }

        string password = PasswordPolicy.OneTime();
        user.MustChangePassword = true;
        user.PasswordHash = manager.PasswordHasher.HashPassword(user, password);
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        await RevokeTokensAsync(user);
        // A reset is for an account that may be in the wrong hands: its passkeys go too (each removal audited).
        db.Passkeys.RemoveRange(await db.Passkeys.Where(p => p.UserId == user.Id).ToListAsync());
        await manager.UpdateSecurityStampAsync(user);
        return new UserResult(true, password, null);
    }

    /// <summary>
    /// Marks every active token of the user revoked, in the context Identity saves with the user (one transaction,
    /// each revocation audited). A token's validity is its own row: a revoked token never works again, whatever
    /// happens to the user later (enable, a new password).
    /// </summary>
    private async Task RevokeTokensAsync(OpenBscUser user)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var token in await db.ApiTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null).ToListAsync())
        {
            token.RevokedAt = now;
        }
    }

    private async Task<OpenBscUser?> FindAsync(string name, Guid? organisationId)
    {
        var user = await manager.FindByNameAsync(name.Trim());
        return user is not null && (organisationId is null || user.OrganisationId == organisationId) ? user : null;
    }

    private Task<bool> IsLastAdministratorAsync(OpenBscUser user) =>
        user.Role != AccessRole.Administrator || user.DisabledAt is not null
            ? Task.FromResult(false)
            : db.Users.AllAsync(u => u.OrganisationId != user.OrganisationId || u.Id == user.Id || u.Role != AccessRole.Administrator || u.DisabledAt != null);

    /// <summary>Sets a user's organisation role, or (with <paramref name="scorecardKey"/>) their role on one scorecard (none removes it).</summary>
    public async Task<UserResult> SetRoleAsync(string name, AccessRole role, string? scorecardKey, CancellationToken cancellationToken = default) =>
        await SetRoleAsync(name, role, scorecardKey, null, cancellationToken);

    /// <summary>
    /// As above; with <paramref name="organisationId"/> (an administrator in the browser) only a user of that
    /// organisation is found, and its last active administrator keeps the role.
    /// </summary>
    public async Task<UserResult> SetRoleAsync(string name, AccessRole role, string? scorecardKey, Guid? organisationId, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(name, organisationId) is not { } user)
        {
            return UserResult.Fail($"There is no user '{name}'.", notFound: true);
        }

        if (scorecardKey is null)
        {
            if (role != AccessRole.Administrator && organisationId is not null && await IsLastAdministratorAsync(user))
            {
                return UserResult.Fail($"{user.UserName} is the organisation's only active administrator: make someone else administrator first.");
            }

            user.Role = role;
        }
        else
        {
            var card = await db.Scorecards.Where(s => s.Key == scorecardKey && s.OrganisationId == user.OrganisationId).Select(s => new { s.Id }).FirstOrDefaultAsync(cancellationToken);
            if (card is null)
            {
                return UserResult.Fail($"There is no scorecard '{scorecardKey}' in {name}'s organisation.", notFound: true);
            }

            var held = await db.ScorecardRoles.FirstOrDefaultAsync(r => r.UserId == user.Id && r.ScorecardId == card.Id, cancellationToken);
            if (role == AccessRole.None)
            {
                if (held is not null)
                {
                    db.ScorecardRoles.Remove(held);
                }
            }
            else if (held is null)
            {
                db.ScorecardRoles.Add(new StoredScorecardRole { OrganisationId = user.OrganisationId, UserId = user.Id, ScorecardId = card.Id, Role = role });
            }
            else
            {
                held.Role = role;
            }
        }

        // No session needs to end, but the user's concurrency stamp must change with any role: requests check it
        // (AccessQueries.StampsAsync) and reload the access, and cached pages are keyed by the roles.
        if (scorecardKey is not null)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        await manager.UpdateAsync(user);

        return new UserResult(true, null, null);
    }

    /// <summary>Changes a signed-in user's password (the current one is required) and clears the one-time flag.</summary>
    public async Task<UserResult> ChangePasswordAsync(Guid userId, string current, string next)
    {
        if (await manager.FindByIdAsync(userId.ToString()) is not { } user)
        {
            return UserResult.Fail("Your account no longer exists.", notFound: true);
        }

        if (string.Equals(current, next, StringComparison.Ordinal))
        {
            return UserResult.Fail("Choose a new password different from the current one.");
        }

        var changed = await manager.ChangePasswordAsync(user, current, next);
        if (!changed.Succeeded)
        {
            return UserResult.Fail(changed.Errors.Any(e => e.Code == "PasswordMismatch") ? "The current password is not right." : string.Join(" ", changed.Errors.Select(e => e.Description)));
        }

        user.MustChangePassword = false;
        await manager.UpdateAsync(user);
        return new UserResult(true, null, null);
    }

    private async Task<StoredOrganisation> OrganisationAsync(string? name, CancellationToken cancellationToken)
    {
        if (name is null)
        {
            return await ScorecardImport.OrganisationAsync(db, null, clock, cancellationToken);
        }

        var existing = await db.Organisations.FirstOrDefaultAsync(o => o.Name == name, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var organisation = new StoredOrganisation { Id = Guid.NewGuid(), Name = name, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync(cancellationToken);
        return organisation;
    }
}
