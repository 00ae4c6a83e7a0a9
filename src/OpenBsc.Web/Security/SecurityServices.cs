using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Identity;
using OpenBsc.Application.Data;

namespace OpenBsc.Web.Security;

/// <summary>
/// Marks an endpoint (a minimal API or a page) that takes an upload or parses a file: its posts run at most
/// <see cref="WebSettings.MaxConcurrentUploads"/> at once (<see cref="SecurityServices"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class UploadLimitAttribute : Attribute
{
    /// <summary>A POST or PUT to an endpoint marked as an upload.</summary>
    public static bool Applies(HttpContext context) =>
        (HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPut(context.Request.Method))
        && context.GetEndpoint()?.Metadata.GetMetadata<UploadLimitAttribute>() is not null;
}

/// <summary>Sign-in (cookie for the browser, personal tokens for the API), the login and upload limits and antiforgery cookies.</summary>
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
        // After the cookie handler's own post-configuration (registered by AddCookie above): each session cookie is
        // decrypted once per node, not once per request (RememberedSessions).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IPostConfigureOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>, RememberSessions>());
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
            // Uploads and file parses run a bounded number at once; one more is refused at once (503, Retry-After)
            // rather than queued without bound (each may hold a file's worth of memory and a parser's time).
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => UploadLimitAttribute.Applies(context)
                ? RateLimitPartition.GetConcurrencyLimiter("uploads", _ => new ConcurrencyLimiterOptions { PermitLimit = settings.MaxConcurrentUploads, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("other"));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                if (UploadLimitAttribute.Applies(http))
                {
                    http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    const string detail = "The server is handling as many files as it takes at once. Nothing was stored: send the file again in a few seconds.";
                    if (AccessControl.IsApi(http.Request.Path))
                    {
                        await Api.ApiProblems.Busy(http, "Too many uploads at once", detail).ExecuteAsync(http);
                        return;
                    }

                    http.Response.Headers.RetryAfter = Api.ApiProblems.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    http.Response.ContentType = "text/plain; charset=utf-8";
                    await http.Response.WriteAsync(detail, cancellationToken);
                    return;
                }

                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("Too many sign-in attempts from this address: wait a minute and try again.", cancellationToken);
            };
        });
        return services;
    }
}
