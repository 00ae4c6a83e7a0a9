using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Alerts;

namespace OpenBsc.Application.Features.Security;

/// <summary>E-mail addresses as user names: one mailbox, no display name, no spaces.</summary>
public static class EmailAddresses
{
    public static bool IsValid(string text) =>
        text.Length is > 2 and <= 256 && !text.Any(char.IsWhiteSpace) && text.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < text.Length - 1
        && MimeKit.MailboxAddress.TryParse(text, out var mailbox) && string.Equals(mailbox.Address, text, StringComparison.Ordinal);
}

/// <summary>An invitation as the administrators' page lists it.</summary>
public sealed record InvitationRow(long Id, string Email, string Role, string InvitedBy, DateTime CreatedAt, DateTime ExpiresAt, DateTime? AcceptedAt);

/// <summary>What an invitation link stands for, as the acceptance page shows it.</summary>
public sealed record InvitationView(string Email, string Role, string Organisation, DateTime ExpiresAt);

/// <summary>
/// Invitations by e-mail: the administrator names an address and a role; the person gets a one-time link (through
/// the outbox, like alert e-mails) where they choose a password, which makes their account. Only the SHA-256 of the
/// link's secret is stored; a link works once, for 72 hours.
/// </summary>
public sealed class Invitations(OpenBscDbContext db, UserManager<OpenBscUser> manager, RequestContext request, TimeProvider clock)
{
    public static readonly TimeSpan Validity = TimeSpan.FromHours(72);

    public const string AcceptPath = "/account/invitation";

    private const string Expired = "This invitation link has expired or was used already: ask your administrator for a new one.";

    /// <summary>
    /// Invites <paramref name="email"/> into the organisation with <paramref name="role"/>: stores the invitation and
    /// queues the e-mail in one transaction. Returns the link (also shown to the administrator once, for when e-mail is
    /// not set up) or what is wrong.
    /// </summary>
    public async Task<(string? Link, string? Problem)> InviteAsync(Guid organisationId, string email, AccessRole role, string invitedBy, string baseUrl, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        if (!EmailAddresses.IsValid(email))
        {
            return (null, $"E-mail: '{email}' is not an e-mail address (expected e.g. ana@example.org).");
        }

        if (role == AccessRole.None || !Enum.IsDefined(role))
        {
            return (null, "Role: choose viewer, updater, editor or administrator.");
        }

        if (await manager.FindByNameAsync(email) is not null || await manager.FindByEmailAsync(email) is not null)
        {
            return (null, $"E-mail: there is an account for {email} already.");
        }

        string organisation = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Name).SingleAsync(cancellationToken);
        string secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow().UtcDateTime;
        var invitation = new StoredInvitation
        {
            OrganisationId = organisationId,
            Email = email,
            Role = role,
            Hash = ApiTokens.Hash(secret),
            InvitedBy = invitedBy,
            CreatedAt = now,
            ExpiresAt = now + Validity,
        };
        string link = $"{baseUrl.TrimEnd('/')}{AcceptPath}?token={secret}";
        db.Invitations.Add(invitation);
        db.Deliveries.Add(new StoredDelivery
        {
            OrganisationId = organisationId,
            Channel = "email",
            Target = email,
            Subject = $"[OpenBsc] {invitedBy} invites you to {organisation}",
            Payload = $"{invitedBy} invites you to OpenBsc, the balanced scorecard of {organisation}, as {AccessRoles.Name(role)}.\n\n"
                + $"Choose your password here to create your account (the link works once, until {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC):\n\n{link}\n",
            Status = DeliveryStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return (link, null);
    }

    public async Task<IReadOnlyList<InvitationRow>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        await db.Invitations.AsNoTracking().Where(i => i.OrganisationId == organisationId).OrderByDescending(i => i.Id).Take(100)
            .Select(i => new InvitationRow(i.Id, i.Email, AccessRoles.Name(i.Role), i.InvitedBy, i.CreatedAt, i.ExpiresAt, i.AcceptedAt)).ToListAsync(cancellationToken);

    /// <summary>The open invitation a link's secret stands for; null when unknown, used or expired.</summary>
    public async Task<InvitationView?> FindAsync(string? secret, CancellationToken cancellationToken = default)
    {
        var invitation = await OpenAsync(secret, cancellationToken);
        return invitation is null ? null
            : new InvitationView(invitation.Email, AccessRoles.Name(invitation.Role), await db.Organisations.Where(o => o.Id == invitation.OrganisationId).Select(o => o.Name).SingleAsync(cancellationToken), invitation.ExpiresAt);
    }

    /// <summary>
    /// Uses the link: creates the account with the chosen password (no one-time password to change) and marks the
    /// invitation used, in one transaction. Returns the new user's name, or what is wrong (nothing changed then).
    /// </summary>
    public async Task<(string? UserName, string? Problem)> AcceptAsync(string? secret, string password, string confirm, CancellationToken cancellationToken = default)
    {
        var invitation = await OpenAsync(secret, cancellationToken);
        if (invitation is null)
        {
            return (null, Expired);
        }

        if (!string.Equals(password, confirm, StringComparison.Ordinal))
        {
            return (null, "The two passwords differ: type the same one twice.");
        }

        if (await manager.FindByNameAsync(invitation.Email) is not null)
        {
            return (null, $"There is an account for {invitation.Email} already: sign in with it.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var user = new OpenBscUser
        {
            Id = Guid.NewGuid(),
            UserName = invitation.Email,
            Email = invitation.Email,
            OrganisationId = invitation.OrganisationId,
            Role = invitation.Role,
            LockoutEnabled = true,
            CreatedAt = now,
        };
        // Identity saves the tracked invitation with the new user: both or neither.
        invitation.AcceptedAt = now;
        // The invited person makes their own account: the audit names them (the request is not signed in yet).
        request.Set(invitation.OrganisationId, invitation.Email);
        IdentityResult created;
        try
        {
            created = await manager.CreateAsync(user, password);
        }
        catch (DbUpdateException)
        {
            // The same link used twice at once: the other use made the account (the user name is unique).
            db.ChangeTracker.Clear();
            return (null, Expired);
        }

        if (!created.Succeeded)
        {
            db.ChangeTracker.Clear();
            return (null, string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        return (user.UserName, null);
    }

    private async Task<StoredInvitation?> OpenAsync(string? secret, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 100)
        {
            return null;
        }

        string hash = ApiTokens.Hash(secret);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Invitations.FirstOrDefaultAsync(i => i.Hash == hash && i.AcceptedAt == null && i.ExpiresAt > now, cancellationToken);
    }
}
