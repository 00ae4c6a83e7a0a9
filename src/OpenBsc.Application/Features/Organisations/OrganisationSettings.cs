using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Alerts;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Application.Features.Organisations;

/// <summary>An organisation's settings as the settings page shows and takes them (never the SMTP password itself).</summary>
public sealed record OrganisationSettingsView(
    string Name,
    string TimeZone,
    int FiscalYearStart,
    bool DecimalComma,
    string DateFormat,
    double StatusGreenFrom,
    double StatusYellowFrom,
    string? SmtpHost,
    int SmtpPort,
    string? SmtpFrom,
    string? SmtpUser,
    bool SmtpHasPassword,
    string SmtpSecurity,
    bool RequireSecondFactor = false,
    string? OidcAuthority = null,
    string? OidcClientId = null,
    bool OidcHasSecret = false,
    string OidcEmailClaim = "email",
    bool OidcCreateAccounts = false,
    AccessRole OidcDefaultRole = AccessRole.Viewer,
    bool LocalAccountsOff = false);

/// <summary>What the settings form sent: texts as typed, checked here field by field.</summary>
public sealed record OrganisationSettingsForm(
    string? Name,
    string? TimeZone,
    string? FiscalYearStart,
    string? NumberFormat,
    string? DateFormat,
    string? StatusGreenFrom,
    string? StatusYellowFrom,
    string? SmtpHost,
    string? SmtpPort,
    string? SmtpFrom,
    string? SmtpUser,
    string? SmtpPassword,
    bool SmtpClearPassword,
    string? SmtpSecurity,
    bool RequireSecondFactor = false,
    string? OidcAuthority = null,
    string? OidcClientId = null,
    string? OidcClientSecret = null,
    string? OidcEmailClaim = null,
    bool OidcCreateAccounts = false,
    string? OidcDefaultRole = null,
    bool LocalAccountsOff = false);

/// <summary>
/// Reads and saves an organisation's settings: name, time zone (what day it is: <see cref="OrganisationClock"/>),
/// fiscal year start and default status rules (for new scorecards), number and date format, and its own SMTP server
/// (the password encrypted with data protection, whose keys live in the database like every node's).
/// </summary>
public sealed class OrganisationSettings(IDbContextFactory<OpenBscDbContext> contexts, IDataProtectionProvider protection, OrganisationClock organisationClock)
{
    public static readonly IReadOnlyList<string> DateFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "MM/dd/yyyy", "dd.MM.yyyy"];

    public static readonly IReadOnlyList<string> SmtpSecurities = ["auto", "starttls", "ssl", "none"];

    private IDataProtector Protector => protection.CreateProtector("OpenBsc.Organisation.Smtp");

    public async Task<OrganisationSettingsView?> GetAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var o = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == organisationId, cancellationToken);
        return o is null ? null
            : new OrganisationSettingsView(o.Name, o.TimeZone, o.FiscalYearStart, o.DecimalComma, o.DateFormat, o.StatusGreenFrom, o.StatusYellowFrom,
                o.SmtpHost, o.SmtpPort, o.SmtpFrom, o.SmtpUser, o.SmtpPasswordProtected is not null, o.SmtpSecurity, o.RequireSecondFactor,
                o.OidcAuthority, o.OidcClientId, o.OidcClientSecretProtected is not null, o.OidcEmailClaim, o.OidcCreateAccounts, o.OidcDefaultRole, o.LocalAccountsOff);
    }

    /// <summary>
    /// Saves the form when every field is right; otherwise returns each wrong field with what was expected and changes
    /// nothing. The SMTP password is kept when the field is left empty.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(Guid organisationId, OrganisationSettingsForm form, CancellationToken cancellationToken = default)
    {
        var problems = new Dictionary<string, string>();
        string name = (form.Name ?? "").Trim();
        if (name.Length is 0 or > 200)
        {
            problems["Name"] = "expected 1 to 200 characters";
        }

        string zone = (form.TimeZone ?? "").Trim();
        if (TimeZones.Find(zone) is null)
        {
            problems["Time zone"] = $"'{zone}' is not a time zone: expected an id such as Europe/Berlin, America/New_York or UTC";
        }

        if (!int.TryParse(form.FiscalYearStart, NumberStyles.None, CultureInfo.InvariantCulture, out int month) || month is < 1 or > 12)
        {
            problems["Fiscal year starts"] = $"'{form.FiscalYearStart}' is not a month: expected 1 (January) to 12 (December)";
        }

        bool comma = form.NumberFormat == "comma";
        if (form.NumberFormat is not ("comma" or "point"))
        {
            problems["Numbers"] = "expected decimal point (12.5) or decimal comma (12,5)";
        }

        if (!DateFormats.Contains(form.DateFormat ?? ""))
        {
            problems["Dates"] = $"expected one of {string.Join(", ", DateFormats)}";
        }

        double? green = Score(form.StatusGreenFrom, "Green from", problems);
        double? yellow = Score(form.StatusYellowFrom, "Yellow from", problems);
        if (green is { } g && yellow is { } y && y > g)
        {
            problems["Yellow from"] = $"{Percent(y)} is above Green from ({Percent(g)}): Yellow must start at or below Green";
        }

        string? host = string.IsNullOrWhiteSpace(form.SmtpHost) ? null : form.SmtpHost.Trim();
        if (host is not null && (host.Length > 255 || Uri.CheckHostName(host) == UriHostNameType.Unknown))
        {
            problems["SMTP server"] = $"'{host}' is not a host name or address";
        }

        int port = 25;
        if (!string.IsNullOrWhiteSpace(form.SmtpPort) && (!int.TryParse(form.SmtpPort, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            problems["SMTP port"] = $"'{form.SmtpPort}' is not a port: expected 1 to 65535 (25, 587 or 465 usually)";
        }

        string? from = string.IsNullOrWhiteSpace(form.SmtpFrom) ? null : form.SmtpFrom.Trim();
        if (from is not null && !EmailAddresses.IsValid(from))
        {
            problems["Sender address"] = $"'{from}' is not an e-mail address";
        }

        string security = string.IsNullOrWhiteSpace(form.SmtpSecurity) ? "auto" : form.SmtpSecurity.Trim();
        if (!SmtpSecurities.Contains(security))
        {
            problems["SMTP security"] = $"expected one of {string.Join(", ", SmtpSecurities)}";
        }

        string? user = string.IsNullOrWhiteSpace(form.SmtpUser) ? null : form.SmtpUser.Trim();
        if (user?.Length > 256 || form.SmtpPassword?.Length > 500)
        {
            problems["SMTP user"] = "the user name (256) or password (500 characters) is too long";
        }

        string? authority = string.IsNullOrWhiteSpace(form.OidcAuthority) ? null : form.OidcAuthority.Trim();
        if (authority is not null && (authority.Length > 500 || !Uri.TryCreate(authority, UriKind.Absolute, out var issuer)
            || !(issuer.Scheme == Uri.UriSchemeHttps || (issuer.Scheme == Uri.UriSchemeHttp && issuer.IsLoopback))))
        {
            problems["Identity provider"] = $"'{authority}' is not an https address: expected the provider's issuer, e.g. https://login.example.org/tenant/v2.0 (http only on this machine)";
        }

        string? clientId = string.IsNullOrWhiteSpace(form.OidcClientId) ? null : form.OidcClientId.Trim();
        if (authority is not null && (clientId is null || clientId.Length > 200))
        {
            problems["Client id"] = "expected the id the identity provider gave OpenBsc (1 to 200 characters)";
        }

        string claim = string.IsNullOrWhiteSpace(form.OidcEmailClaim) ? "email" : form.OidcEmailClaim.Trim();
        if (claim.Length > 100 || claim.Any(char.IsWhiteSpace))
        {
            problems["E-mail claim"] = $"'{claim}' is not a claim name: expected e.g. email, upn or preferred_username";
        }

        var defaultRole = AccessRole.Viewer;
        if (!string.IsNullOrWhiteSpace(form.OidcDefaultRole) && (!AccessRoles.TryParse(form.OidcDefaultRole, out defaultRole) || defaultRole == AccessRole.None))
        {
            problems["Role of new accounts"] = $"expected one of {AccessRoles.Accepted}";
        }

        if (form.OidcClientSecret?.Length > 1000)
        {
            problems["Client secret"] = "expected at most 1,000 characters";
        }

        if (form.LocalAccountsOff && authority is null)
        {
            problems["Passwords"] = "passwords can be switched off only with single sign-on set up: fill in the identity provider first";
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var o = await db.Organisations.SingleAsync(x => x.Id == organisationId, cancellationToken);
        o.Name = name;
        o.TimeZone = zone;
        o.FiscalYearStart = month;
        o.DecimalComma = comma;
        o.DateFormat = form.DateFormat!;
        o.StatusGreenFrom = green!.Value;
        o.StatusYellowFrom = yellow!.Value;
        o.SmtpHost = host;
        o.SmtpPort = port;
        o.SmtpFrom = from;
        o.SmtpUser = user;
        o.SmtpSecurity = security;
        o.RequireSecondFactor = form.RequireSecondFactor;
        o.OidcAuthority = authority;
        o.OidcClientId = authority is null ? null : clientId;
        o.OidcEmailClaim = claim;
        o.OidcCreateAccounts = form.OidcCreateAccounts;
        o.OidcDefaultRole = defaultRole;
        o.LocalAccountsOff = form.LocalAccountsOff;
        if (authority is null)
        {
            o.OidcClientSecretProtected = null;
        }
        else if (!string.IsNullOrEmpty(form.OidcClientSecret))
        {
            o.OidcClientSecretProtected = protection.CreateProtector(SingleSignOn.Purpose).Protect(form.OidcClientSecret);
        }
        if (form.SmtpClearPassword)
        {
            o.SmtpPasswordProtected = null;
        }
        else if (!string.IsNullOrEmpty(form.SmtpPassword))
        {
            o.SmtpPasswordProtected = Protector.Protect(form.SmtpPassword);
        }

        await db.SaveChangesAsync(cancellationToken);
        organisationClock.Forget(organisationId);
        return problems;
    }

    /// <summary>The organisation's SMTP server when it has one (password decrypted), else null: use the server's configured one.</summary>
    public async Task<SmtpSettings?> SmtpAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var o = await db.Organisations.AsNoTracking().Where(x => x.Id == organisationId && x.SmtpHost != null)
            .Select(x => new { x.SmtpHost, x.SmtpPort, x.SmtpFrom, x.SmtpUser, x.SmtpPasswordProtected, x.SmtpSecurity }).FirstOrDefaultAsync(cancellationToken);
        return o is null ? null : new SmtpSettings
        {
            Host = o.SmtpHost,
            Port = o.SmtpPort,
            From = o.SmtpFrom ?? new SmtpSettings().From,
            User = o.SmtpUser,
            Password = o.SmtpPasswordProtected is null ? null : Protector.Unprotect(o.SmtpPasswordProtected),
            Security = o.SmtpSecurity,
        };
    }

    /// <summary>The organisation's defaults given to a new, empty scorecard: fiscal year start and status rules.</summary>
    public async Task<Scorecard> WithDefaultsAsync(Guid organisationId, Scorecard scorecard, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var o = await db.Organisations.AsNoTracking().Where(x => x.Id == organisationId)
            .Select(x => new { x.FiscalYearStart, x.StatusGreenFrom, x.StatusYellowFrom }).FirstOrDefaultAsync(cancellationToken);
        return o is null ? scorecard : scorecard with
        {
            Calendar = new FiscalCalendar(o.FiscalYearStart, scorecard.Calendar.NamedByStartYear),
            Status = new StatusRuleSet([
                new(Status.Green, new(StatusVariable.Score, Comparison.GreaterOrEqual, o.StatusGreenFrom)),
                new(Status.Yellow, new(StatusVariable.Score, Comparison.GreaterOrEqual, o.StatusYellowFrom)),
                new(Status.Red, null),
            ]),
        };
    }

    /// <summary>Whether the organisation requires every local account to use a second factor.</summary>
    public async Task<bool> RequiresSecondFactorAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Organisations.AsNoTracking().Where(x => x.Id == organisationId).Select(x => x.RequireSecondFactor).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>A score threshold typed as a percentage (90 or 90 %) or a fraction (0.9); null with a problem otherwise.</summary>
    private static double? Score(string? text, string field, Dictionary<string, string> problems)
    {
        string t = (text ?? "").Trim().TrimEnd('%').Trim().Replace(',', '.');
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double percent) && percent is >= 0 and <= 200)
        {
            return percent / 100;
        }

        problems[field] = $"'{text}' is not a score: expected a percentage from 0 to 200, e.g. 90";
        return null;
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";
}
