using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBsc.Testing;

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server) on a loopback port, for single sign-on tests: authorization
/// code flow with PKCE, one client (<see cref="ClientId"/> / <see cref="ClientSecret"/>), and a sign-in page where
/// the test types the e-mail the provider vouches for. With <c>wrongIssuer</c> its discovery document names another
/// issuer than the one its tokens carry (a token "from another issuer").
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "openbsc";
    public const string ClientSecret = "the provider's secret for OpenBsc";

    private readonly WebApplication _app;

    private TestIdentityProvider(WebApplication app) => _app = app;

    /// <summary>The issuer (the authority OpenBsc is given).</summary>
    public string Authority => _app.Urls.First() + "/";

    public static async Task<TestIdentityProvider> StartAsync(bool wrongIssuer = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            // No database: the test checks the one client itself (degraded mode), and codes are self-contained.
            o.EnableDegradedMode();
            o.DisableTokenStorage();
            o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            o.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }
                else if (context.RedirectUri is null || !context.RedirectUri.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
                {
                    context.Reject(Errors.InvalidRequest, "Unknown redirect_uri.");
                }

                return default;
            }));
            o.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.ClientSecret != ClientSecret)
                {
                    context.Reject(Errors.InvalidClient, "Wrong client credentials.");
                }

                return default;
            }));
            if (wrongIssuer)
            {
                o.AddEventHandler<OpenIddictServerEvents.ApplyConfigurationResponseContext>(b => b.UseInlineHandler(context =>
                {
                    context.Response[Metadata.Issuer] = "http://issuer.invalid/";
                    return default;
                }));
            }
        });
        var app = builder.Build();
        app.MapMethods("/connect/authorize", ["GET", "POST"], Authorize);
        await app.StartAsync();
        return new TestIdentityProvider(app);
    }

    /// <summary>The provider's sign-in page: a form asking the e-mail, posted back with the request's parameters; then the code.</summary>
    private static IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("No OpenID Connect request.");
        string? email = (string?)request["login_email"];
        if (string.IsNullOrEmpty(email))
        {
            var page = new StringBuilder("<!doctype html><html><head><title>Test identity provider</title></head><body><h1>Test identity provider</h1><form method=\"post\" action=\"/connect/authorize\">");
            foreach (var parameter in request.GetParameters())
            {
                page.Append($"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(parameter.Key)}\" value=\"{WebUtility.HtmlEncode((string?)parameter.Value)}\" />");
            }

            page.Append("<label>E-mail <input name=\"login_email\" type=\"email\" /></label><button type=\"submit\">Sign in at the provider</button></form></body></html>");
            return Results.Content(page.ToString(), "text/html; charset=utf-8");
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, "sub-" + email).SetClaim(Claims.Email, email).SetClaim(Claims.Name, email);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
