using Microsoft.AspNetCore.Identity;

namespace OpenBsc.Application.Data;

/// <summary>
/// A person who signs in. The user name is the e-mail address (what a measure's <c>owner</c> field holds), except
/// the first-run administrator, called <c>admin</c>. A user belongs to one organisation, with a role there.
/// </summary>
public sealed class OpenBscUser : IdentityUser<Guid>
{
    public Guid OrganisationId { get; set; }

    /// <summary>The role in the organisation (see <see cref="Features.Security.AccessRole"/>); per-scorecard roles may raise it.</summary>
    public Features.Security.AccessRole Role { get; set; }

    /// <summary>Set for a one-time password: the user must choose a password before doing anything else.</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>When the user was disabled (cannot sign in, every session and token stops); null while active.</summary>
    public DateTime? DisabledAt { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When the user last signed in (null: never).</summary>
    public DateTime? LastSignInAt { get; set; }
}

/// <summary>
/// An invitation by e-mail: a one-time link (only the SHA-256 of its secret is kept) that lets the invited person
/// choose a password and so create their account, with the role the administrator chose. Valid 72 hours, used once.
/// </summary>
public sealed class StoredInvitation
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public required string Email { get; set; }

    public Features.Security.AccessRole Role { get; set; }

    /// <summary>SHA-256 of the link's secret, lowercase hex.</summary>
    public required string Hash { get; set; }

    public required string InvitedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>When the link was used (an account was made); a used link never works again.</summary>
    public DateTime? AcceptedAt { get; set; }
}

/// <summary>A role on one scorecard, raising the user's organisation role there (never lowering it).</summary>
public sealed class StoredScorecardRole
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid UserId { get; set; }

    public Guid ScorecardId { get; set; }

    public Features.Security.AccessRole Role { get; set; }
}

/// <summary>
/// A personal API token: only the SHA-256 of its secret is kept, so a copy of the database gives no usable token.
/// </summary>
public sealed class StoredApiToken
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid UserId { get; set; }

    public required string Name { get; set; }

    /// <summary>SHA-256 of the secret, lowercase hex.</summary>
    public required string Hash { get; set; }

    /// <summary><c>read</c> (GET only) or <c>write</c>.</summary>
    public required string Scope { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }
}

/// <summary>
/// A passkey (a WebAuthn credential, discoverable, with user verification) a user registered to sign in without a
/// password. Only its public key is kept: the private key never leaves the person's device.
/// </summary>
public sealed class StoredPasskey
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid UserId { get; set; }

    /// <summary>What the person called it (e.g. "Work laptop"), so they can tell their passkeys apart.</summary>
    public required string Name { get; set; }

    /// <summary>The credential id the authenticator chose (unique everywhere).</summary>
    public required byte[] CredentialId { get; set; }

    /// <summary>The public key, COSE-encoded as the authenticator gave it.</summary>
    public required byte[] PublicKey { get; set; }

    /// <summary>The authenticator's signature counter at the last use: a later use must show a higher one (or 0 both times: authenticators that keep none).</summary>
    public long SignCount { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }
}

/// <summary>One change: who, when, what and the values before and after (JSON), written in the transaction of the change.</summary>
public sealed class StoredAuditEntry
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public DateTime At { get; set; }

    /// <summary>The user name of whoever made the change (or the tool: <c>cli:NAME</c>, <c>demo</c>).</summary>
    public required string Actor { get; set; }

    /// <summary>What kind of change: <c>observation.added</c>, <c>scorecard.changed</c>, <c>user.disabled</c>, …</summary>
    public required string Action { get; set; }

    /// <summary>The scorecard concerned (its key), when there is one.</summary>
    public string? Scorecard { get; set; }

    /// <summary>What was changed, in words (e.g. <c>csat 2026-03</c>, a user name, a token name).</summary>
    public required string Subject { get; set; }

    public string? Before { get; set; }

    public string? After { get; set; }
}

/// <summary>What became of a value submitted for approval.</summary>
public enum ApprovalState
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
}

/// <summary>
/// A value submitted by a data updater on a scorecard that needs approval: kept apart from the observations (so no
/// score ever uses it) until an editor or administrator approves it (then it is written as an observation) or
/// rejects it.
/// </summary>
public sealed class StoredPendingObservation
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid ScorecardId { get; set; }

    public required string MeasureKey { get; set; }

    public string? Segment { get; set; }

    public required string Period { get; set; }

    public double Value { get; set; }

    public string? Note { get; set; }

    /// <summary>Why an earlier value is replaced (when the period has one).</summary>
    public string? Reason { get; set; }

    public required string SubmittedBy { get; set; }

    public DateTime SubmittedAt { get; set; }

    public ApprovalState State { get; set; }

    public string? DecidedBy { get; set; }

    public DateTime? DecidedAt { get; set; }
}
