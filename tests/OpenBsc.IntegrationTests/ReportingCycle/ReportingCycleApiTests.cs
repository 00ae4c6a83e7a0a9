using System.Net;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.ReportingCycle;

/// <summary>
/// The reporting cycle over real HTTP on the demo organisation: commentary with ETag/If-Match and who may write it,
/// discussions, actions, period close and reopen (and the correction a close refuses), briefing books, and the pages.
/// </summary>
public abstract class ReportingCycleApiTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : ReportingCycleApiTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : ReportingCycleApiTests(DatabaseProvider.Postgres);

    private const string Card = "/api/v1/scorecards/customer-support";

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string url, string? json = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Commentary_ETagIfMatch_AndOnlyOwnersAndEditorsWrite()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var viewer = await app.SignInAsync("vic@example.org", AccessRole.Viewer);
        var owner = await app.SignInAsync("ben@example.org", AccessRole.DataUpdater);
        var stranger = await app.SignInAsync("carl@example.org", AccessRole.DataUpdater);
        string url = Card + "/commentary/nps?period=2026-11";

        var empty = await app.SendJsonAsync(HttpMethod.Get, url);
        var noPrecondition = await app.SendJsonAsync(HttpMethod.Put, url, """{ "analysis": "a" }""");
        var first = await app.SendJsonAsync(HttpMethod.Put, url, """{ "analysis": "NPS fell: the **outage**.", "recommendations": "Call detractors." }""", "\"0\"");
        var stale = await app.SendJsonAsync(HttpMethod.Put, url, """{ "analysis": "b" }""", "\"0\"");
        var byViewer = await SendAsync(viewer, HttpMethod.Put, url, """{ "analysis": "c" }""", first.ETag);
        var byStranger = await SendAsync(stranger, HttpMethod.Put, url, """{ "analysis": "d" }""", first.ETag);
        var byOwner = await SendAsync(owner, HttpMethod.Put, url, """{ "analysis": "Owner's view." }""", first.ETag);
        var list = await app.SendJsonAsync(HttpMethod.Get, Card + "/commentary?period=2026-11");
        var history = await app.SendJsonAsync(HttpMethod.Get, Card + "/commentary/nps/history?period=2026-11");
        var unknown = await app.SendJsonAsync(HttpMethod.Get, Card + "/commentary/nope?period=2026-11");

        Assert.Equal((HttpStatusCode.OK, "\"0\""), (empty.Status, empty.ETag));
        Assert.Equal((HttpStatusCode)428, noPrecondition.Status);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.Status);
        Assert.Equal(HttpStatusCode.Forbidden, byStranger.Status);
        Assert.Equal(HttpStatusCode.OK, byOwner.Status);
        Assert.Equal("Owner's view.", (string?)list.Body!.AsArray().Single(e => (string?)e!["item"] == "nps")!["analysis"]);
        Assert.Equal(["ben@example.org", RunningApp.AdminName], history.Body!.AsArray().Select(e => (string?)e!["enteredBy"]));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task Commentary_WithScript_IsShownAsTextOnThePagesAndTheMap()
    {
        await using var app = await RunningApp.StartAsync(provider);
        const string Payload = "<script>alert(1)</script><img src=x onerror=alert(2)>[x](javascript:alert(3))";
        var saved = await app.SendJsonAsync(HttpMethod.Put, Card + "/commentary/loyal-customers?period=2026-11", $$"""{ "analysis": "{{Payload.Replace("\"", "\\\"", StringComparison.Ordinal)}}" }""", "\"0\"");

        string objective = await app.Client.GetStringAsync(new Uri("/scorecards/customer-support/objectives/loyal-customers?period=2026-11", UriKind.Relative));
        string map = await app.Client.GetStringAsync(new Uri("/scorecards/customer-support/map.svg?period=2026-11", UriKind.Relative));
        string dashboard = await app.Client.GetStringAsync(new Uri("/scorecards/customer-support?period=2026-11", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, saved.Status);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", objective, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", objective, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", objective, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript:", objective, StringComparison.Ordinal);
        Assert.Contains("Analysis: &lt;script&gt;", map, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", map, StringComparison.Ordinal);
        Assert.Contains("analysis written", dashboard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscussionAndActions_ViewersReply_OwnersAndEditorsAct()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var viewer = await app.SignInAsync("vic@example.org", AccessRole.Viewer);

        var posted = await SendAsync(viewer, HttpMethod.Post, Card + "/discussion/csat?period=2026-11", """{ "text": "Why the dip?" }""");
        var emptyMessage = await SendAsync(viewer, HttpMethod.Post, Card + "/discussion/csat?period=2026-11", """{ "text": "   " }""");
        var viewerAction = await SendAsync(viewer, HttpMethod.Post, Card + "/actions", """{ "item": "csat", "title": "Nope" }""");
        var opened = await app.SendJsonAsync(HttpMethod.Post, Card + "/actions", """{ "item": "csat", "title": "Call every detractor", "owner": "ben@example.org", "due": "2026-12-15" }""");
        long id = (long)opened.Body!["id"]!;
        var done = await app.SendJsonAsync(HttpMethod.Put, $"{Card}/actions/{id}", """{ "status": "done" }""", opened.ETag);
        var stale = await app.SendJsonAsync(HttpMethod.Put, $"{Card}/actions/{id}", """{ "status": "open" }""", opened.ETag);
        var badStatus = await app.SendJsonAsync(HttpMethod.Put, $"{Card}/actions/{id}", """{ "status": "maybe" }""", done.ETag);

        Assert.Equal(HttpStatusCode.Created, posted.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, emptyMessage.Status);
        Assert.Contains("\"text\"", emptyMessage.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, viewerAction.Status);
        Assert.Equal((HttpStatusCode.Created, "\"1\""), (opened.Status, opened.ETag));
        Assert.Equal((HttpStatusCode.OK, "done"), (done.Status, (string?)done.Body!["status"]));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badStatus.Status);
        Assert.NotNull(badStatus.Body!["errors"]!["status"]);
    }

    [Fact]
    public async Task Close_LocksCorrections_ReopenNeedsAnAdministratorAndAReason()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var editor = await app.SignInAsync("eddie@example.org", AccessRole.Editor);
        var viewer = await app.SignInAsync("vic@example.org", AccessRole.Viewer);

        var byViewer = await SendAsync(viewer, HttpMethod.Post, Card + "/closes", """{ "period": "2026-10" }""");
        var closed = await SendAsync(editor, HttpMethod.Post, Card + "/closes", """{ "period": "2026-10" }""");
        var twice = await SendAsync(editor, HttpMethod.Post, Card + "/closes", """{ "period": "2026-10" }""");
        var held = await app.SendJsonAsync(HttpMethod.Get, Card + "/measures/cost-per-ticket/observations/2026-10");
        var correction = await app.SendJsonAsync(HttpMethod.Put, Card + "/measures/cost-per-ticket/observations/2026-10", """{ "value": 9.0, "reason": "typo" }""", held.ETag);
        var afterRefusal = await app.SendJsonAsync(HttpMethod.Get, Card + "/measures/cost-per-ticket/observations/2026-10");
        var reopenByEditor = await SendAsync(editor, HttpMethod.Post, Card + "/closes/reopen", """{ "period": "2026-10", "reason": "typo" }""");
        var noReason = await app.SendJsonAsync(HttpMethod.Post, Card + "/closes/reopen", """{ "period": "2026-10" }""");
        var reopened = await app.SendJsonAsync(HttpMethod.Post, Card + "/closes/reopen", """{ "period": "2026-10", "reason": "October cost was keyed twice" }""");
        var corrected = await app.SendJsonAsync(HttpMethod.Put, Card + "/measures/cost-per-ticket/observations/2026-10", """{ "value": 9.0, "reason": "typo" }""", held.ETag);
        var closes = await app.SendJsonAsync(HttpMethod.Get, Card + "/closes");

        Assert.Equal(HttpStatusCode.Forbidden, byViewer.Status);
        Assert.Equal(HttpStatusCode.Created, closed.Status);
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Equal(HttpStatusCode.BadRequest, correction.Status);
        Assert.Contains("2026-10 is closed", correction.Body!["errors"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(9.64, (double)afterRefusal.Body!["value"]!);
        Assert.Equal(HttpStatusCode.Forbidden, reopenByEditor.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.Status);
        Assert.NotNull(noReason.Body!["errors"]!["reason"]);
        Assert.Equal(HttpStatusCode.OK, reopened.Status);
        Assert.Equal(HttpStatusCode.OK, corrected.Status);
        Assert.Equal("October cost was keyed twice", (string?)closes.Body!.AsArray().Single()!["reopenReason"]);
    }

    [Fact]
    public async Task Books_DefinedRenderedAndQueued_BadDefinitionNamesTheFields()
    {
        await using var app = await RunningApp.StartAsync(provider);
        await app.SendJsonAsync(HttpMethod.Put, Card + "/commentary/customer-support?period=2026-11", """{ "analysis": "A calm month for support." }""", "\"0\"");

        var bad = await app.SendJsonAsync(HttpMethod.Post, "/api/v1/books", """{ "name": "", "scorecards": ["nope"], "sections": ["cover", "gossip"], "recipients": ["not-an-address"], "schedule": "cron", "cron": "daily" }""");
        var created = await app.SendJsonAsync(HttpMethod.Post, "/api/v1/books", """{ "name": "Monthly review", "scorecards": ["northwind-2026", "customer-support"], "sections": ["cover", "dashboard", "commentary"], "recipients": ["exec@example.org"], "schedule": "close" }""");
        long id = (long)created.Body!["id"]!;
        using var pdf = await app.Client.GetAsync(new Uri($"/api/v1/books/{id}/render?period=2026-11", UriKind.Relative));
        byte[] bytes = await pdf.Content.ReadAsByteArrayAsync();
        string html = await app.Client.GetStringAsync(new Uri($"/api/v1/books/{id}/render?period=2026-11&format=html", UriKind.Relative));
        var sent = await app.SendJsonAsync(HttpMethod.Post, $"/api/v1/books/{id}/send?period=2026-11");
        string page = await app.Client.GetStringAsync(new Uri("/books", UriKind.Relative));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
        Assert.Equal(["name", "scorecards", "sections", "recipients", "cron"], bad.Body!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        string text = PdfText.Of(bytes);
        Assert.Contains("Monthly review — November 2026", text, StringComparison.Ordinal);
        Assert.Contains("A calm month for support.", text, StringComparison.Ordinal);
        Assert.Contains("Northwind company scorecard", html, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Accepted, 1), (sent.Status, (int)sent.Body!));
        Assert.Contains("Monthly review", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewPage_CommentaryPostedThroughTheForm_IsShownWithItsAuthor()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var client = app.NewClient(allowRedirects: false);
        await RunningApp.SignInAsync(client, RunningApp.AdminName, RunningApp.Password);
        string page = "/scorecards/customer-support/measures/csat?period=2026-11";
        string token = await RunningApp.AntiforgeryTokenAsync(client, page);

        using var post = await client.PostAsync(new Uri(page, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "commentary-csat",
            ["version"] = "0",
            ["analysis"] = "CSAT dipped after the **outage**.",
            ["recommendations"] = "Survey again in January.",
        }));
        string after = await client.GetStringAsync(new Uri(page, UriKind.Relative));
        string review = await client.GetStringAsync(new Uri("/scorecards/customer-support/review?period=2026-11", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.EndsWith("/scorecards/customer-support/measures/csat?period=2026-11&saved=commentary#review", post.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains("CSAT dipped after the <strong>outage</strong>.", after, StringComparison.Ordinal);
        Assert.Contains($"Written by {RunningApp.AdminName}", after, StringComparison.Ordinal);
        Assert.Contains("Missing analysis", review, StringComparison.Ordinal);
        Assert.Contains("Close November 2026", review, StringComparison.Ordinal);
    }
}
