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

        if (rule is null)
        {
            await Problem(context, StatusCodes.Status403Forbidden, "Not allowed", "This address has no access rule, so nobody may use it.");
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

        if (!api && context.User.Identity?.AuthenticationType != BearerTokens.SchemeName && context.User.FindFirst(SingleSignOnEndpoints.SsoClaim) is null && (context.Items[typeof(RequestStamps)] as RequestStamps)?.MustSetUpSecondFactor == true
            && !context.Request.Path.StartsWithSegments("/account/second-factor") && !context.Request.Path.StartsWithSegments("/account/logout") && !context.Request.Path.StartsWithSegments("/account/password"))
        {
            // The organisation requires a second factor: a session without one may only set it up (or leave). A
            // session begun through single sign-on is exempt: the identity provider asks for its own.
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
                // No such scorecard anywhere: the endpoint says so itself.
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

    public static bool IsApi(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi");

    private static Task Problem(HttpContext context, int status, string title, string detail)
    {
        if (!IsApi(context.Request.Path) && status == StatusCodes.Status404NotFound)
        {
            // Pages: the app's own not-found page (status-code re-execution).
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        return Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
    }
}
