using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Scorecards;

namespace OpenBsc.Application.Features.Security;

/// <summary>A user as listed.</summary>
public sealed record UserRow(string UserName, string? Email, string Organisation, string Role, bool Disabled, bool MustChangePassword, IReadOnlyList<string> ScorecardRoles);

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
    public async Task<UserResult> AddAsync(string name, AccessRole role, string? organisation, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        bool email = name.Contains('@', StringComparison.Ordinal);
        if (name.Length is 0 or > 256 || (!email && name != FirstAdministrator))
        {
            return UserResult.Fail($"'{name}' is not an e-mail address: users are named by e-mail (it is matched with measures' owner field).");
        }

        if (await manager.FindByNameAsync(name) is not null)
        {
            return UserResult.Fail($"There is a user '{name}' already: use 'users reset' to give them a new password.");
        }

        var org = await OrganisationAsync(organisation, cancellationToken);
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

    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        var orgs = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var roles = (await db.ScorecardRoles.AsNoTracking()
            .Join(db.Scorecards, r => r.ScorecardId, s => s.Id, (r, s) => new { r.UserId, s.Key, r.Role }).ToListAsync(cancellationToken))
            .ToLookup(r => r.UserId);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        return [.. users.Select(u => new UserRow(u.UserName ?? "", u.Email, orgs.GetValueOrDefault(u.OrganisationId, ""), AccessRoles.Name(u.Role), u.DisabledAt is not null, u.MustChangePassword,
            [.. roles[u.Id].Select(r => $"{r.Key}:{AccessRoles.Name(r.Role)}")]))];
    }

    /// <summary>Disables a user: sign-in refused, every session and API token stops at its next request.</summary>
    public async Task<UserResult> DisableAsync(string name, bool disabled = true)
    {
        if (await manager.FindByNameAsync(name.Trim()) is not { } user)
        {
            return UserResult.Fail($"There is no user '{name}'.", notFound: true);
        }

        user.DisabledAt = disabled ? clock.GetUtcNow().UtcDateTime : null;
        await manager.UpdateSecurityStampAsync(user);
        return new UserResult(true, null, null);
    }

    /// <summary>Gives a user a new one-time password (ending their sessions and any lockout).</summary>
    public async Task<UserResult> ResetAsync(string name)
    {
        if (await manager.FindByNameAsync(name.Trim()) is not { } user)
        {
            return UserResult.Fail($"There is no user '{name}'.", notFound: true);
        }

        string password = PasswordPolicy.OneTime();
        user.MustChangePassword = true;
        user.PasswordHash = manager.PasswordHasher.HashPassword(user, password);
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        await manager.UpdateSecurityStampAsync(user);
        return new UserResult(true, password, null);
    }

    /// <summary>Sets a user's organisation role, or (with <paramref name="scorecardKey"/>) their role on one scorecard (none removes it).</summary>
    public async Task<UserResult> SetRoleAsync(string name, AccessRole role, string? scorecardKey, CancellationToken cancellationToken = default)
    {
        if (await manager.FindByNameAsync(name.Trim()) is not { } user)
        {
            return UserResult.Fail($"There is no user '{name}'.", notFound: true);
        }

        if (scorecardKey is null)
        {
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
