using OpenBsc.Application.Features.Security;

namespace OpenBsc.Web.Security;

/// <summary>What an endpoint's access is checked against.</summary>
public enum AccessScope
{
    /// <summary>Anyone, signed in or not (sign-in page, assets, error pages).</summary>
    Public,

    /// <summary>Any signed-in user; the endpoint itself limits what it shows to what the user may see.</summary>
    SignedIn,

    /// <summary>The user's role in their organisation.</summary>
    Organisation,

    /// <summary>The user's role on the scorecard named by the route's <c>{key}</c>.</summary>
    Scorecard,
}

/// <summary>
/// The access an endpoint needs: every endpoint carries one (pages by <c>@attribute [Access(...)]</c>, minimal APIs
/// by <see cref="AccessEndpoints.RequireAccess{T}"/>); an endpoint without one is refused (fail closed).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class AccessAttribute(AccessScope scope, AccessRole role = AccessRole.Viewer) : Attribute
{
    public AccessScope Scope { get; } = scope;

    public AccessRole Role { get; } = role;

    /// <summary>For a page whose form posts change data: the role a POST needs (default: <see cref="Role"/>).</summary>
    public AccessRole PostRole { get; init; } = (AccessRole)(-1);

    public AccessRole RoleFor(string method) => HttpMethods.IsPost(method) && Enum.IsDefined(PostRole) ? PostRole : Role;
}

public static class AccessEndpoints
{
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, AccessScope scope, AccessRole role = AccessRole.Viewer)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessAttribute(scope, role));

    /// <summary>
    /// A group's default: reads (GET, HEAD) need <paramref name="read"/>, other methods <paramref name="write"/>, on the
    /// scorecard of the route (routes with <c>{key}</c>) or in the organisation. An endpoint's own access wins.
    /// </summary>
    public static TBuilder AccessByMethod<TBuilder>(this TBuilder builder, AccessRole read, AccessRole write)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<HttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? [];
            bool reads = methods.Count > 0 && methods.All(m => m is "GET" or "HEAD");
            bool scoped = endpoint is RouteEndpointBuilder route && route.RoutePattern.Parameters.Any(p => p.Name == "key");
            endpoint.Metadata.Insert(0, new AccessAttribute(scoped ? AccessScope.Scorecard : AccessScope.Organisation, reads ? read : write));
        });
        return builder;
    }

    /// <summary>The signed-in user's access (set by <see cref="AccessControl"/>); null when anonymous.</summary>
    public static UserAccess? Access(this HttpContext context) => context.Items[typeof(UserAccess)] as UserAccess;

    /// <summary>The scorecard of the route and the user's role on it (set by <see cref="AccessControl"/> for scorecard endpoints).</summary>
    public static (ScorecardRef Scorecard, AccessRole Role)? ScorecardAccess(this HttpContext context) =>
        context.Items[typeof(ScorecardRef)] is ScorecardRef card && context.Access() is { } access ? (card, access.RoleOn(card)) : null;
}
