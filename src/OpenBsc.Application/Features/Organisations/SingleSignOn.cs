using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;

namespace OpenBsc.Application.Features.Organisations;

/// <summary>An organisation's single sign-on as the web host configures its OpenID Connect client (the secret decrypted).</summary>
public sealed record SingleSignOnSettings(Guid OrganisationId, string OrganisationName, string Authority, string ClientId, string? ClientSecret, string EmailClaim, bool CreateAccounts, AccessRole DefaultRole)
{
    /// <summary>Changes whenever a setting the OpenID Connect client is built from changes (its cached options are then rebuilt).</summary>
    public string Fingerprint => string.Join('\n', Authority, ClientId, ClientSecret ?? "", EmailClaim);
}

/// <summary>Why a single sign-on did not give a session: a code the sign-in page shows as text (AccountMessages).</summary>
public enum SingleSignOnRefusal
{
    NoEmail,
    NoAccount,
    Disabled,
    OtherOrganisation,
}

/// <summary>
/// Single sign-on with OpenID Connect per organisation: its identity provider, client and e-mail claim, and what a
/// signed-in e-mail becomes: its account in the organisation, a new one (when the organisation creates accounts at
/// first sign-in), or a refusal (disabled, another organisation's, unknown). The client secret is stored encrypted
/// with data protection, like the SMTP password.
/// </summary>
public sealed class SingleSignOn(SystemDbContexts contexts, IDataProtectionProvider protection, TimeProvider clock)
{
    internal const string Purpose = "OpenBsc.Organisation.Oidc";

    private IDataProtector Protector => protection.CreateProtector(Purpose);

    /// <summary>The organisation's single sign-on, or null when it has none.</summary>
    public async Task<SingleSignOnSettings?> GetAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var o = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == organisationId && x.OidcAuthority != null && x.OidcClientId != null, cancellationToken);
        return o is null ? null
            : new SingleSignOnSettings(o.Id, o.Name, o.OidcAuthority!, o.OidcClientId!, o.OidcClientSecretProtected is null ? null : Protector.Unprotect(o.OidcClientSecretProtected),
                o.OidcEmailClaim, o.OidcCreateAccounts, o.OidcDefaultRole);
    }

    /// <summary>The organisations with single sign-on (the sign-in page offers each).</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> ConfiguredAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Organisations.AsNoTracking().Where(o => o.OidcAuthority != null && o.OidcClientId != null).OrderBy(o => o.Name)
            .Select(o => new { o.Id, o.Name }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Id, r.Name))];
    }

    /// <summary>Whether the user may sign in with a password: always, unless their organisation switched local accounts off (administrators still may).</summary>
    public async Task<bool> PasswordAllowedAsync(OpenBscUser user, CancellationToken cancellationToken = default)
    {
        if (user.Role == AccessRole.Administrator)
        {
            return true;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return !await db.Organisations.AsNoTracking().AnyAsync(o => o.Id == user.OrganisationId && o.LocalAccountsOff, cancellationToken);
    }

    /// <summary>
    /// The account of an e-mail the organisation's identity provider vouched for: found, created (when the organisation
    /// creates accounts at first sign-in), or refused.
    /// </summary>
    public async Task<(OpenBscUser? User, SingleSignOnRefusal? Refusal)> AccountAsync(UserManager<OpenBscUser> users, SingleSignOnSettings settings, string? email)
    {
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > 256 || !EmailAddresses.IsValid(email))
        {
            return (null, SingleSignOnRefusal.NoEmail);
        }

        var user = await users.FindByEmailAsync(email) ?? await users.FindByNameAsync(email);
        if (user is not null)
        {
            return user.OrganisationId != settings.OrganisationId ? (null, SingleSignOnRefusal.OtherOrganisation)
                : user.DisabledAt is not null ? (null, SingleSignOnRefusal.Disabled)
                : (user, null);
        }

        if (!settings.CreateAccounts)
        {
            return (null, SingleSignOnRefusal.NoAccount);
        }

        // No password: this account signs in through the identity provider (an administrator may reset it to give one).
        user = new OpenBscUser
        {
            Id = Guid.NewGuid(),
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            OrganisationId = settings.OrganisationId,
            Role = settings.DefaultRole,
            LockoutEnabled = true,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(user);
        return created.Succeeded ? (user, null) : (null, SingleSignOnRefusal.NoAccount);
    }
}
