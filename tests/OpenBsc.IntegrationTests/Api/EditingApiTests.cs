using OpenBsc.Application.Data;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Api;

/// <summary>The editing API through real HTTP on a real SQLite file: status codes, ETags and problem-details bodies.</summary>
public abstract class EditingApiTests(DatabaseProvider provider)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : EditingApiTests(DatabaseProvider.Sqlite);

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres() : EditingApiTests(DatabaseProvider.Postgres);

    private static Task<(HttpStatusCode Status, JsonNode? Body, string? ETag)> SendAsync(RunningApp app, HttpMethod method, string url, string? json = null, string? ifMatch = null) =>
        app.SendJsonAsync(method, url, json, ifMatch);

    private static async Task CreateAsync(RunningApp app, string id = "support", string perspectives = "default")
    {
        var (status, _, etag) = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards", $$"""{ "id": "{{id}}", "name": "Support {{id}}", "perspectives": "{{perspectives}}" }""");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("\"1\"", etag);
    }

    [Fact]
    public async Task Create_ThenAddEveryKindOfItem_EachStoredAndVersioned()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        await CreateAsync(app);

        var perspective = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/perspectives?position=0", """{ "id": "partners", "name": "Partners" }""");
        var objectiveA = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/objectives", """{ "perspective": "customer", "id": "loyal-customers", "name": "Keep customers loyal" }""");
        var objectiveB = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/objectives", """{ "parent": "loyal-customers", "id": "fast-answers", "name": "Answer fast" }""");
        var measure = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/measures", """
            { "objective": "fast-answers", "id": "first-response", "name": "First response time", "unit": "h", "direction": "decrease",
              "frequency": "week", "aggregation": "average", "baseline": 24, "target": 4, "targets": { "2026-Q2": 6 }, "min": 0, "max": 48,
              "scoring": { "type": "thresholds", "goal": 4, "redFlag": 12 }, "weight": 2, "owner": "ana@example.org",
              "concern": "time", "outcome": "retention", "valueProposition": "service" }
            """);
        var link = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/links", """{ "from": "fast-answers", "to": "loyal-customers", "note": "speed builds loyalty" }""");
        var tension = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/tensions", """{ "between": ["first-response", "loyal-customers"] }""");
        var initiative = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/initiatives", """{ "id": "chatbot", "name": "Chatbot", "objectives": ["fast-answers"], "budget": 1000 }""");

        Assert.All(new[] { perspective, objectiveA, objectiveB, measure, link, tension, initiative }, r => Assert.Equal(HttpStatusCode.Created, r.Status));
        Assert.Equal("\"8\"", initiative.ETag);
        var (status, got, etag) = await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/measures/first-response");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("\"8\"", etag);
        Assert.Equal(("fast-answers", "decrease", "week", 6.0, "thresholds", "time"),
            ((string?)got!["objective"], (string?)got["direction"], (string?)got["frequency"], (double)got["targets"]!["2026-Q2"]!, (string?)got["scoring"]!["type"], (string?)got["concern"]));
        var perspectives = (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/perspectives")).Body!.AsArray();
        Assert.Equal("partners", (string?)perspectives[0]!["id"]);
        var objective = (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/objectives/fast-answers")).Body!;
        Assert.Equal(("customer", "loyal-customers"), ((string?)objective["perspective"], (string?)objective["parent"]));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/links/fast-answers/loyal-customers")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/tensions/loyal-customers/first-response")).Status);
        Assert.Equal(1000, (double)(await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/initiatives/chatbot")).Body!["budget"]!);
    }

    [Fact]
    public async Task UpdateAndDelete_WithIfMatch_ChangeRenameMoveAndRemove()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        await CreateAsync(app);

        var renamed = await SendAsync(app, HttpMethod.Put, "/api/v1/scorecards/support/perspectives/customer?position=0", """{ "name": "Clients" }""", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, renamed.Status);
        Assert.Equal(("Clients", "\"2\""), ((string?)renamed.Body!["name"], renamed.ETag));
        var list = (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/perspectives")).Body!.AsArray();
        Assert.Equal(["customer", "financial", "internal-process", "learning-growth"], list.Select(p => (string?)p!["id"]));

        var deleted = await SendAsync(app, HttpMethod.Delete, "/api/v1/scorecards/support/perspectives/learning-growth", ifMatch: "\"2\"");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/perspectives/learning-growth")).Status);

        var idChange = await SendAsync(app, HttpMethod.Put, "/api/v1/scorecards/support/perspectives/customer", """{ "id": "clients", "name": "Clients" }""", "\"3\"");
        Assert.Equal(HttpStatusCode.BadRequest, idChange.Status);
        Assert.NotNull(idChange.Body!["errors"]!["id"]);
    }

    [Fact]
    public async Task Validation_BadFieldIs400_BadMeaningIs422_BothNameTheFieldAndStoreNothing()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        await CreateAsync(app);
        await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/objectives", """{ "perspective": "customer", "id": "loyal", "name": "Loyal" }""");

        var badField = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/measures", """{ "objective": "loyal", "id": "csat", "name": "CSAT", "direction": "upwards" }""");
        var badMeaning = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/measures", """{ "objective": "loyal", "id": "csat", "name": "CSAT", "baseline": 80, "target": 80 }""");
        var noObjective = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/measures", """{ "id": "csat", "name": "CSAT" }""");
        var badScorecard = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards", """{ "id": "Bad Id", "name": "" }""");
        var duplicate = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards", """{ "id": "support", "name": "Again" }""");

        Assert.Equal(HttpStatusCode.BadRequest, badField.Status);
        Assert.Contains("increase", (string?)badField.Body!["errors"]!["direction"]![0], StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)422, badMeaning.Status);
        Assert.Contains("equals the baseline", (string?)badMeaning.Body!["errors"]!["scorecard.perspectives[1].objectives[0].measures[0].target"]![0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noObjective.Status);
        Assert.NotNull(noObjective.Body!["errors"]!["objective"]);
        Assert.Equal(HttpStatusCode.BadRequest, badScorecard.Status);
        Assert.NotNull(badScorecard.Body!["errors"]!["id"]);
        Assert.NotNull(badScorecard.Body!["errors"]!["name"]);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("\"2\"", (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support")).ETag);
        Assert.Empty((await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/measures")).Body!.AsArray());
    }

    [Fact]
    public async Task TwoWriters_SecondWithStaleVersion_Gets412ShowingWhatChanged_NeverOverwrites()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        await CreateAsync(app);
        await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/objectives", """{ "perspective": "customer", "id": "loyal", "name": "Loyal" }""");
        string seen = (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/objectives/loyal")).ETag!;

        var first = await SendAsync(app, HttpMethod.Put, "/api/v1/scorecards/support/objectives/loyal", """{ "name": "Keep customers loyal" }""", seen);
        var second = await SendAsync(app, HttpMethod.Put, "/api/v1/scorecards/support/objectives/loyal", """{ "name": "Win loyalty" }""", seen);
        var missing = await SendAsync(app, HttpMethod.Put, "/api/v1/scorecards/support/objectives/loyal", """{ "name": "Win loyalty" }""");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, second.Status);
        Assert.Equal(3, (long)second.Body!["currentVersion"]!);
        var change = Assert.Single(second.Body["changes"]!.AsArray());
        Assert.Equal(("objective", "loyal", "changed"), ((string?)change!["item"], (string?)change["id"], (string?)change["change"]));
        Assert.Equal("update objective loyal", (string?)second.Body["since"]![0]!["change"]);
        Assert.Equal((HttpStatusCode)428, missing.Status);
        Assert.Equal("Keep customers loyal", (string?)(await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/objectives/loyal")).Body!["name"]);
    }

    [Fact]
    public async Task DeleteMeasureWithData_409WithoutConfirm_ArchivedWithConfirm_ListedAndRestorableWithData()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        await CreateAsync(app);
        await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/objectives", """{ "perspective": "customer", "id": "loyal", "name": "Loyal" }""");
        await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/measures", """{ "objective": "loyal", "id": "csat", "name": "CSAT", "baseline": 0, "target": 100 }""");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/measures/csat/observations", """{ "period": "2026-01", "value": 71 }""")).Status);

        var refused = await SendAsync(app, HttpMethod.Delete, "/api/v1/scorecards/support/measures/csat", ifMatch: "\"3\"");
        var archived = await SendAsync(app, HttpMethod.Delete, "/api/v1/scorecards/support/measures/csat?confirm=true", ifMatch: "\"3\"");
        var listed = await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/archived-measures");
        var gone = await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/measures/csat");
        var restored = await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/archived-measures/csat/restore", ifMatch: "\"4\"");
        var values = await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/measures/csat/observations");

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal("csat", (string?)refused.Body!["measuresWithData"]![0]);
        Assert.Equal(HttpStatusCode.NoContent, archived.Status);
        var entry = Assert.Single(listed.Body!.AsArray());
        Assert.Equal(("csat", "loyal", 1), ((string?)entry!["key"], (string?)entry["objective"], (int)entry["observations"]!));
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal(HttpStatusCode.OK, restored.Status);
        Assert.Equal(71, (double)values.Body!["items"]![0]!["value"]!);
        Assert.Empty((await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/archived-measures")).Body!.AsArray());
    }

    [Fact]
    public async Task Observations_AddCorrectWithReasonAndIfMatch_HistoryKeptAndPaged()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        await CreateAsync(app);
        await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/objectives", """{ "perspective": "customer", "id": "loyal", "name": "Loyal" }""");
        await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards/support/measures", """{ "objective": "loyal", "id": "csat", "name": "CSAT", "baseline": 0, "target": 100 }""");
        const string Url = "/api/v1/scorecards/support/measures/csat/observations";
        foreach (string month in new[] { "01", "02", "03" })
        {
            Assert.Equal(HttpStatusCode.Created, (await SendAsync(app, HttpMethod.Post, Url, $$"""{ "period": "2026-{{month}}", "value": 70 }""")).Status);
        }

        var again = await SendAsync(app, HttpMethod.Post, Url, """{ "period": "2026-02", "value": 90 }""");
        string etag = (await SendAsync(app, HttpMethod.Get, Url + "/2026-02")).ETag!;
        var noReason = await SendAsync(app, HttpMethod.Put, Url + "/2026-02", """{ "value": 75 }""", etag);
        var noIfMatch = await SendAsync(app, HttpMethod.Put, Url + "/2026-02", """{ "value": 75, "reason": "recount" }""");
        var corrected = await SendAsync(app, HttpMethod.Put, Url + "/2026-02", """{ "value": 75, "reason": "recount" }""", etag);
        var stale = await SendAsync(app, HttpMethod.Put, Url + "/2026-02", """{ "value": 76, "reason": "recount again" }""", etag);
        var badPeriod = await SendAsync(app, HttpMethod.Get, Url + "?from=2026-13");

        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.Status);
        Assert.NotNull(noReason.Body!["errors"]!["reason"]);
        Assert.Equal((HttpStatusCode)428, noIfMatch.Status);
        Assert.Equal(HttpStatusCode.OK, corrected.Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal(75, (double)stale.Body!["current"]!["value"]!);
        Assert.Equal(HttpStatusCode.BadRequest, badPeriod.Status);
        Assert.NotNull(badPeriod.Body!["errors"]!["from"]);

        var page = (await SendAsync(app, HttpMethod.Get, Url + "?from=2026-02&to=2026-03&pageSize=1")).Body!;
        Assert.Equal((2, 1, 1), ((int)page["total"]!, (int)page["pageSize"]!, page["items"]!.AsArray().Count));
        Assert.Equal("2026-03", (string?)page["items"]![0]!["period"]);
        var history = (await SendAsync(app, HttpMethod.Get, Url + "?from=2026-02&to=2026-02&history=true")).Body!["items"]!.AsArray();
        Assert.Equal([75.0, 70.0], history.Select(h => (double)h!["value"]!));
        Assert.Equal("recount", (string?)history[1]!["correctionReason"]);
    }

    [Fact]
    public async Task ListScorecards_PagedFilteredAndArchivedApart()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        foreach (string id in new[] { "alpha", "beta", "gamma" })
        {
            await CreateAsync(app, id, "none");
        }

        var first = (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards?page=1&pageSize=2")).Body!;
        var filtered = (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards?q=BET")).Body!;
        var bad = await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards?page=0&pageSize=1000");
        var archive = await SendAsync(app, HttpMethod.Delete, "/api/v1/scorecards/gamma", ifMatch: "\"1\"");
        var live = (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards")).Body!;
        var archived = (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards?archived=true")).Body!;

        Assert.Equal((3, 2, 1), ((int)first["total"]!, first["items"]!.AsArray().Count, (int)first["page"]!));
        Assert.Equal("beta", (string?)Assert.Single(filtered["items"]!.AsArray())!["key"]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.NotNull(bad.Body!["errors"]!["page"]);
        Assert.NotNull(bad.Body!["errors"]!["pageSize"]);
        Assert.Equal(HttpStatusCode.OK, archive.Status);
        Assert.Equal(2, (int)live["total"]!);
        Assert.Equal("gamma", (string?)Assert.Single(archived["items"]!.AsArray())!["key"]);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync(new Uri("/scorecards/gamma", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Definition_PutWholeFile_ChangesWhatPagesShow()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        await CreateAsync(app);
        Assert.Contains("Support support", await app.Client.GetStringAsync(new Uri("/scorecards/support", UriKind.Relative)), StringComparison.Ordinal);
        var (_, definition, etag) = await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/definition");
        definition!["scorecard"]!["name"] = "Customer Care";

        var put = await SendAsync(app, HttpMethod.Put, "/api/v1/scorecards/support/definition", definition.ToJsonString(), etag);
        var badFile = await SendAsync(app, HttpMethod.Put, "/api/v1/scorecards/support/definition", """{ "openbsc": 1, "scorecard": { "id": "support", "name": "X", "missing": "sometimes" } }""", put.ETag);

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal("\"2\"", put.ETag);
        Assert.Contains("Customer Care", await app.Client.GetStringAsync(new Uri("/scorecards/support", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badFile.Status);
        Assert.NotNull(badFile.Body!["errors"]!["scorecard.missing"]);
        var history = (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/history")).Body!.AsArray();
        Assert.Equal([2L, 1L], history.Select(h => (long)h!["version"]!));
    }

    [Fact]
    public async Task OpenApi_DocumentListsEveryEndpointWithSummary_AndReferencePageLoads()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);

        var document = JsonNode.Parse(await app.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        var paths = document["paths"]!.AsObject();
        foreach (string path in new[]
        {
            "/api/v1/scorecards", "/api/v1/scorecards/{key}", "/api/v1/scorecards/{key}/definition",
            "/api/v1/scorecards/{key}/perspectives/{id}", "/api/v1/scorecards/{key}/objectives/{id}", "/api/v1/scorecards/{key}/measures/{id}",
            "/api/v1/scorecards/{key}/links/{from}/{to}", "/api/v1/scorecards/{key}/tensions/{first}/{second}", "/api/v1/scorecards/{key}/initiatives/{id}",
            "/api/v1/scorecards/{key}/measures/{measure}/observations", "/api/v1/scorecards/{key}/scores",
        })
        {
            Assert.True(paths.ContainsKey(path), $"missing {path}");
        }

        var operations = paths.SelectMany(p => p.Value!.AsObject()).ToList();
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace((string?)o.Value!["summary"]), $"no summary on {o.Key}"));
        Assert.NotNull(paths["/api/v1/scorecards/{key}/measures/{id}"]!["put"]!["responses"]!["412"]);

        using var reference = await app.Client.GetAsync(new Uri("/api/reference", UriKind.Relative));
        string html = await reference.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("OpenBsc API", html, StringComparison.Ordinal);
        Assert.DoesNotContain("fonts.scalar.com", html, StringComparison.Ordinal);
        using var script = await app.Client.GetAsync(new Uri("/api/reference/scalar.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.DoesNotContain(paths, p => !p.Key.StartsWith("/api/", StringComparison.Ordinal));
    }
}
