using System.Net;
using System.Text;
using OpenBsc.Application.Data;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Connectors;

/// <summary>
/// <c>/api/v1/sources</c> over real HTTP on the demo app, with a Kestrel source on loopback (allowed by the app's
/// configuration): ETag/If-Match, run now, history, the push URL and its token scoped to one source, the measure
/// page naming the source, and the secret absent from answers and the audit export.
/// </summary>
public sealed class SourcesApiTests : IAsyncLifetime
{
    private const string Secret = "api-bearer-secret-42";
    private RunningApp _app = null!;
    private SourceServer _source = null!;

    public async Task InitializeAsync()
    {
        _app = await RunningApp.StartAsync(DatabaseProvider.Sqlite, demo: true, 10_000, "--OpenBsc:Connectors:AllowLoopback=true", "--OpenBsc:Connectors:Background=false");
        _source = await SourceServer.StartAsync();
        _source.Token = Secret;
        _source.Put("/costs.csv", "text/csv", "measure,period,value\ncost-per-ticket,2026-12,7.25\n");
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _app.DisposeAsync();
    }

    private static string Body(string name, string address) =>
        $$"""{"name":"{{name}}","kind":"http","address":"{{address}}","format":"csv","auth":"bearer","secret":"{{Secret}}","owner":"{{RunningApp.AdminName}}","bindings":[{"scorecard":"customer-support","query":""}]}""";

    [Fact]
    public async Task ASourceIsCreatedChangedWithIfMatchRunAndPushedTo()
    {
        var (created, body, etag) = await _app.SendJsonAsync(HttpMethod.Post, "/api/v1/sources", Body("Finance API", _source.Url + "/costs.csv"));
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("\"1\"", etag);
        Assert.True(body!["hasSecret"]!.GetValue<bool>());
        Assert.DoesNotContain(Secret, body.ToJsonString(), StringComparison.Ordinal);
        long id = body["id"]!.GetValue<long>();

        var (missing, _, _) = await _app.SendJsonAsync(HttpMethod.Put, $"/api/v1/sources/{id}", Body("Finance API", _source.Url + "/costs.csv"));
        Assert.Equal(HttpStatusCode.PreconditionRequired, missing);
        var (changed, _, newTag) = await _app.SendJsonAsync(HttpMethod.Put, $"/api/v1/sources/{id}", Body("Finance API", _source.Url + "/costs.csv").Replace($",\"secret\":\"{Secret}\"", "", StringComparison.Ordinal), "\"1\"");
        Assert.Equal(HttpStatusCode.OK, changed);
        Assert.Equal("\"2\"", newTag);
        var (stale, _, _) = await _app.SendJsonAsync(HttpMethod.Put, $"/api/v1/sources/{id}", Body("Finance API", _source.Url + "/costs.csv"), "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale);
        var (invalid, problem, _) = await _app.SendJsonAsync(HttpMethod.Post, "/api/v1/sources", Body("Bad", "ftp://example.org/x"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid);
        Assert.Contains("address: 'ftp://example.org/x' is not an http(s) URL", problem!["errors"]!["address"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // The kept secret (the change sent none) still authenticates the run.
        var (ran, run, _) = await _app.SendJsonAsync(HttpMethod.Post, $"/api/v1/sources/{id}/run");
        Assert.Equal(HttpStatusCode.OK, ran);
        Assert.Equal("succeeded", run!["status"]!.GetValue<string>());
        Assert.True(run["added"]!.GetValue<int>() == 1, run.ToJsonString());
        var page = await _app.Client.GetStringAsync("/scorecards/customer-support/measures/cost-per-ticket");
        Assert.Contains("From Finance API, updated", page, StringComparison.Ordinal);

        // The push token writes to its own source only.
        var (_, other, _) = await _app.SendJsonAsync(HttpMethod.Post, "/api/v1/sources", Body("Other", _source.Url + "/costs.csv"));
        var (_, token, _) = await _app.SendJsonAsync(HttpMethod.Post, $"/api/v1/sources/{id}/push-token");
        string push = token!["token"]!.GetValue<string>();
        var anonymous = _app.NewClient();
        async Task<HttpResponseMessage> PushAsync(long to, string? with, string csv)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sources/{to}/push") { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };
            if (with is not null)
            {
                request.Headers.Add("X-OpenBsc-Push-Token", with);
            }

            return await anonymous.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await PushAsync(id, null, "measure,period,value\ncost-per-ticket,2026-12,7\n")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PushAsync(other!["id"]!.GetValue<long>(), push, "measure,period,value\ncost-per-ticket,2026-12,7\n")).StatusCode);
        var bad = await PushAsync(id, push, "measure,period,value\ncost-per-ticket,2026-12,seven\n");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("row 2: value: seven: expected a number", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var good = await PushAsync(id, push, "measure,period,value\ncost-per-ticket,2026-12,7\n");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);

        var (_, history, _) = await _app.SendJsonAsync(HttpMethod.Get, $"/api/v1/sources/{id}/runs");
        Assert.Equal(["push", "push", "demand"], history!.AsArray().Select(r => r!["trigger"]!.GetValue<string>()));
        Assert.Equal(["succeeded", "failed", "succeeded"], history.AsArray().Select(r => r!["status"]!.GetValue<string>()));

        string audit = await _app.Client.GetStringAsync("/audit.csv");
        Assert.Contains("source.added", audit, StringComparison.Ordinal);
        Assert.Contains("source:Finance API", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, audit, StringComparison.Ordinal);
        var (_, list, _) = await _app.SendJsonAsync(HttpMethod.Get, "/api/v1/sources");
        Assert.DoesNotContain(Secret, list!.ToJsonString(), StringComparison.Ordinal);
    }
}
