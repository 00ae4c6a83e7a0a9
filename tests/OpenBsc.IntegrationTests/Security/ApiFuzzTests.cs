using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// Every API endpoint of the app (found in EndpointDataSource, so endpoints added later are fuzzed too) with fuzzed
/// route values, query strings, headers and bodies, seeded and reproducible (OPENBSC_FUZZ_SEED): never a 500, never a
/// stack trace, and a refused request (4xx) stores nothing — checked after every one of them.
/// </summary>
public sealed partial class ApiFuzzTests
{
    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("OPENBSC_FUZZ_SEED"), out int s) ? s : 20261130;

    private static readonly string[] Bodies =
    [
        """{"period":"2026-05","value":1.5,"note":"n"}""",
        """{"value":2,"reason":"recount"}""",
        """{"id":"fuzz-item","name":"Fuzz","target":1,"baseline":0}""",
        """{"from":"loyal-customers","to":"lower-cost-to-serve","note":"x"}""",
        """{"between":["lower-cost-to-serve","loyal-customers"]}""",
        """{"period":"2026-06","changes":[{"measure":"csat","target":90}]}""",
        "measure,period,value\ncsat,2026-05,80,\n",
        "",
    ];

    [Fact]
    public async Task EveryApiEndpoint_3000FuzzedRequests_No500NoStackTrace_AndRefusedRequestsStoreNothing()
    {
        await using var app = await RunningApp.StartAsync();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct()
            .OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();
        Assert.True(endpoints.Count > 30, $"only {endpoints.Count} API endpoints found");
        var contexts = app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>();
        var random = new Random(Seed);
        for (int i = 0; i < 3_000; i++)
        {
            var (method, pattern) = endpoints[i % endpoints.Count];
            string url = Fill(random, pattern) + Query(random);
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative));
            string body = string.Empty;
            if (method is "POST" or "PUT" or "PATCH")
            {
                body = random.Next(4) == 0 ? RandomText(random) : FuzzTests.Mutate(random, Bodies[random.Next(Bodies.Length)]);
                string type = random.Next(5) switch { 0 => "text/csv", 1 => "text/plain", _ => "application/json" };
                request.Content = new StringContent(body, Encoding.UTF8, type);
            }

            if (random.Next(3) == 0)
            {
                request.Headers.TryAddWithoutValidation("If-Match", random.Next(2) == 0 ? "*" : $"\"{random.Next(-5, 50)}\"");
            }

            var before = await StateAsync(contexts);
            using var response = await app.Client.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();

            string what = $"seed {Seed} case {i}: {method} {url} {body}";
            Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, $"{what} → 500: {text}");
            if ((int)response.StatusCode >= 400)
            {
                // An error says what to fix: no stack trace, no exception type names.
                Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
                Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
                Assert.True(before == await StateAsync(contexts), $"{what} was refused with {(int)response.StatusCode} but changed stored data");
            }
        }
    }

    /// <summary>What any write changes: observations (rows and their superseded marks), definitions, data versions, pending values.</summary>
    private static async Task<(int Observations, int Superseded, long Versions, long DataVersions, int Pending)> StateAsync(IDbContextFactory<OpenBscDbContext> contexts)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return (await db.Observations.CountAsync(), await db.Observations.CountAsync(o => o.SupersededAt != null),
            await db.Scorecards.SumAsync(s => s.Version), await db.Scorecards.SumAsync(s => s.DataVersion), await db.PendingObservations.CountAsync());
    }

    private static string Fill(Random random, string pattern) =>
        RouteValue().Replace(pattern, m => Uri.EscapeDataString(m.Groups[1].Value.ToLowerInvariant() switch
        {
            _ when random.Next(4) == 0 => FuzzTests.Mutate(random, "customer-support"),
            "key" => random.Next(3) == 0 ? "northwind-2026" : "customer-support",
            "period" => random.Next(2) == 0 ? "2026-05" : "2026-Q2",
            "version" => random.Next(0, 40).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "from" or "first" => "loyal-customers",
            "to" or "second" => "lower-cost-to-serve",
            "format" => random.Next(2) == 0 ? "csv" : "xlsx",
            _ => new[] { "csat", "nps", "cost-per-ticket", "loyal-customers", "customer", "self-service" }[random.Next(6)],
        }));

    private static string Query(Random random) => random.Next(3) switch
    {
        0 => string.Empty,
        1 => "?" + string.Join('&', new[] { "period", "page", "pageSize", "from", "to", "confirm", "position", "format", "history", "ytd" }
            .Where(_ => random.Next(3) == 0)
            .Select(name => $"{name}={Uri.EscapeDataString(FuzzTests.Mutate(random, random.Next(2) == 0 ? "2026-05" : "10"))}")),
        _ => "?period=" + Uri.EscapeDataString(RandomText(random)),
    };

    private static string RandomText(Random random) =>
        new([.. Enumerable.Range(0, random.Next(0, 200)).Select(_ => (char)random.Next(1, 0x800))]);

    [GeneratedRegex(@"\{\*?([a-zA-Z]+)(:[^}]*)?\??\}")]
    private static partial Regex RouteValue();
}
