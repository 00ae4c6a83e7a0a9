using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Organisations;
using OpenBsc.Application.Features.Security;

namespace OpenBsc.Web.Security;

/// <summary>Sign-in, sign-out, password change and the audit export: form posts (antiforgery-checked) and one download.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccount(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", LoginAsync).WithName("SignIn").RequireAccess(AccessScope.Public)
            .RequireRateLimiting(SecurityServices.LoginLimit).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/account/logout", LogoutAsync).WithName("SignOut").RequireAccess(AccessScope.SignedIn).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/account/password/change", ChangePasswordAsync).WithName("ChangePassword").RequireAccess(AccessScope.SignedIn).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/account/login/second-factor", SecondFactorAsync).WithName("SignInSecondFactor").RequireAccess(AccessScope.Public)
            .RequireRateLimiting(SecurityServices.LoginLimit).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost(Invitations.AcceptPath + "/accept", AcceptInvitationAsync).WithName("AcceptInvitation").RequireAccess(AccessScope.Public)
            .RequireRateLimiting(SecurityServices.LoginLimit).DisableAntiforgery().ExcludeFromDescription();
        app.MapGet("/audit.csv", AuditCsvAsync).WithName("AuditExport").RequireAccess(AccessScope.Organisation, AccessRole.Administrator).ExcludeFromDescription();
        return app;
    }

    private const string Refused = "The form has expired or did not come from this site: reload the page and try again.";

    private static async Task<IResult> LoginAsync(HttpContext http, IAntiforgery antiforgery, UserManager<OpenBscUser> users, SignInManager<OpenBscUser> signIn, TimeProvider clock, IDataProtectionProvider protection,
        OpenBsc.Application.Features.Organisations.SingleSignOn sso)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(statusCode: 400, title: "The form could not be used", detail: Refused);
        }

        var form = await http.Request.ReadFormAsync();
        string name = form["userName"].ToString().Trim();
        string password = form["password"].ToString();
        string returnUrl = LocalUrl(form["returnUrl"].ToString());
        var user = name.Length is 0 or > 256 ? null : await users.FindByNameAsync(name) ?? await users.FindByEmailAsync(name);
        // A code, never the text: see AccountMessages. One answer for an unknown name, a wrong password and a locked
        // account, each after a password hash's work: neither the words nor the time tell whether an account exists.
        var refused = Results.Redirect($"/login?problem=wrong&returnUrl={Uri.EscapeDataString(returnUrl)}");
        if (user is null || password.Length > PasswordPolicy.MaxLength || await users.IsLockedOutAsync(user))
        {
            SpendAHashCheck(users.PasswordHasher, password);
            return refused;
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!result.Succeeded || user.DisabledAt is not null)
        {
            return refused;
        }

        if (!await sso.PasswordAllowedAsync(user, http.RequestAborted))
        {
            return Results.Redirect($"/login?problem=local-off&returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        if (user.TwoFactorEnabled)
        {
            // The password was right; the session starts once the code is too. Until then the browser holds only a
            // short-lived, encrypted note of who is signing in (bound to the security stamp).
            var pending = protection.CreateProtector(SecondFactorPurpose).ToTimeLimitedDataProtector()
                .Protect($"{user.Id}|{user.SecurityStamp}|{returnUrl}", TimeSpan.FromMinutes(5));
            http.Response.Cookies.Append(SecondFactorCookie, pending, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, MaxAge = TimeSpan.FromMinutes(5) });
            return Results.Redirect("/login/second-factor");
        }

        return await CompleteSignInAsync(user, returnUrl, users, signIn, clock);
    }

    public const string SecondFactorCookie = "openbsc.second-factor";

    private const string SecondFactorPurpose = "OpenBsc.SignIn.SecondFactor";

    private static async Task<IResult> CompleteSignInAsync(OpenBscUser user, string returnUrl, UserManager<OpenBscUser> users, SignInManager<OpenBscUser> signIn, TimeProvider clock)
    {
        user.LastSignInAt = clock.GetUtcNow().UtcDateTime;
        await users.UpdateAsync(user);
        await signIn.SignInAsync(user, isPersistent: false);
        return Results.Redirect(user.MustChangePassword ? "/account/password" : returnUrl);
    }

    private static string? _decoyHash;

    /// <summary>As long as checking a real account's password takes, whatever the outcome is.</summary>
    private static void SpendAHashCheck(IPasswordHasher<OpenBscUser> hasher, string password)
    {
        var decoy = new OpenBscUser { UserName = "decoy" };
        _decoyHash ??= hasher.HashPassword(decoy, Guid.NewGuid().ToString());
        _ = hasher.VerifyHashedPassword(decoy, _decoyHash, password);
    }

    /// <summary>The second step of a sign-in with a second factor: the authenticator's code (or a recovery code).</summary>
    private static async Task<IResult> SecondFactorAsync(HttpContext http, IAntiforgery antiforgery, UserManager<OpenBscUser> users, SignInManager<OpenBscUser> signIn, SecondFactor factor, IDataProtectionProvider protection, TimeProvider clock)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(statusCode: 400, title: "The form could not be used", detail: Refused);
        }

        string[]? parts = null;
        try
        {
            if (http.Request.Cookies[SecondFactorCookie] is { } cookie)
            {
                parts = protection.CreateProtector(SecondFactorPurpose).ToTimeLimitedDataProtector().Unprotect(cookie).Split('|', 3);
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            parts = null;
        }

        var user = parts is { Length: 3 } && Guid.TryParse(parts[0], out var id) ? await users.FindByIdAsync(id.ToString()) : null;
        if (user is null || user.SecurityStamp != parts![1] || user.DisabledAt is not null || !user.TwoFactorEnabled)
        {
            http.Response.Cookies.Delete(SecondFactorCookie);
            return Results.Redirect("/login?problem=" + Uri.EscapeDataString("The sign-in took too long or was changed meanwhile: sign in again."));
        }

        var form = await http.Request.ReadFormAsync();
        if (await factor.CheckAsync(user, form["code"].ToString()) is { } problem)
        {
            return Results.Redirect("/login/second-factor?problem=" + Uri.EscapeDataString(problem));
        }

        http.Response.Cookies.Delete(SecondFactorCookie);
        return await CompleteSignInAsync(user, LocalUrl(parts[2]), users, signIn, clock);
    }

    /// <summary>The invited person chose a password: the account exists now, and they sign in with it.</summary>
    private static async Task<IResult> AcceptInvitationAsync(HttpContext http, IAntiforgery antiforgery, Invitations invitations)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(statusCode: 400, title: "The form could not be used", detail: Refused);
        }

        var form = await http.Request.ReadFormAsync();
        string token = form["token"].ToString();
        var (userName, problem) = await invitations.AcceptAsync(token, form["password"].ToString(), form["confirm"].ToString());
        return problem is null
            ? Results.Redirect($"/login?accepted={Uri.EscapeDataString(userName!)}")
            : Results.Redirect($"{Invitations.AcceptPath}?token={Uri.EscapeDataString(token)}&problem={Uri.EscapeDataString(problem)}");
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, IAntiforgery antiforgery, UserManager<OpenBscUser> users, SignInManager<OpenBscUser> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(statusCode: 400, title: "The form could not be used", detail: Refused);
        }

        if (http.Access() is { } access && await users.FindByIdAsync(access.UserId.ToString()) is { } user)
        {
            // A new stamp ends this session everywhere, even a copied cookie.
            await users.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
        return Results.Redirect("/login?flash=signed-out");
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext http, IAntiforgery antiforgery, Users accounts, UserManager<OpenBscUser> users, SignInManager<OpenBscUser> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(statusCode: 400, title: "The form could not be used", detail: Refused);
        }

        var form = await http.Request.ReadFormAsync();
        string next = form["new"].ToString();
        if (next != form["confirm"].ToString())
        {
            return Results.Redirect("/account/password?problem=differ");
        }

        var access = http.Access()!;
        var changed = await accounts.ChangePasswordAsync(access.UserId, form["current"].ToString(), next);
        if (!changed.Succeeded)
        {
            return Results.Redirect("/account/password?problem=" + AccountMessages.Code(changed.Problem!));
        }

        // The change gave the user a new stamp: this browser signs in again, other sessions end.
        await signIn.SignInAsync((await users.FindByIdAsync(access.UserId.ToString()))!, isPersistent: false);
        return Results.Redirect("/?flash=password-changed");
    }

    private static async Task<IResult> AuditCsvAsync(HttpContext http, string? scorecard, string? user, string? from, string? to, string? what, AuditQueries audit)
    {
        var filter = AuditFilters.Parse(scorecard, user, from, to, what, out string? problem);
        if (problem is not null)
        {
            return Results.Problem(statusCode: 400, title: "The filter is not valid", detail: problem);
        }

        var rows = await audit.ListAsync(http.Access()!.OrganisationId, filter, AuditQueries.MaxRows);
        http.Response.Headers.ContentDisposition = "attachment; filename=audit.csv";
        return Results.Text(AuditQueries.ToCsv(rows), "text/csv; charset=utf-8");
    }

    /// <summary>
    /// Only a path on this site (never //host or a scheme): an open redirect would send users elsewhere after sign-in.
    /// Browsers drop tabs and line breaks anywhere in an address and read a backslash as a slash, so "/\t/evil" and
    /// "/\\evil" mean "//evil" to them: an address with a control character, a space, or a backslash is not taken
    /// (a path of this site never needs one unencoded), nor one that a header could not carry.
    /// </summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } u && u[0] == '/' && (u.Length == 1 || u[1] != '/') && !u.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\' || c > '\u007E') ? u : "/";
}

/// <summary>Parses the audit filters of the page and the export.</summary>
public static class AuditFilters
{
    public static AuditFilter Parse(string? scorecard, string? user, string? from, string? to, string? what, out string? problem)
    {
        problem = null;
        DateOnly? first = null, last = null;
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (DateOnly.TryParseExact(from, "yyyy-MM-dd", out var f))
            {
                first = f;
            }
            else
            {
                problem = $"'{from}' is not a date: use YYYY-MM-DD.";
            }
        }

        if (!string.IsNullOrWhiteSpace(to))
        {
            if (DateOnly.TryParseExact(to, "yyyy-MM-dd", out var t))
            {
                last = t;
            }
            else
            {
                problem = $"'{to}' is not a date: use YYYY-MM-DD.";
            }
        }

        string? action = string.IsNullOrWhiteSpace(what) ? null : what.Trim();
        if (action is not null && (action.Length > 50 || !AuditQueries.Kinds.Contains(action.Split('.')[0])))
        {
            problem = $"What: '{action}' is not a kind of change: use one of {string.Join(", ", AuditQueries.Kinds)} (or an action such as user.disabled).";
        }

        if (first is not null && last is not null && first > last)
        {
            problem = $"From ({first:yyyy-MM-dd}) is after To ({last:yyyy-MM-dd}): swap them.";
        }

        // From and To are days of the organisation, whose times the log shows (set for this request by OrganisationFormatting).
        return new AuditFilter(string.IsNullOrWhiteSpace(scorecard) ? null : scorecard.Trim(), string.IsNullOrWhiteSpace(user) ? null : user.Trim(), first, last, action, OrganisationFormat.Current.Zone);
    }
}
