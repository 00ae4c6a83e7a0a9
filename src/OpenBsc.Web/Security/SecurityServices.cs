using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Identity;
using OpenBsc.Application.Data;

namespace OpenBsc.Web.Security;

/// <summary>Sign-in (cookie for the browser, personal tokens for the API), the login rate limit and antiforgery cookies.</summary>
public static class SecurityServices
{
    public const string LoginLimit = "login";

    public static IServiceCollection AddOpenBscSecurity(this IServiceCollection services, WebSettings settings)
    {
        new IdentityBuilder(typeof(OpenBscUser), services).AddSignInManager();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = "openbsc";
                o.DefaultChallengeScheme = "openbsc";
            })
            .AddPolicyScheme("openbsc", "cookie or token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? BearerTokens.SchemeName : IdentityConstants.ApplicationScheme)
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                o.Cookie.Name = "openbsc";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // Inactivity timeout: each request within the window slides it on.
                o.ExpireTimeSpan = settings.SessionTimeout;
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerTokens>(BearerTokens.SchemeName, null)
            .AddCookie(SingleSignOnEndpoints.ExternalScheme, o =>
            {
                o.Cookie.Name = "openbsc.external";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            });
        // Single sign-on: one OpenID Connect scheme per organisation, added when first used (SingleSignOnSchemes).
        services.AddWebEncoders();
        services.AddSingleton<SingleSignOnSchemes>();
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions>, ConfigureSingleSignOn>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IPostConfigureOptions<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions>,
            Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectPostConfigureOptions>());
        services.AddAntiforgery(o =>
        {
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(LoginLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.LoginAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address: wait a minute and try again.", cancellationToken);
            };
        });
        return services;
    }
}
