using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Hardening;

/// <summary>
/// The API edge against hostile or careless callers: cross-site forgery with the session cookie (defect 5) and
/// segments a measure does not have (defect 6), on SQLite and PostgreSQL where values are stored.
/// </summary>
public abstract class ApiHardeningTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : ApiHardeningTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : ApiHardeningTests(DatabaseProvider.Postgres);

    private const string Import = "/api/v1/scorecards/customer-support/observations/import";
    private const string Csv = "measure,period,value,note\ncost-per-ticket,2040-01,5,forged\n";

    private static async Task<int> ForgedRowsAsync(RunningApp app)
    {
        await using var db = await app.Services.GetRequiredService<SystemDbContexts>().CreateDbContextAsync();
        return await db.Observations.CountAsync(o => o.Period == "2040-01" || o.Period == "2040-02");
    }

    private static HttpRequestMessage Post(string url, HttpContent content, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, UriKind.Relative)) { Content = content };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    private static MultipartFormDataContent Multipart()
    {
        var form = new MultipartFormDataContent();
        form.Add(new StringContent(Csv), "file", "forged.csv");
        return form;
    }

    [Fact]
    public async Task CookieOnlyChanges_FromAnotherSiteOrAsAFormCouldSendThem_AreRefusedAndStoreNothing()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var attempts = new (string What, HttpRequestMessage Request)[]
        {
            ("text/plain from another site", Post(Import, new StringContent(Csv, Encoding.UTF8, "text/plain"), "http://evil.example")),
            ("multipart from another site", Post(Import, Multipart(), "http://evil.example")),
            ("text/plain without an Origin", Post(Import, new StringContent(Csv, Encoding.UTF8, "text/plain"), null)),
            ("multipart without an Origin", Post(Import, Multipart(), null)),
            ("a form post without an Origin", Post(Import, new FormUrlEncodedContent([new("measure,period,value\ncost-per-ticket,2040-01,5\n", "")]), null)),
            ("JSON from another site", Post("/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations", JsonContent.Create(new { period = "2040-02", value = 1 }), "http://evil.example")),
        };

        foreach (var (what, request) in attempts)
        {
            using (request)
            {
                request.Headers.Add("Sec-Fetch-Site", request.Headers.Contains("Origin") ? "cross-site" : "same-origin");
                using var response = await app.Client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.Equal(0, await ForgedRowsAsync(app));
    }

    [Fact]
    public async Task ChangesFromThisSitesPages_OrWithAToken_AreStillTaken()
    {
        await using var app = await RunningApp.StartAsync(provider);
        using (var fromPage = await app.PostFromSiteAsync(app.Client, Import, Multipart()))
        {
            Assert.Equal(HttpStatusCode.OK, fromPage.StatusCode);
        }

        // A token is never sent by the browser on its own: whatever the Origin says, it is the caller's own request.
        string token = await app.CreateTokenAsync(RunningApp.AdminName);
        using var script = app.NewClient();
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var withToken = Post("/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations", JsonContent.Create(new { period = "2040-02", value = 1 }), "http://elsewhere.example");
        using (var response = await script.SendAsync(withToken))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        // A CSV body from a script with the cookie (no browser form can send text/csv) stays possible.
        using var csv = await app.Client.PostAsync(Import, new StringContent(Csv.Replace("forged", "again", StringComparison.Ordinal), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal(3, await ForgedRowsAsync(app));
    }

    [Fact]
    public async Task Observation_ASegmentTheMeasureDoesNotHave_Is400NamingTheSegment_AndTheExportImportsAgain()
    {
        await using var app = await RunningApp.StartAsync(provider);
        const string plain = "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations";

        using var bogus = await app.Client.PostAsJsonAsync(plain, new { period = "2033-05", value = 5, segment = "bogus" });
        var problem = JsonNode.Parse(await bogus.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        Assert.Contains("'cost-per-ticket' is not tracked per segment", (string)problem["errors"]!["segment"]![0]!, StringComparison.Ordinal);
        using var unknown = await app.Client.PostAsJsonAsync("/api/v1/scorecards/customer-support/measures/csat/observations", new { period = "2033-05", value = 80, segment = "bogus" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var missing = await app.Client.PostAsJsonAsync("/api/v1/scorecards/customer-support/measures/csat/observations", new { period = "2033-05", value = 80 });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        await using (var db = await app.Services.GetRequiredService<SystemDbContexts>().CreateDbContextAsync())
        {
            Assert.Equal(0, await db.Observations.CountAsync(o => o.Period == "2033-05"));
        }

        // A segment's value: created where its own address says (the segment included), and read back from there.
        using var dealers = await app.Client.PostAsJsonAsync("/api/v1/scorecards/customer-support/measures/csat/observations", new { period = "2033-05", value = 71, segment = "dealers" });
        Assert.Equal(HttpStatusCode.Created, dealers.StatusCode);
        string location = dealers.Headers.Location!.OriginalString;
        Assert.Equal("/api/v1/scorecards/customer-support/measures/csat/observations/2033-05?segment=dealers", location);
        var read = JsonNode.Parse(await app.Client.GetStringAsync(location))!;
        Assert.Equal((71.0, "dealers"), ((double)read["value"]!, (string)read["segment"]!));

        // What the API stored exports as a file that imports again.
        string export = await app.Client.GetStringAsync("/api/v1/scorecards/customer-support/observations/export?format=csv");
        using var again = await app.Client.PostAsync(Import, new StringContent(export, Encoding.UTF8, "text/csv"));
        Assert.True(again.StatusCode == HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
    }
}
