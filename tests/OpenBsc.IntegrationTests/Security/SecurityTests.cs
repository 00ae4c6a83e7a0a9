using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Security;

public sealed class SecurityTests
{
    private static async Task<OpenBscDbContext> DbAsync(RunningApp app) =>
        await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();

    [Fact]
    public async Task OtherOrganisation_CannotReadOrChangeAnythingByKey()
    {
        await using var app = await RunningApp.StartAsync();
        var other = await app.SignInAsync("boss@other.example", AccessRole.Administrator, "Other Ltd");
        using var created = await other.PostAsJsonAsync("/api/v1/scorecards", new { id = "beta", name = "Beta" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // Organisation A's administrator: B's scorecard looks missing everywhere.
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/scorecards/beta")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/scorecards/beta")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/v1/scorecards/beta/scores")).StatusCode);
        using var put = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/scorecards/beta") { Headers = { { "If-Match", "*" } } };
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.SendAsync(put)).StatusCode);
        Assert.DoesNotContain("beta", await app.Client.GetStringAsync("/api/v1/scorecards"), StringComparison.Ordinal);
        // And B cannot reach A's.
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/scorecards/customer-support")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync("/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations", new { period = "2030-01", value = 1 })).StatusCode);
        Assert.DoesNotContain("customer-support", await other.GetStringAsync("/api/v1/scorecards"), StringComparison.Ordinal);
        Assert.DoesNotContain("beta", await app.Client.GetStringAsync("/audit.csv"), StringComparison.Ordinal);
        await using var db = await DbAsync(app);
        Assert.Equal(0, await db.Observations.CountAsync(o => o.Period == "2030-01"));
    }

    [Fact]
    public async Task Observation_PostedOwnerOrAuditFields_AreIgnored()
    {
        await using var app = await RunningApp.StartAsync();
        using var response = await app.Client.PostAsJsonAsync("/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations",
            new { period = "2031-01", value = 5, enteredBy = "mallory", organisationId = Guid.NewGuid(), state = "approved", supersededBy = "x", id = 1 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var db = await DbAsync(app);
        var stored = await db.Observations.SingleAsync(o => o.Period == "2031-01");
        Assert.Equal(RunningApp.AdminName, stored.EnteredBy);
        Assert.Null(stored.SupersededBy);
        Assert.Equal((await db.Scorecards.SingleAsync(s => s.Key == "customer-support")).OrganisationId, stored.OrganisationId);
    }

    [Fact]
    public async Task FormPost_WithoutAntiforgeryToken_Fails()
    {
        await using var app = await RunningApp.StartAsync();
        var empty = new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "admin", ["password"] = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, (await app.NewClient().PostAsync("/account/login", empty)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.PostAsync("/account/logout", new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.PostAsync("/templates/for-profit/create", new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.PostAsync("/scorecards/customer-support/data", new FormUrlEncodedContent(new Dictionary<string, string> { ["v|cost-per-ticket|2031-01"] = "1" }))).StatusCode);
        // Still signed in: the logout did not happen.
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/api/v1/scorecards")).StatusCode);
    }

    [Fact]
    public async Task DisabledUser_CookieAndToken_StopAtOnce()
    {
        await using var app = await RunningApp.StartAsync();
        var client = await app.SignInAsync("leaver@test.example", AccessRole.Editor);
        string token = await app.CreateTokenAsync("leaver@test.example");
        var bearer = app.NewClient();
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/scorecards")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/scorecards")).StatusCode);

        using (var scope = app.Services.CreateScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<Users>().DisableAsync("leaver@test.example")).Succeeded);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/scorecards")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/v1/scorecards")).StatusCode);
        var again = app.NewClient();
        await RunningApp.SignInAsync(again, "leaver@test.example", RunningApp.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/api/v1/scorecards")).StatusCode);
    }

    [Fact]
    public async Task RoleChange_TakesEffectAtTheNextRequest_WithoutSigningOut()
    {
        // Access is cached per user stamps: every role change must still be seen by the very next request.
        await using var app = await RunningApp.StartAsync();
        var client = await app.SignInAsync("reader@test.example", AccessRole.Viewer);
        const string Write = "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations";
        async Task<HttpStatusCode> PostAsync(string period) => (await client.PostAsJsonAsync(Write, new { period, value = 9 })).StatusCode;
        async Task SetAsync(AccessRole role, string? scorecard)
        {
            using var scope = app.Services.CreateScope();
            Assert.True((await scope.ServiceProvider.GetRequiredService<Users>().SetRoleAsync("reader@test.example", role, scorecard)).Succeeded);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync("2032-01"));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/scorecards/customer-support/design")).StatusCode);

        await SetAsync(AccessRole.Editor, "customer-support");
        Assert.Equal(HttpStatusCode.Created, await PostAsync("2032-02"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/scorecards/customer-support/design")).StatusCode);

        await SetAsync(AccessRole.None, "customer-support");
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync("2032-03"));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/scorecards/customer-support/design")).StatusCode);

        await SetAsync(AccessRole.Editor, null);
        Assert.Equal(HttpStatusCode.Created, await PostAsync("2032-04"));
        await SetAsync(AccessRole.Viewer, null);
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync("2032-05"));
    }

    [Fact]
    public async Task Logout_EndsACopiedSessionToo()
    {
        await using var app = await RunningApp.StartAsync();
        var client = await app.SignInAsync("copy@test.example", AccessRole.Viewer);
        string token = await RunningApp.AntiforgeryTokenAsync(client, "/account/tokens");
        var copy = app.NewClient();
        var cookies = ((HttpClientHandler)typeof(HttpMessageInvoker).GetField("_handler", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(client)!).CookieContainer.GetCookieHeader(app.BaseAddress);
        copy.DefaultRequestHeaders.Add("Cookie", cookies);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/v1/scorecards")).StatusCode);

        await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/v1/scorecards")).StatusCode);
    }

    [Fact]
    public async Task TokensPage_SaysWhenThereAreNone_AndLabelsEachTokensCells()
    {
        await using var app = await RunningApp.StartAsync();
        string none = await app.Client.GetStringAsync(new Uri("/account/tokens", UriKind.Relative));
        await app.CreateTokenAsync(RunningApp.AdminName, "read");

        string one = await app.Client.GetStringAsync(new Uri("/account/tokens", UriKind.Relative));

        // No empty table head when there is nothing to list; on a phone each cell of a token says what it is.
        Assert.Contains("No tokens yet.", none, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", none, StringComparison.Ordinal);
        Assert.DoesNotContain("No tokens yet.", one, StringComparison.Ordinal);
        Assert.Contains("data-label=\"Expires\"", one, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersPage_EachCellSaysItsColumn_ForTheCardsOfAPhone()
    {
        await using var app = await RunningApp.StartAsync();

        string users = await app.Client.GetStringAsync(new Uri("/admin/users", UriKind.Relative));

        // On a phone a row is a card: "never" alone says nothing, "Last sign-in: never" does.
        foreach (string column in new[] { "Role", "Scorecard roles", "Last sign-in", "Status" })
        {
            Assert.Contains($"data-label=\"{column}\"", users, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadToken_CannotWrite_RevokedTokenStops()
    {
        await using var app = await RunningApp.StartAsync();
        string token = await app.CreateTokenAsync(RunningApp.AdminName, "read");
        var bearer = app.NewClient();
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/scorecards/customer-support")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bearer.PostAsJsonAsync("/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations", new { period = "2031-02", value = 1 })).StatusCode);
        await using var db = await DbAsync(app);
        Assert.DoesNotContain(token, string.Join(",", await db.ApiTokens.Select(t => t.Hash).ToListAsync()), StringComparison.Ordinal);
        var stored = await db.ApiTokens.SingleAsync();
        Assert.Equal(ApiTokens.Hash(token), stored.Hash);
        Assert.True(await app.Services.GetRequiredService<ApiTokens>().RevokeAsync(stored.UserId, stored.Id));
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/v1/scorecards/customer-support")).StatusCode);
    }

    [Fact]
    public async Task Login_LimiterEngages_AndLockoutAfterFiveFailures()
    {
        await using var app = await RunningApp.StartAsync(loginAttemptsPerMinute: 20);
        await app.AddUserAsync("target@test.example", AccessRole.Viewer);
        var client = app.NewClient();
        for (int i = 0; i < 5; i++)
        {
            await RunningApp.SignInAsync(client, "target@test.example", "wrong password " + i);
        }

        // Locked: even the right password is refused, in the same words as a wrong one (which says lockouts exist).
        using var locked = await RunningApp.SignInAsync(client, "target@test.example", RunningApp.Password);
        Assert.Contains("problem=wrong", Uri.UnescapeDataString(locked.Headers.Location!.OriginalString), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 20; i++)
        {
            statuses.Add((await RunningApp.SignInAsync(client, "nobody@test.example", "whatever " + i)).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task FirstRun_AdministratorMustChangeTheOneTimePassword_CommonPasswordsRefused()
    {
        await using var app = await RunningApp.StartAsync(demo: false);
        Assert.NotNull(app.FirstRunPassword);
        var client = app.NewClient(allowRedirects: false);
        using var signIn = await RunningApp.SignInAsync(client, "admin", app.FirstRunPassword!);
        Assert.Equal("/account/password", signIn.Headers.Location!.OriginalString);
        Assert.Equal("/account/password", (await client.GetAsync("/")).Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/scorecards")).StatusCode);

        async Task<HttpResponseMessage> Change(string next) => await client.PostAsync("/account/password/change", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await RunningApp.AntiforgeryTokenAsync(client, "/account/password"),
            ["current"] = app.FirstRunPassword!,
            ["new"] = next,
            ["confirm"] = next,
        }));
        Assert.Contains("common", Uri.UnescapeDataString((await Change("password123")).Headers.Location!.OriginalString), StringComparison.Ordinal);
        Assert.Contains("short", Uri.UnescapeDataString((await Change("abc")).Headers.Location!.OriginalString), StringComparison.Ordinal);
        Assert.Equal("/?flash=password-changed", (await Change(new string('x', 20) + " a long passphrase of 64+ characters is welcome here, really!")).Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/scorecards")).StatusCode);
    }

    [Fact]
    public async Task SignInPage_ShowsOnlyKnownMessages_NeverTextFromTheLink()
    {
        await using var app = await RunningApp.StartAsync(demo: false);
        var client = app.NewClient();

        string crafted = WebUtility.HtmlDecode(await client.GetStringAsync("/login?problem=Your+account+is+blocked.+Call+555-0100"));
        string known = WebUtility.HtmlDecode(await client.GetStringAsync("/login?problem=wrong"));
        string signedOut = WebUtility.HtmlDecode(await client.GetStringAsync("/login?flash=signed-out"));
        string craftedFlash = WebUtility.HtmlDecode(await client.GetStringAsync("/login?flash=Call+555-0100"));

        Assert.DoesNotContain("555-0100", crafted, StringComparison.Ordinal);
        Assert.Contains("The user name or password is not right.", known, StringComparison.Ordinal);
        Assert.Contains("Signed out.", signedOut, StringComparison.Ordinal);
        Assert.DoesNotContain("555-0100", craftedFlash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders_CookieIsHttpOnlyLax()
    {
        await using var app = await RunningApp.StartAsync(demo: false);
        using var page = await app.NewClient().GetAsync("/login");
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-inline'; ", page.Headers.GetValues("Content-Security-Policy").Single().Replace("style-src-attr 'unsafe-inline'", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", page.Headers.GetValues("Referrer-Policy").Single());
        var client = app.NewClient();
        await app.AddUserAsync("cookie@test.example", AccessRole.Viewer);
        using var signIn = await RunningApp.SignInAsync(client, "cookie@test.example", RunningApp.Password);
        string cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("openbsc=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PageCache_NeverServesOneUsersPageToAnother()
    {
        await using var app = await RunningApp.StartAsync();
        string admin = await app.Client.GetStringAsync("/scorecards/customer-support");
        Assert.Contains(RunningApp.AdminName, admin, StringComparison.Ordinal);
        var viewer = await app.SignInAsync("viewer@test.example", AccessRole.Viewer);
        string seen = await viewer.GetStringAsync("/scorecards/customer-support");
        Assert.Contains("viewer@test.example", seen, StringComparison.Ordinal);
        Assert.DoesNotContain(RunningApp.AdminName, seen, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await app.NewClient().GetAsync("/scorecards/customer-support")).StatusCode);
    }

    [Fact]
    public async Task Audit_EveryChange_IsWrittenWithWhoAndBeforeAfter()
    {
        await using var app = await RunningApp.StartAsync();
        await app.Client.PostAsJsonAsync("/api/v1/scorecards", new { id = "audited", name = "Audited" });
        await app.Client.PostAsJsonAsync("/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations", new { period = "2032-01", value = 7 });
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations/2032-01")
        {
            Headers = { { "If-Match", "*" } },
            Content = JsonContent.Create(new { value = 8, reason = "recount" }),
        };
        Assert.Equal(HttpStatusCode.OK, (await app.Client.SendAsync(put)).StatusCode);
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Users>().SetRoleAsync(RunningApp.AdminName, AccessRole.Administrator, "audited");
        }

        await app.CreateTokenAsync(RunningApp.AdminName);
        await using var db = await DbAsync(app);
        var log = await db.AuditLog.ToListAsync();
        Assert.Contains(log, a => a.Action == "scorecard.created" && a.Scorecard == "audited" && a.Actor == RunningApp.AdminName);
        var values = log.Where(a => a.Action == "observations.written" && a.Subject == "cost-per-ticket 2032-01" && a.Actor == RunningApp.AdminName).ToList();
        Assert.Equal(2, values.Count);
        Assert.Contains("\"Value\":7", values[0].After!, StringComparison.Ordinal);
        Assert.Contains("\"Value\":8,\"Note\":null,\"Was\":7,\"Reason\":\"recount\"", values[1].After!, StringComparison.Ordinal);
        Assert.Contains(log, a => a.Action == "role.granted" && a.Scorecard == "audited");
        Assert.Contains(log, a => a.Action == "token.created");
        Assert.Contains(log, a => a.Action == "user.created" && a.Subject == RunningApp.AdminName);
        Assert.DoesNotContain(log, a => (a.After ?? "").Contains("PasswordHash", StringComparison.Ordinal));
        string csv = await app.Client.GetStringAsync("/audit.csv?scorecard=customer-support");
        Assert.True(csv.StartsWith("at,actor,action,scorecard,subject,before,after", StringComparison.Ordinal), csv[..Math.Min(300, csv.Length)]);
        Assert.Contains("observations.written", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",audited,", csv, StringComparison.Ordinal);
        Assert.Contains("cost-per-ticket 2032-01", await app.Client.GetStringAsync("/audit?user=" + Uri.EscapeDataString(RunningApp.AdminName)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovalSetting_TakesEffectAtTheNextRequest_ThoughScorecardLookupsAreCached()
    {
        await using var app = await RunningApp.StartAsync();
        var card = (await app.Services.ScorecardRefAsync("customer-support"))!;
        var approvals = app.Services.GetRequiredService<Approvals>();
        var ana = await app.SignInAsync("ana@example.org", AccessRole.DataUpdater);
        const string url = "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations";

        // The first requests resolve the scorecard and keep it for the current data stamp.
        using var direct = await ana.PostAsJsonAsync(url, new { period = "2034-01", value = 5 });
        Assert.True(direct.StatusCode == HttpStatusCode.Created, await direct.Content.ReadAsStringAsync());

        await approvals.SetRequiredAsync(card, true);
        using var held = await ana.PostAsJsonAsync(url, new { period = "2034-02", value = 6 });
        Assert.True(held.StatusCode == HttpStatusCode.Accepted, await held.Content.ReadAsStringAsync());

        await approvals.SetRequiredAsync(card, false);
        using var again = await ana.PostAsJsonAsync(url, new { period = "2034-03", value = 7 });
        Assert.True(again.StatusCode == HttpStatusCode.Created, await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Approval_UpdatersValueWaits_UntilAnEditorApproves_OnlyOwnMeasures()
    {
        await using var app = await RunningApp.StartAsync();
        var card = (await app.Services.ScorecardRefAsync("customer-support"))!;
        await app.Services.GetRequiredService<Approvals>().SetRequiredAsync(card, true);
        var ana = await app.SignInAsync("ana@example.org", AccessRole.DataUpdater);
        const string url = "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations";

        using var submitted = await ana.PostAsJsonAsync(url, new { period = "2033-01", value = 11 });
        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, await submitted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await ana.GetAsync(url + "/2033-01")).StatusCode);
        var notOwned = await ana.PostAsJsonAsync("/api/v1/scorecards/customer-support/measures/first-response-hours/observations", new { period = "2033-01", value = 1 });
        Assert.Equal(HttpStatusCode.Forbidden, notOwned.StatusCode);

        var pending = await app.Services.GetRequiredService<Approvals>().ListAsync(card);
        var row = Assert.Single(pending);
        Assert.Null(await app.Services.GetRequiredService<Approvals>().DecideAsync(card, row.Id, approve: true, "editor@test.example"));
        var current = await ana.GetFromJsonAsync<JsonObject>(url + "/2033-01");
        Assert.Equal(11, (double)current!["value"]!);
        Assert.Equal("ana@example.org", (string?)current["enteredBy"]);
    }
}
