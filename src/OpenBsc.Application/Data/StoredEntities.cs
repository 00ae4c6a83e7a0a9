namespace OpenBsc.Application.Data;

/// <summary>An organisation: the tenant every other table is keyed by.</summary>
public sealed class StoredOrganisation
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The organisation's time zone (IANA id, e.g. Europe/Berlin): what day it is for it (<see cref="Features.Organisations.OrganisationClock"/>).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The first month of the fiscal year (1–12), given to new scorecards.</summary>
    public int FiscalYearStart { get; set; } = 1;

    /// <summary>Numbers are written with a decimal comma (12,5) in this organisation: accepted so on entry and shown so.</summary>
    public bool DecimalComma { get; set; }

    /// <summary>How dates are shown: yyyy-MM-dd, dd/MM/yyyy, MM/dd/yyyy or dd.MM.yyyy.</summary>
    public string DateFormat { get; set; } = "yyyy-MM-dd";

    /// <summary>The default status rules of new scorecards: Green from this score, Yellow from <see cref="StatusYellowFrom"/>, else Red.</summary>
    public double StatusGreenFrom { get; set; } = 0.9;

    public double StatusYellowFrom { get; set; } = 0.6;

    /// <summary>The organisation's own SMTP server for its e-mails (alerts, invitations); none: the server's configured one.</summary>
    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 25;

    public string? SmtpFrom { get; set; }

    public string? SmtpUser { get; set; }

    /// <summary>The SMTP password, encrypted with data protection (keys in the database); never shown back.</summary>
    public string? SmtpPasswordProtected { get; set; }

    public string SmtpSecurity { get; set; } = "auto";

    /// <summary>Every local account must use a second factor: one without is sent to set it up after the password.</summary>
    public bool RequireSecondFactor { get; set; }

    /// <summary>Single sign-on with OpenID Connect: the identity provider (issuer URL); none: no single sign-on.</summary>
    public string? OidcAuthority { get; set; }

    public string? OidcClientId { get; set; }

    /// <summary>The client secret, encrypted with data protection (keys in the database); never shown back.</summary>
    public string? OidcClientSecretProtected { get; set; }

    /// <summary>The claim of the identity token holding the person's e-mail (matched with accounts' e-mails).</summary>
    public string OidcEmailClaim { get; set; } = "email";

    /// <summary>A first sign-in of an e-mail without an account creates one, with <see cref="OidcDefaultRole"/>.</summary>
    public bool OidcCreateAccounts { get; set; }

    public Features.Security.AccessRole OidcDefaultRole { get; set; } = Features.Security.AccessRole.Viewer;

    /// <summary>Passwords are refused (single sign-on only), except for administrators: the way back in when the provider fails.</summary>
    public bool LocalAccountsOff { get; set; }
}

/// <summary>
/// A scorecard's definition, stored as its scorecard file (JSON, without observations): the file format is the
/// contract users already know, and one row per scorecard keeps loading to one query.
/// </summary>
public sealed class StoredScorecard
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>The scorecard's id in its file (unique within the organisation).</summary>
    public required string Key { get; set; }

    public required string Name { get; set; }

    /// <summary>The scorecard file, JSON, without observations.</summary>
    public required string Definition { get; set; }

    /// <summary>Optimistic concurrency token: bumped by every definition change.</summary>
    public long Version { get; set; }

    /// <summary>Bumped by every observation written for this scorecard: caches compare it.</summary>
    public long DataVersion { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Values entered by data updaters wait for an editor's approval before they count (set by an administrator).</summary>
    public bool RequiresApproval { get; set; }

    /// <summary>When the scorecard was archived (hidden from lists and pages, data kept); null while live.</summary>
    public DateTime? ArchivedAt { get; set; }
}

/// <summary>
/// One saved version of a scorecard's definition: every version is kept, so a writer holding an old version can
/// be told what changed since, and no definition is ever lost.
/// </summary>
public sealed class StoredScorecardVersion
{
    public long Id { get; set; }

    /// <summary>The tenant (every tenant table carries it, ready for distribution by organisation).</summary>
    public Guid OrganisationId { get; set; }

    public Guid ScorecardId { get; set; }

    public long Version { get; set; }

    /// <summary>The scorecard file, JSON, without observations, as saved in this version.</summary>
    public required string Definition { get; set; }

    public DateTime SavedAt { get; set; }

    public string? SavedBy { get; set; }

    /// <summary>What the change was, in words (e.g. "add measure csat").</summary>
    public string? Change { get; set; }
}

/// <summary>
/// A measure removed from a live definition while it had observations: its definition and where it was are kept
/// here, its observations stay in the observations table, so restoring it brings both back.
/// </summary>
public sealed class StoredArchivedMeasure
{
    public long Id { get; set; }

    /// <summary>The tenant (every tenant table carries it, ready for distribution by organisation).</summary>
    public Guid OrganisationId { get; set; }

    public Guid ScorecardId { get; set; }

    public required string MeasureKey { get; set; }

    public required string Name { get; set; }

    /// <summary>The objective that held the measure.</summary>
    public required string ObjectiveKey { get; set; }

    /// <summary>The measure as a scorecard-file fragment (JSON).</summary>
    public required string Definition { get; set; }

    public DateTime ArchivedAt { get; set; }

    public string? ArchivedBy { get; set; }
}

/// <summary>
/// An observed value. Append-only: a correction inserts a new row and marks the earlier one superseded, with who,
/// when and why, so the history of a value is never lost.
/// </summary>
public sealed class StoredObservation
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid ScorecardId { get; set; }

    public required string MeasureKey { get; set; }

    /// <summary>The customer segment of the series, for a measure tracked per segment; null otherwise.</summary>
    public string? Segment { get; set; }

    /// <summary>The period as written (<c>2026-03</c>, <c>2026-Q1</c>, …).</summary>
    public required string Period { get; set; }

    /// <summary>First day of the period (calendar; day number), for ordering in SQL.</summary>
    public int PeriodStart { get; set; }

    public double Value { get; set; }

    public string? Note { get; set; }

    public string? EnteredBy { get; set; }

    public DateTime EnteredAt { get; set; }

    public DateTime? SupersededAt { get; set; }

    public string? SupersededBy { get; set; }

    /// <summary>Why the value was corrected (on the row that was superseded).</summary>
    public string? CorrectionReason { get; set; }
}
