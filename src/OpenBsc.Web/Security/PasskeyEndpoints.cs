using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;

namespace OpenBsc.Web.Security;

/// <summary>
/// Passkeys (WebAuthn, Fido2): a signed-in person registers passkeys at /account/passkeys; anyone signs in with one
/// from the sign-in page without typing a name (discoverable credentials, user verification required). Each
/// ceremony is two posts of the page's own form (antiforgery-checked): the options (JSON, for
/// navigator.credentials), then the browser's answer. The challenge waits between the two in a 5-minute encrypted
/// cookie (data protection: every node can read it), used once.
/// </summary>
public static class PasskeyEndpoints
{
    /// <summary>The claim of a session begun with a passkey: possession and user verification, so it counts as a second factor.</summary>
    public const string PasskeyClaim = "openbsc:passkey";

    /// <summary>The address the browser shows (scheme, host, port) when the request's own is not it: <c>OpenBsc__Passkeys__Origin</c>.</summary>
    public const string OriginKey = "OpenBsc:Passkeys:Origin";

    public const string PagePath = "/account/passkeys";

    private const string AddCookie = "openbsc.passkey-add";
    private const string SignInCookie = "openbsc.passkey-sign-in";
    private const string AddPurpose = "OpenBsc.Passkeys.Add";
    private const string SignInPurpose = "OpenBsc.Passkeys.SignIn";
    private static readonly TimeSpan CeremonyTime = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapPasskeys(this IEndpointRouteBuilder app)
    {
        app.MapPost(PagePath + "/options", AddOptionsAsync).WithName("PasskeyAddOptions").RequireAccess(AccessScope.SignedIn).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost(PagePath + "/add", AddAsync).WithName("PasskeyAdd").RequireAccess(AccessScope.SignedIn).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost(PagePath + "/sign-in/options", SignInOptionsAsync).WithName("PasskeySignInOptions").RequireAccess(AccessScope.Public).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost(PagePath + "/sign-in", SignInAsync).WithName("PasskeySignIn").RequireAccess(AccessScope.Public)
            .RequireRateLimiting(SecurityServices.LoginLimit).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private const string Refused = "The form has expired or did not come from this site: reload the page and try again.";

    /// <summary>
    /// The relying party: the origin the browser shows, from the request (scheme as the trusted proxies forward it,
    /// and the Host header), or <see cref="OriginKey"/> when set. The id is its host name: a passkey works only on
    /// the address it was made on.
    /// </summary>
    public static (Fido2Configuration? Configuration, string? Problem) RelyingParty(HttpContext http, IConfiguration configuration)
    {
        string? configured = configuration[OriginKey];
        string origin = string.IsNullOrWhiteSpace(configured) ? $"{http.Request.Scheme}://{http.Request.Host.Value}" : configured.Trim().TrimEnd('/');
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.AbsolutePath != "/")
        {
            return (null, $"{OriginKey.Replace(":", "__", StringComparison.Ordinal)}: '{origin}' is not the address people open, such as https://bsc.example.org.");
        }

        return (new Fido2Configuration
        {
            RPID = uri.IdnHost,
            RPName = "OpenBsc",
            Origins = new HashSet<string>([uri.GetLeftPart(UriPartial.Authority)], StringComparer.OrdinalIgnoreCase),
            TimestampDriftTolerance = 300_000,
        }, null);
    }

    /// <summary>Options to create a passkey for the signed-in user (the name is checked first, so no device makes one that cannot be stored).</summary>
    private static async Task<IResult> AddOptionsAsync(HttpContext http, IAntiforgery antiforgery, IConfiguration configuration, UserManager<OpenBscUser> users, Passkeys passkeys, IDataProtectionProvider protection)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Json(new { problem = Refused }, statusCode: 400);
        }

        var form = await http.Request.ReadFormAsync();
        if (Passkeys.NameProblem(form["name"]) is { } nameProblem)
        {
            return Results.Json(new { problem = nameProblem }, statusCode: 400);
        }

        var (rp, problem) = RelyingParty(http, configuration);
        var user = await users.FindByIdAsync(http.Access()!.UserId.ToString());
        if (rp is null || user is null)
        {
            return Results.Json(new { problem = problem ?? "Your account no longer exists." }, statusCode: 400);
        }

        var known = await passkeys.CredentialIdsAsync(user.Id, http.RequestAborted);
        var options = new Fido2(rp).RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = user.Id.ToByteArray(), Name = user.UserName ?? "", DisplayName = user.Email ?? user.UserName ?? "" },
            ExcludeCredentials = [.. known.Select(id => new PublicKeyCredentialDescriptor(id))],
            AuthenticatorSelection = new AuthenticatorSelection { ResidentKey = ResidentKeyRequirement.Required, UserVerification = UserVerificationRequirement.Required },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        string json = options.ToJson();
        SetCookie(http, AddCookie, protection.CreateProtector(AddPurpose).ToTimeLimitedDataProtector().Protect($"{user.Id}|{json}", CeremonyTime));
        return Results.Text(json, "application/json; charset=utf-8");
    }

    /// <summary>Checks the device's new passkey against the options given and stores it.</summary>
    private static async Task<IResult> AddAsync(HttpContext http, IAntiforgery antiforgery, IConfiguration configuration, Passkeys passkeys, IDataProtectionProvider protection, ILogger<Passkeys> logger)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(statusCode: 400, title: "The form could not be used", detail: Refused);
        }

        var form = await http.Request.ReadFormAsync();
        string name = form["name"].ToString();
        var userId = http.Access()!.UserId;
        string? saved = Take(http, AddCookie, AddPurpose, protection);
        string[] parts = saved?.Split('|', 2) ?? [];
        IResult Back(string code) => Results.Redirect($"{PagePath}?problem={code}");
        if (string.IsNullOrEmpty(form["credential"]))
        {
            return Back(Passkeys.NameProblem(name) is null ? "unsupported" : "name");
        }

        if (parts.Length != 2 || parts[0] != userId.ToString())
        {
            return Back("expired");
        }

        var (rp, _) = RelyingParty(http, configuration);
        if (rp is null)
        {
            return Back("address");
        }

        RegisteredPublicKeyCredential credential;
        try
        {
            var answer = JsonSerializer.Deserialize<AuthenticatorAttestationRawResponse>(form["credential"].ToString())
                ?? throw new JsonException("empty");
            credential = await new Fido2(rp).MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = answer,
                OriginalOptions = CredentialCreateOptions.FromJson(parts[1]),
                IsCredentialIdUniqueToUserCallback = async (args, cancellationToken) => !await passkeys.ExistsAsync(args.CredentialId, cancellationToken),
            }, http.RequestAborted);
        }
        catch (Exception e) when (Unreadable(e))
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("A new passkey was refused: {Reason}", e.Message);
            }

            return Back("not-verified");
        }

        if (await passkeys.AddAsync(userId, name, credential.Id, credential.PublicKey, credential.SignCount, http.RequestAborted) is { } refusal)
        {
            return Back(refusal switch { PasskeyRefusal.Name => "name", PasskeyRefusal.Exists => "exists", _ => "disabled" });
        }

        return Results.Redirect($"{PagePath}?added={Uri.EscapeDataString(name.Trim())}");
    }

    /// <summary>Options to sign in with any passkey of this site: no names asked, the device offers its passkeys.</summary>
    private static async Task<IResult> SignInOptionsAsync(HttpContext http, IAntiforgery antiforgery, IConfiguration configuration, IDataProtectionProvider protection)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Json(new { problem = Refused }, statusCode: 400);
        }

        var (rp, problem) = RelyingParty(http, configuration);
        if (rp is null)
        {
            return Results.Json(new { problem }, statusCode: 400);
        }

        var options = new Fido2(rp).GetAssertionOptions(new GetAssertionOptionsParams { AllowedCredentials = [], UserVerification = UserVerificationRequirement.Required });
        string json = options.ToJson();
        SetCookie(http, SignInCookie, protection.CreateProtector(SignInPurpose).ToTimeLimitedDataProtector().Protect(json, CeremonyTime));
        return Results.Text(json, "application/json; charset=utf-8");
    }

    /// <summary>
    /// Signs in with the device's answer: a registered passkey of an active account whose signature, challenge,
    /// origin, user verification and counter are right. Every refusal changes nothing and says why in words that
    /// tell nothing about other people's accounts.
    /// </summary>
    private static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, IConfiguration configuration, Passkeys passkeys, UserManager<OpenBscUser> users,
        SignInManager<OpenBscUser> signIn, IDataProtectionProvider protection, RequestContext request, OpenBsc.Application.Features.Organisations.SingleSignOn sso, TimeProvider clock)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(statusCode: 400, title: "The form could not be used", detail: Refused);
        }

        var form = await http.Request.ReadFormAsync();
        string returnUrl = AccountEndpoints.LocalUrl(form["returnUrl"].ToString());
        IResult Refuse(string code) => Results.Redirect($"/login?problem={code}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        string? saved = Take(http, SignInCookie, SignInPurpose, protection);
        var (rp, _) = RelyingParty(http, configuration);
        if (saved is null || rp is null)
        {
            return Refuse("passkey-expired");
        }

        AuthenticatorAssertionRawResponse answer;
        try
        {
            answer = JsonSerializer.Deserialize<AuthenticatorAssertionRawResponse>(form["credential"].ToString()) ?? throw new JsonException("empty");
        }
        catch (Exception e) when (Unreadable(e))
        {
            return Refuse("passkey-failed");
        }

        if (await passkeys.FindAsync(answer.RawId, http.RequestAborted) is not { } stored)
        {
            return Refuse("passkey-unknown");
        }

        var user = await users.FindByIdAsync(stored.UserId.ToString());
        if (user is null || user.DisabledAt is not null || await users.IsLockedOutAsync(user))
        {
            return Refuse("passkey-refused");
        }

        VerifyAssertionResult verified;
        try
        {
            verified = await new Fido2(rp).MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = answer,
                OriginalOptions = AssertionOptions.FromJson(saved),
                StoredPublicKey = stored.PublicKey,
                StoredSignatureCounter = (uint)stored.SignCount,
                // Usernameless: the device names the account; it must be the one the passkey was registered for.
                IsUserHandleOwnerOfCredentialIdCallback = (args, _) => Task.FromResult(args.UserHandle is { Length: 16 } handle && new Guid(handle) == user.Id),
            }, http.RequestAborted);
        }
        catch (Exception e) when (Unreadable(e))
        {
            return Refuse("passkey-failed");
        }

        if (!await sso.PasswordAllowedAsync(user, http.RequestAborted))
        {
            return Refuse("local-off");
        }

        // The use is audited as the person who signed in.
        request.Set(user.OrganisationId, user.UserName ?? "");
        if (!await passkeys.RecordUseAsync(stored, verified.SignCount, http.RequestAborted))
        {
            return Refuse("passkey-failed");
        }

        user.LastSignInAt = clock.GetUtcNow().UtcDateTime;
        await users.UpdateAsync(user);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(PasskeyClaim, stored.Id.ToString())]);
        return Results.Redirect(user.MustChangePassword ? "/account/password" : returnUrl);
    }

    /// <summary>What a device's answer that cannot be read or checked throws (never a fault of this server).</summary>
    private static bool Unreadable(Exception e) =>
        e is Fido2VerificationException or JsonException or FormatException or ArgumentException or CryptographicException or NotSupportedException or InvalidOperationException;

    private static void SetCookie(HttpContext http, string name, string value) =>
        http.Response.Cookies.Append(name, value, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, MaxAge = CeremonyTime, Path = PagePath });

    /// <summary>The ceremony's saved options, read once: the cookie is deleted whatever comes next.</summary>
    private static string? Take(HttpContext http, string name, string purpose, IDataProtectionProvider protection)
    {
        string? cookie = http.Request.Cookies[name];
        http.Response.Cookies.Delete(name, new CookieOptions { Path = PagePath });
        try
        {
            return cookie is null ? null : protection.CreateProtector(purpose).ToTimeLimitedDataProtector().Unprotect(cookie);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
