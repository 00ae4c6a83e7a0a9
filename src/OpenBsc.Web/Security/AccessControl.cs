using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenBsc.Application.Features.Security;

namespace OpenBsc.Web.Security;

/// <summary>
/// The one place access is decided, for every endpoint: anonymous → 401 (API) or the sign-in page; a disabled user
/// or a session whose security stamp changed (logout, reset, role change) → treated as anonymous at once; a
/// read-only token → no writes; then the endpoint's <see cref="AccessAttribute"/> against the user's role, on the
/// route's scorecard for scorecard endpoints (another organisation's scorecard is "not found": ids never leak).
/// </summary>
public sealed class AccessControl(RequestDelegate next, AccessQueries queries)
{
    public const string ScopeClaim = "openbsc:scope";

    public async Task InvokeAsync(HttpContext context, RequestContext request)
    {
        var endpoint = context.GetEndpoint();
        var rule = endpoint?.Metadata.GetMetadata<AccessAttribute>();
        var access = await UserAsync(context);
        if (access is not null)
        {
            // Everything this request does — queries, raw SQL, audited changes — works in the user's organisation, as the user.
            request.Set(access.OrganisationId, access.UserName);
        }
        if (endpoint is null || rule?.Scope == AccessScope.Public)
        {
            await next(context);
            return;
        }

        bool api = IsApi(context.Request.Path);
        if (access is null)
        {
            if (api)
            {
                await Problem(context, StatusCodes.Status401Unauthorized, "Sign in first", "Send a personal API token (Authorization: Bearer …; create one under Account → API tokens) or sign in.");
            }
            else
            {
                context.Response.Redirect("/login?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            }

            return;
        }

        if (rule is null && IsFrameworkRefusal(endpoint))
        {
            // Routing found the address but not the method or the media type: the framework's own 405 or 415, which
            // does nothing but say so (as problem details for the API: ApiErrors).
            await next(context);
            return;
        }

        if (rule is null)
        {
            await Problem(context, StatusCodes.Status403Forbidden, "Not allowed", "This address has no access rule, so nobody may use it.");
            return;
        }

        if (api && CrossSite(context) is { } crossSite)
        {
            await Problem(context, StatusCodes.Status403Forbidden, "Cross-site request refused", crossSite);
            return;
        }

        if (context.User.FindFirstValue(ScopeClaim) == "read" && !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            await Problem(context, StatusCodes.Status403Forbidden, "Read-only token", "This API token may only read (GET). Create a token with the write scope to change data.");
            return;
        }

        if (access.MustChangePassword && !context.Request.Path.StartsWithSegments("/account/password") && !context.Request.Path.StartsWithSegments("/account/logout"))
        {
            if (api)
            {
                await Problem(context, StatusCodes.Status403Forbidden, "Choose a password first", "Your password was a one-time password: sign in on the web and choose your own before using the API.");
            }
            else
            {
                context.Response.Redirect("/account/password");
            }

            return;
        }

        if (!api && context.User.Identity?.AuthenticationType != BearerTokens.SchemeName && context.User.FindFirst(SingleSignOnEndpoints.SsoClaim) is null && context.User.FindFirst(PasskeyEndpoints.PasskeyClaim) is null
            && (context.Items[typeof(RequestStamps)] as RequestStamps)?.MustSetUpSecondFactor == true
            && !context.Request.Path.StartsWithSegments("/account/second-factor") && !context.Request.Path.StartsWithSegments(PasskeyEndpoints.PagePath) && !context.Request.Path.StartsWithSegments("/account/logout") && !context.Request.Path.StartsWithSegments("/account/password"))
        {
            // The organisation requires a second factor: a session without one may only set it up (or leave). A
            // session begun through single sign-on is exempt: the identity provider asks for its own. So is one begun
            // with a passkey (the device and its PIN or fingerprint: two factors); adding a passkey is a way to set one up.
            context.Response.Redirect("/account/second-factor?required=true");
            return;
        }

        var role = rule.RoleFor(context.Request.Method);
        AccessRole held;
        if (rule.Scope == AccessScope.Scorecard)
        {
            string? key = context.GetRouteValue("key")?.ToString();
            var card = key is null ? null : await queries.ScorecardAsync(access.OrganisationId, key, (context.Items[typeof(RequestStamps)] as RequestStamps)?.DataStamp);
            if (card is null)
            {
                if (!api)
                {
                    // A page of no scorecard in the user's organisation is the not-found page, never an empty form
                    // whose post would act on nothing.
                    await Problem(context, StatusCodes.Status404NotFound, "Scorecard not found", $"There is no scorecard '{key}'.");
                    return;
                }

                // No such scorecard in the user's organisation: the API endpoint says so itself, in its own words.
                await next(context);
                return;
            }

            held = access.RoleOn(card);
            if (held == AccessRole.None)
            {
                // Another organisation's scorecard looks exactly like a missing one.
                await Problem(context, StatusCodes.Status404NotFound, "Scorecard not found", $"There is no scorecard '{key}'.");
                return;
            }

            context.Items[typeof(ScorecardRef)] = card;
        }
        else
        {
            held = rule.Scope == AccessScope.SignedIn ? AccessRole.Administrator : access.Role;
        }

        if (held < role)
        {
            await Problem(context, StatusCodes.Status403Forbidden, "Not allowed", $"This needs the {AccessRoles.Name(role)} role; you are {AccessRoles.Name(held)} here. Ask an administrator if you need more.");
            return;
        }

        await next(context);
    }

    private async Task<UserAccess?> UserAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true || !Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            return null;
        }

        var stamps = await queries.StampsAsync(id);
        var access = stamps is null ? null : await queries.AccessAsync(id, stamps);
        bool cookie = context.User.Identity.AuthenticationType != BearerTokens.SchemeName;
        string? stamp = context.User.FindFirstValue(new IdentityOptions().ClaimsIdentity.SecurityStampClaimType);
        if (access is null || (cookie && stamp != access.SecurityStamp))
        {
            // Disabled, deleted, signed out elsewhere or reset: this session ends now.
            if (cookie)
            {
                await context.SignOutAsync(IdentityConstants.ApplicationScheme);
            }

            context.User = new ClaimsPrincipal(new ClaimsIdentity());
            return null;
        }

        context.Items[typeof(UserAccess)] = access;
        // Read in the same round trip: the page cache uses it instead of asking again.
        context.Items[typeof(RequestStamps)] = stamps;
        return access;
    }

    /// <summary>
    /// Why a change sent to the API with the session cookie is refused as cross-site request forgery, or null. The
    /// cookie goes with any request the browser makes, so a change made with it must come from this site's own pages:
    /// an Origin (or Sec-Fetch-Site) naming another site is refused; and a body a plain HTML form can send
    /// (text/plain, multipart/form-data, application/x-www-form-urlencoded) needs an Origin naming this site, because
    /// such a request needs no permission from the browser to be sent across sites. A bearer token is never sent by
    /// the browser on its own: token requests are not checked.
    /// </summary>
    private static string? CrossSite(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || context.User.Identity?.AuthenticationType == BearerTokens.SchemeName)
        {
            return null;
        }

        string? origin = request.Headers.Origin;
        bool sameOrigin = origin is not null && Uri.TryCreate(origin, UriKind.Absolute, out var from)
            && string.Equals(from.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
        if (origin is not null && !sameOrigin)
        {
            return $"This change came from another site ({origin}) with your session cookie, so it was not made. Use an API token (Authorization: Bearer …) to call the API from elsewhere.";
        }

        if (request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
        {
            return "This change came from another site with your session cookie, so it was not made. Use an API token (Authorization: Bearer …) to call the API from elsewhere.";
        }

        string type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        return !sameOrigin && type is "text/plain" or "multipart/form-data" or "application/x-www-form-urlencoded"
            ? $"A {type} body sent with the session cookie must come from this site's pages (an Origin header naming this site). Use an API token (Authorization: Bearer …) to send it from a script."
            : null;
    }

    /// <summary>The endpoints routing makes when an address matches but its method or media type does not.</summary>
    private static bool IsFrameworkRefusal(Endpoint endpoint) =>
        endpoint.DisplayName is "405 HTTP Method Not Supported" or "415 HTTP Unsupported Media Type";

    public static bool IsApi(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi");

    private static Task Problem(HttpContext context, int status, string title, string detail)
    {
        if (!IsApi(context.Request.Path) && status == StatusCodes.Status404NotFound)
        {
            // Pages: the app's own not-found page (status-code re-execution), which shows this problem.
            context.Items[typeof(Components.Pages.PageProblem)] = new Components.Pages.PageProblem(status, title, detail);
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        return Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
    }
}
