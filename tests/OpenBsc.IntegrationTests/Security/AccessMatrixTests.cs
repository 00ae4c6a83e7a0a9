using System.Net;
using System.Text;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;
using OpenBsc.IntegrationTests.Web;
using OpenBsc.Web.Security;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// Every endpoint of the app (from EndpointDataSource, pages included) × anonymous and each role: anonymous gets
/// 401 (API) or the sign-in page; a role below the endpoint's rule gets 403, at or above it does not. An endpoint
/// added later is in this matrix automatically; one without an access rule fails the first test.
/// </summary>
public sealed class AccessMatrixTests : IClassFixture<SqliteDemoApp>
{
    private readonly RunningApp _app;

    public AccessMatrixTests(SqliteDemoApp fixture) => _app = fixture.App;

    private sealed record Route(string Pattern, string Method, AccessAttribute? Rule, Type? Page);

    private IReadOnlyList<Route> Routes() =>
        [.. _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new Route(
                "/" + e.RoutePattern.RawText!.TrimStart('/'), m, e.Metadata.GetMetadata<AccessAttribute>(), e.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type)))
            .DistinctBy(r => (r.Pattern, r.Method))];

    [Fact]
    public void Endpoints_EveryOne_HasAnAccessRule()
    {
        var routes = Routes();
        Assert.True(routes.Count > 60, $"only {routes.Count} endpoints found");
        Assert.Empty(routes.Where(r => r.Rule is null).Select(r => $"{r.Method} {r.Pattern}"));
        // A page must say its rule itself (the convention's fallback, administrators only, is a safety net).
        Assert.Empty(routes.Where(r => r.Page is not null && r.Page.GetCustomAttributes(typeof(AccessAttribute), true).Length == 0).Select(r => $"{r.Method} {r.Pattern}"));
    }

    private static string Url(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{\*?([a-zA-Z]+)(:[^}]*)?\??\}", m => m.Groups[2].Value == ":guid" ? Guid.Empty.ToString() : m.Groups[2].Value == ":long" ? "999999" : m.Groups[1].Value.ToLowerInvariant() switch
        {
            "key" => "customer-support",
            "period" => "2026-01",
            "version" => "1",
            "name" => "for-profit",
            "documentname" => "v1",
            "measure" => "cost-per-ticket",
            _ => "nothing-here",
        });

    private static HttpRequestMessage Request(Route route)
    {
        var request = new HttpRequestMessage(new HttpMethod(route.Method), Url(route.Pattern));
        if (route.Method is not ("GET" or "HEAD"))
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return request;
    }

    [Fact]
    public async Task Endpoints_Anonymous_Get401OrTheSignInPage()
    {
        var anonymous = _app.NewClient();
        var failures = new List<string>();
        foreach (var route in Routes().Where(r => r.Rule!.Scope != AccessScope.Public))
        {
            using var response = await anonymous.SendAsync(Request(route));
            bool api = AccessControl.IsApi(new PathString(Url(route.Pattern)));
            bool ok = api ? response.StatusCode == HttpStatusCode.Unauthorized
                : response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.StartsWith("/login", StringComparison.Ordinal);
            if (!ok)
            {
                failures.Add($"{route.Method} {route.Pattern}: {(int)response.StatusCode}");
            }
        }

        Assert.Empty(failures);
    }

    [Theory]
    [InlineData(AccessRole.Viewer)]
    [InlineData(AccessRole.DataUpdater)]
    [InlineData(AccessRole.Editor)]
    [InlineData(AccessRole.Administrator)]
    public async Task Endpoints_EachRole_AllowedExactlyAsTheRuleSays(AccessRole role)
    {
        var client = await _app.SignInAsync($"matrix-{role}@test.example".ToLowerInvariant(), role);
        var failures = new List<string>();
        foreach (var route in Routes().Where(r => r.Rule!.Scope is AccessScope.Organisation or AccessScope.Scorecard))
        {
            using var response = await client.SendAsync(Request(route));
            bool expected = role >= route.Rule!.RoleFor(route.Method);
            bool denied = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;
            // A refusal of one item (someone else's measure or objective) is not the endpoint's rule refusing the role.
            string body = await response.Content.ReadAsStringAsync();
            bool deniedByRule = denied && !body.Contains("Not your measure", StringComparison.Ordinal) && !body.Contains("Not your item", StringComparison.Ordinal);
            if (expected == deniedByRule)
            {
                failures.Add($"{route.Method} {route.Pattern} as {role}: {(int)response.StatusCode}, expected {(expected ? "allowed" : "403")}");
            }
        }

        Assert.Empty(failures);
    }

    /// <summary>
    /// The endpoints and pages of one's own account (any signed-in role: password, second factor, passkeys, tokens)
    /// are open to every role; signing out is left out, as it would end the client's session mid-matrix.
    /// </summary>
    [Theory]
    [InlineData(AccessRole.None)]
    [InlineData(AccessRole.Viewer)]
    [InlineData(AccessRole.DataUpdater)]
    [InlineData(AccessRole.Editor)]
    [InlineData(AccessRole.Administrator)]
    public async Task SignedInEndpoints_EachRole_Allowed(AccessRole role)
    {
        var client = await _app.SignInAsync($"own-{role}@test.example".ToLowerInvariant(), role);
        var routes = Routes().Where(r => r.Rule!.Scope == AccessScope.SignedIn && r.Pattern != "/account/logout").ToList();
        Assert.Contains(routes, r => r.Pattern == "/account/passkeys" && r.Method == "GET");
        Assert.Contains(routes, r => r.Pattern == "/account/passkeys/options" && r.Method == "POST");
        Assert.Contains(routes, r => r.Pattern == "/account/passkeys/add" && r.Method == "POST");
        var failures = new List<string>();
        foreach (var route in routes)
        {
            using var response = await client.SendAsync(Request(route));
            string? location = response.Headers.Location?.OriginalString;
            if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized || location?.StartsWith("/login", StringComparison.Ordinal) == true)
            {
                failures.Add($"{route.Method} {route.Pattern} as {role}: {(int)response.StatusCode} {location}");
            }
        }

        Assert.Empty(failures);
    }

    /// <summary>The passkey sign-in is open to anyone (it is a way to sign in): reached, and refused only for its missing form.</summary>
    [Theory]
    [InlineData("/account/passkeys/sign-in/options")]
    [InlineData("/account/passkeys/sign-in")]
    public async Task PasskeySignIn_Anonymous_Reached(string path)
    {
        Assert.Contains(Routes(), r => r.Pattern == path && r.Method == "POST" && r.Rule!.Scope == AccessScope.Public);
        using var response = await _app.NewClient().SendAsync(Request(new Route(path, "POST", null, null)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
