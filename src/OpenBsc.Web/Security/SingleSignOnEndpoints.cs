using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Organisations;

namespace OpenBsc.Web.Security;

/// <summary>
/// Single sign-on with OpenID Connect, per organisation: "Sign in with single sign-on" challenges the organisation's
/// own scheme (authorization code with PKCE); the provider's answer lands in a short-lived external cookie, and
/// <c>/account/sso/complete</c> turns the e-mail it vouches for into the organisation's account (found, created, or
/// refused) and a normal session.
/// </summary>
public static class SingleSignOnEndpoints
{
    public const string CallbackPrefix = "/account/sso/callback/";

    /// <summary>Holds the provider's answer between the callback and the completion (5 minutes).</summary>
    public const string ExternalScheme = "openbsc.external";

    /// <summary>On a session begun through single sign-on: the provider, not OpenBsc, asks for any second factor.</summary>
    public const string SsoClaim = "openbsc:sso";

    private const string OrganisationItem = "openbsc.organisation";
    private const string ReturnItem = "openbsc.return";

    public static string SchemeName(Guid organisationId) => "oidc-" + organisationId.ToString("N");

    public static IEndpointRouteBuilder MapSingleSignOn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/sso/{organisation:guid}", ChallengeAsync).WithName("SingleSignOn").RequireAccess(AccessScope.Public).ExcludeFromDescription();
        app.MapGet("/account/sso/complete", CompleteAsync).WithName("SingleSignOnComplete").RequireAccess(AccessScope.Public).ExcludeFromDescription();
        return app;
    }

    /// <summary>Before authentication: a provider's answer for an organisation this node has no scheme for yet (a restart, another node) finds one.</summary>
    public static IApplicationBuilder UseSingleSignOnCallbacks(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(CallbackPrefix.TrimEnd('/'), out var rest) && Guid.TryParseExact(rest.Value?.Trim('/'), "N", out var organisation))
        {
            await context.RequestServices.GetRequiredService<SingleSignOnSchemes>().EnsureAsync(organisation, context.RequestAborted);
        }

        await next(context);
    });

    private static async Task<IResult> ChallengeAsync(Guid organisation, string? returnUrl, SingleSignOnSchemes schemes, HttpContext http)
    {
        if (await schemes.EnsureAsync(organisation, http.RequestAborted) is null)
        {
            return Results.Redirect("/login?problem=sso-off");
        }

        var properties = new AuthenticationProperties { RedirectUri = "/account/sso/complete" };
        properties.Items[OrganisationItem] = organisation.ToString();
        properties.Items[ReturnItem] = AccountEndpoints.LocalUrl(returnUrl);
        return Results.Challenge(properties, [SchemeName(organisation)]);
    }

    private static async Task<IResult> CompleteAsync(HttpContext http, SingleSignOn sso, UserManager<OpenBscUser> users, SignInManager<OpenBscUser> signIn, TimeProvider clock)
    {
        var result = await http.AuthenticateAsync(ExternalScheme);
        await http.SignOutAsync(ExternalScheme);
        string? organisation = null;
        if (!result.Succeeded || result.Properties?.Items.TryGetValue(OrganisationItem, out organisation) != true || !Guid.TryParse(organisation, out var organisationId)
            || await sso.GetAsync(organisationId, http.RequestAborted) is not { } settings)
        {
            return Results.Redirect("/login?problem=sso-failed");
        }

        var (user, refusal) = await sso.AccountAsync(users, settings, result.Principal!.FindFirstValue(settings.EmailClaim));
        if (user is null)
        {
            return Results.Redirect("/login?problem=" + refusal switch
            {
                SingleSignOnRefusal.Disabled => "sso-disabled",
                SingleSignOnRefusal.OtherOrganisation => "sso-other-organisation",
                SingleSignOnRefusal.NoEmail => "sso-no-email",
                _ => "sso-no-account",
            });
        }

        user.LastSignInAt = clock.GetUtcNow().UtcDateTime;
        await users.UpdateAsync(user);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(SsoClaim, organisationId.ToString())]);
        return Results.Redirect(AccountEndpoints.LocalUrl(result.Properties!.Items.TryGetValue(ReturnItem, out string? back) ? back : null));
    }
}

/// <summary>
/// The OpenID Connect schemes of organisations, added when first needed; a scheme's options are rebuilt when the
/// organisation's settings change (compared at each sign-in), so a saved change counts on every node.
/// </summary>
public sealed class SingleSignOnSchemes(IAuthenticationSchemeProvider schemes, IOptionsMonitorCache<OpenIdConnectOptions> options, SingleSignOn sso)
{
    private readonly ConcurrentDictionary<Guid, string> _fingerprints = new();

    /// <summary>The organisation's single sign-on with its scheme ready, or null when it has none.</summary>
    public async Task<SingleSignOnSettings?> EnsureAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        var settings = await sso.GetAsync(organisationId, cancellationToken);
        if (settings is null)
        {
            return null;
        }

        string name = SingleSignOnEndpoints.SchemeName(organisationId);
        if (await schemes.GetSchemeAsync(name) is null)
        {
            schemes.TryAddScheme(new AuthenticationScheme(name, settings.OrganisationName, typeof(OpenIdConnectHandler)));
        }

        if (!_fingerprints.TryGetValue(organisationId, out string? known) || known != settings.Fingerprint)
        {
            options.TryRemove(name);
            _fingerprints[organisationId] = settings.Fingerprint;
        }

        return settings;
    }
}

/// <summary>Builds an organisation's OpenID Connect client options from its settings (scheme "oidc-{organisation}").</summary>
public sealed class ConfigureSingleSignOn(SingleSignOn sso) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name is null || !name.StartsWith("oidc-", StringComparison.Ordinal) || !Guid.TryParseExact(name[5..], "N", out var organisation))
        {
            return;
        }

        // Options are built synchronously; this runs once per scheme and settings change, not per request.
        var settings = sso.GetAsync(organisation).GetAwaiter().GetResult();
        if (settings is null)
        {
            return;
        }

        options.Authority = settings.Authority;
        options.ClientId = settings.ClientId;
        options.ClientSecret = settings.ClientSecret;
        // Plain http only for a provider on this machine (the settings refuse it elsewhere).
        options.RequireHttpsMetadata = new Uri(settings.Authority).Scheme == Uri.UriSchemeHttps;
        options.ResponseType = OpenIdConnectResponseType.Code;
        // The answer comes back as a top-level GET, so the correlation cookies can be SameSite=Lax (form_post would need None).
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.CallbackPath = SingleSignOnEndpoints.CallbackPrefix + organisation.ToString("N");
        options.SignInScheme = SingleSignOnEndpoints.ExternalScheme;
        options.MapInboundClaims = false;
        options.SaveTokens = false;
        options.Scope.Clear();
        options.Scope.Add("openid");
        options.Scope.Add("email");
        options.Scope.Add("profile");
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Events.OnRemoteFailure = context =>
        {
            // Another issuer or audience, a bad signature, an expired answer, a refusal at the provider: never a session.
            context.Response.Redirect("/login?problem=sso-failed");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }
}
