using OpenBsc.Application.Data;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Api;

/// <summary>Risks and initiative milestones through the editing API: ETags, If-Match, problem details naming the field.</summary>
public abstract class RisksApiTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : RisksApiTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : RisksApiTests(DatabaseProvider.Postgres);

    private const string Base = "/api/v1/scorecards/support";

    private static Task<(HttpStatusCode Status, JsonNode? Body, string? ETag)> SendAsync(RunningApp app, HttpMethod method, string url, string? json = null, string? ifMatch = null) =>
        app.SendJsonAsync(method, url, json, ifMatch);

    private static async Task<RunningApp> StartWithPlanAsync(DatabaseProvider provider)
    {
        var app = await RunningApp.StartAsync(provider, demo: false);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(app, HttpMethod.Post, "/api/v1/scorecards", """{ "id": "support", "name": "Support", "perspectives": "default" }""")).Status);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(app, HttpMethod.Post, Base + "/objectives", """{ "perspective": "customer", "id": "loyal-customers", "name": "Keep customers loyal" }""")).Status);
        var initiative = await SendAsync(app, HttpMethod.Post, Base + "/initiatives", """
            { "id": "dealer-portal", "name": "Dealer portal", "objectives": ["loyal-customers"], "start": "2026-01-01", "end": "2026-06-30",
              "budget": 100000, "actualCost": 40000, "complete": 0.5,
              "milestones": [{ "name": "Pilot", "due": "2026-03-31", "done": "2026-03-28" }, { "name": "Launch", "due": "2026-06-30" }] }
            """);
        Assert.Equal(HttpStatusCode.Created, initiative.Status);
        return app;
    }

    [Fact]
    public async Task AddUpdateDelete_Risk_StoredVersionedAndShownOnThePages()
    {
        await using var app = await StartWithPlanAsync(provider);

        var added = await SendAsync(app, HttpMethod.Post, Base + "/risks", """
            { "id": "dealer-churn", "name": "Dealer churn", "objectives": ["loyal-customers"], "likelihood": 4, "impact": 5,
              "residual": { "likelihood": 3, "impact": 5 }, "mitigations": ["dealer-portal"], "review": "2026-06-30" }
            """);
        var noIfMatch = await SendAsync(app, HttpMethod.Put, Base + "/risks/dealer-churn", """{ "name": "Dealer churn", "likelihood": 2, "impact": 5 }""");
        var updated = await SendAsync(app, HttpMethod.Put, Base + "/risks/dealer-churn", """{ "name": "Dealer churn", "objectives": ["loyal-customers"], "likelihood": 4, "impact": 5, "residual": { "likelihood": 2, "impact": 5 } }""", added.ETag);
        var stale = await SendAsync(app, HttpMethod.Put, Base + "/risks/dealer-churn", """{ "name": "Again", "likelihood": 1, "impact": 1 }""", added.ETag);

        Assert.Equal(HttpStatusCode.Created, added.Status);
        Assert.Equal("\"4\"", added.ETag);
        Assert.Equal(4, (int)added.Body!["likelihood"]!);
        Assert.Equal((HttpStatusCode)428, noIfMatch.Status);
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal(2, (int)updated.Body!["residual"]!["likelihood"]!);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        string page = await app.Client.GetStringAsync(new Uri("/scorecards/support/risks?period=2026-06", UriKind.Relative));
        Assert.Contains("10 <span class=\"word\">high</span>", page, StringComparison.Ordinal);
        string objective = await app.Client.GetStringAsync(new Uri("/scorecards/support/objectives/loyal-customers?period=2026-06", UriKind.Relative));
        Assert.Contains("id=\"risk-dealer-churn\"", objective, StringComparison.Ordinal);

        var deleted = await SendAsync(app, HttpMethod.Delete, Base + "/risks/dealer-churn", ifMatch: updated.ETag);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, HttpMethod.Get, Base + "/risks/dealer-churn")).Status);
        Assert.Empty((await SendAsync(app, HttpMethod.Get, Base + "/risks")).Body!.AsArray());
    }

    [Fact]
    public async Task AddRisk_MalformedIs400_OffTheScaleOrUnknownMitigationIs422_NamingTheField()
    {
        await using var app = await StartWithPlanAsync(provider);

        var offScale = await SendAsync(app, HttpMethod.Post, Base + "/risks", """{ "id": "r", "name": "R", "likelihood": 7, "impact": 2 }""");
        var notWhole = await SendAsync(app, HttpMethod.Post, Base + "/risks", """{ "id": "r", "name": "R", "likelihood": 2.5, "impact": 2 }""");
        var unknown = await SendAsync(app, HttpMethod.Post, Base + "/risks", """{ "id": "r", "name": "R", "likelihood": 2, "impact": 2, "mitigations": ["dealer-portl"] }""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, offScale.Status);
        Assert.StartsWith("expected a likelihood from 1 (rare) to 5", (string?)offScale.Body!["errors"]!["scorecard.risks[0].likelihood"]![0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notWhole.Status);
        Assert.NotNull(notWhole.Body!["errors"]!["likelihood"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.Status);
        Assert.Contains("(did you mean 'dealer-portal'?)", (string?)unknown.Body!["errors"]!["scorecard.risks[0].mitigations"]![0], StringComparison.Ordinal);
        Assert.Empty((await SendAsync(app, HttpMethod.Get, Base + "/risks")).Body!.AsArray());
    }

    [Fact]
    public async Task DeleteInitiative_NamedAsMitigation_IsDroppedFromTheRisk()
    {
        await using var app = await StartWithPlanAsync(provider);
        var added = await SendAsync(app, HttpMethod.Post, Base + "/risks", """{ "id": "churn", "name": "Churn", "likelihood": 3, "impact": 3, "mitigations": ["dealer-portal"] }""");

        var deleted = await SendAsync(app, HttpMethod.Delete, Base + "/initiatives/dealer-portal", ifMatch: added.ETag);
        var risk = (await SendAsync(app, HttpMethod.Get, Base + "/risks/churn")).Body!;

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Null(risk["mitigations"]);
    }

    [Fact]
    public async Task Initiative_MilestonesThroughTheApi_RoundTripAndDriveThePlan()
    {
        await using var app = await StartWithPlanAsync(provider);

        var initiative = (await SendAsync(app, HttpMethod.Get, Base + "/initiatives/dealer-portal")).Body!;
        var plan = (await SendAsync(app, HttpMethod.Get, "/api/v1/scorecards/support/initiative-plan?period=2026-03")).Body!;

        Assert.Equal("2026-03-28", (string?)initiative["milestones"]![0]!["done"]);
        Assert.Null(initiative["milestones"]![1]!["done"]);
        Assert.Equal(40000, (double)initiative["actualCost"]!);
        var line = plan["initiatives"]![0]!;
        Assert.Equal(("OnTrack", "Done", "Upcoming"), ((string?)line["status"], (string?)line["milestones"]![0]!["status"], (string?)line["milestones"]![1]!["status"]));
        var loyal = plan["costs"]!["objectives"]!.AsArray().Single(o => (string?)o!["id"] == "loyal-customers")!;
        Assert.Equal((100000.0, 40000.0, 60000.0), ((double)loyal["budget"]!, (double)loyal["actual"]!, (double)loyal["variance"]!));
    }

    [Fact]
    public async Task OpenApi_RiskAndPlanEndpoints_AreNamedAndSummarised()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);

        var paths = JsonNode.Parse(await app.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!["paths"]!;

        Assert.Equal("AddRisk", (string?)paths["/api/v1/scorecards/{key}/risks"]!["post"]!["operationId"]);
        Assert.NotNull(paths["/api/v1/scorecards/{key}/risks/{id}"]!["put"]!["responses"]!["412"]);
        Assert.Equal("GetInitiativePlan", (string?)paths["/api/v1/scorecards/{key}/initiative-plan"]!["get"]!["operationId"]);
        Assert.StartsWith("The risks by current level", (string?)paths["/api/v1/scorecards/{key}/risk-register"]!["get"]!["summary"], StringComparison.Ordinal);
    }
}
