using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// Users and roles managed by administrators in the browser (pages over real HTTP, real forms): invitations, one-time
/// passwords, roles, disable and reset (which revoke API tokens for good), each audited. On SQLite and PostgreSQL.
/// </summary>
public abstract partial class AdministrationTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : AdministrationTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : AdministrationTests(DatabaseProvider.Postgres);

    private static FormUrlEncodedContent Form(string token, string handler, params (string Name, string Value)[] fields) =>
        new([new("__RequestVerificationToken", token), new("_handler", handler), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    private static async Task<string> PostPageAsync(HttpClient client, string page, string handler, params (string Name, string Value)[] fields)
    {
        string token = await RunningApp.AntiforgeryTokenAsync(client, page);
        using var response = await client.PostAsync(page, Form(token, handler, fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<OpenBscDbContext> DbAsync(RunningApp app) =>
        await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();

    private static async Task<Guid> IdOfAsync(RunningApp app, string userName)
    {
        await using var db = await DbAsync(app);
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }

    private static HttpClient Bearer(RunningApp app, string token)
    {
        var client = app.NewClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Reset_RevokesApiTokensForGood()
    {
        await using var app = await RunningApp.StartAsync(provider);
        await app.AddUserAsync("analyst@test.example", AccessRole.Editor);
        var bearer = Bearer(app, await app.CreateTokenAsync("analyst@test.example"));
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/scorecards")).StatusCode);
        string page = $"/admin/users/{await IdOfAsync(app, "analyst@test.example")}";

        string html = await PostPageAsync(app.Client, page, "reset");
        string password = WebUtility.HtmlDecode(SecretPattern().Match(html).Groups[1].Value);

        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/v1/scorecards")).StatusCode);
        // The user signs in with the one-time password and chooses their own: the old token still never works.
        var user = app.NewClient(allowRedirects: true);
        await RunningApp.SignInAsync(user, "analyst@test.example", password);
        string token = await RunningApp.AntiforgeryTokenAsync(user, "/account/password");
        using var changed = await user.PostAsync("/account/password/change", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["current"] = password, ["new"] = "a brand new pass phrase", ["confirm"] = "a brand new pass phrase",
        }));
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/v1/scorecards")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/v1/scorecards")).StatusCode);
        await using var db = await DbAsync(app);
        Assert.Contains(await db.AuditLog.Select(a => a.Action).ToListAsync(), a => a == "token.revoked");
    }

    [Fact]
    public async Task DisableThenEnable_OldTokenStaysRevoked()
    {
        await using var app = await RunningApp.StartAsync(provider);
        await app.AddUserAsync("leaver@test.example", AccessRole.Editor);
        var bearer = Bearer(app, await app.CreateTokenAsync("leaver@test.example"));
        string page = $"/admin/users/{await IdOfAsync(app, "leaver@test.example")}";

        Assert.Contains("is disabled", await PostPageAsync(app.Client, page, "disable"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/v1/scorecards")).StatusCode);
        Assert.Contains("may sign in again", await PostPageAsync(app.Client, page, "enable"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/v1/scorecards")).StatusCode);
        var again = await SignedInAsync(app, "leaver@test.example");
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/v1/scorecards")).StatusCode);
        await using var db = await DbAsync(app);
        var actions = await db.AuditLog.Where(a => a.Subject == "leaver@test.example").Select(a => a.Action).ToListAsync();
        Assert.Contains("user.disabled", actions);
        Assert.Contains("user.enabled", actions);
    }

    [Fact]
    public async Task DisabledFromAnotherProcess_TakesEffectAtTheNextRequest()
    {
        // The node keeps each user's check in memory between commits (DatabaseChanges): a commit the node did not
        // make itself — the command line on the server — must still end the session and the token at once.
        await using var app = await RunningApp.StartAsync(provider);
        await app.AddUserAsync("watcher@test.example", AccessRole.Viewer);
        var bearer = Bearer(app, await app.CreateTokenAsync("watcher@test.example"));
        var browser = app.NewClient();
        await RunningApp.SignInAsync(browser, "watcher@test.example", RunningApp.Password);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/scorecards/customer-support")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/scorecards")).StatusCode);
        }

        string[] database = app.DatabaseConnection is { } connection ? ["--db", "postgres", "--connection", connection] : ["--data", app.DataDirectory];
        var disabled = Cli.OpenBscCli.Run(["users", "disable", "watcher@test.example", .. database]);
        Assert.True(disabled.ExitCode == 0, disabled.Error);

        using var page = await browser.GetAsync("/scorecards/customer-support");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/v1/scorecards")).StatusCode);
    }

    private static async Task<HttpClient> SignedInAsync(RunningApp app, string userName)
    {
        var client = app.NewClient(allowRedirects: true);
        await RunningApp.SignInAsync(client, userName, RunningApp.Password);
        return client;
    }

    [Fact]
    public async Task Invitation_AcceptedOnce_WithTheRoleChosen()
    {
        await using var app = await RunningApp.StartAsync(provider);
        string html = await PostPageAsync(app.Client, "/admin/users", "invite", ("email", "new.hire@test.example"), ("role", "editor"));
        string link = WebUtility.HtmlDecode(SecretPattern().Match(html).Groups[1].Value);
        Assert.StartsWith(app.BaseAddress.ToString().TrimEnd('/') + "/account/invitation?token=", link, StringComparison.Ordinal);
        await using (var db = await DbAsync(app))
        {
            // The e-mail is in the outbox, with the link in it.
            var mail = await db.Deliveries.SingleAsync(d => d.Target == "new.hire@test.example");
            Assert.Contains(link, mail.Payload, StringComparison.Ordinal);
        }

        var invitee = app.NewClient(allowRedirects: true);
        string page = new Uri(link).PathAndQuery;
        Assert.Contains("as <strong>editor</strong>", await invitee.GetStringAsync(page), StringComparison.Ordinal);
        string secret = page[(page.IndexOf('=', StringComparison.Ordinal) + 1)..];
        async Task<string> AcceptAsync(string password, string confirm)
        {
            var client = app.NewClient(allowRedirects: false);
            // Any form's token will do (a used link's page has no form).
            string token = await RunningApp.AntiforgeryTokenAsync(client, "/login");
            using var response = await client.PostAsync("/account/invitation/accept", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["token"] = secret, ["password"] = password, ["confirm"] = confirm,
            }));
            return Uri.UnescapeDataString(response.Headers.Location!.OriginalString);
        }

        Assert.Contains("The two passwords differ", await AcceptAsync(RunningApp.Password, "something else entirely"), StringComparison.Ordinal);
        Assert.Contains("too short", await AcceptAsync("short", "short"), StringComparison.Ordinal);
        Assert.Equal("/login?accepted=new.hire@test.example", await AcceptAsync(RunningApp.Password, RunningApp.Password));
        // Used once: the same link is refused, and nothing changes.
        Assert.Contains("expired or was used already", await AcceptAsync("another good pass phrase", "another good pass phrase"), StringComparison.Ordinal);

        var signedIn = await SignedInAsync(app, "new.hire@test.example");
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/scorecards/customer-support/design")).StatusCode);
        await using var check = await DbAsync(app);
        var user = await check.Users.SingleAsync(u => u.UserName == "new.hire@test.example");
        Assert.Equal(AccessRole.Editor, user.Role);
        Assert.False(user.MustChangePassword);
        Assert.Equal(1, await check.AuditLog.CountAsync(a => a.Action == "user.invited" && a.Subject == "new.hire@test.example" && a.Actor == RunningApp.AdminName));
        Assert.Equal(1, await check.AuditLog.CountAsync(a => a.Action == "user.created" && a.Subject == "new.hire@test.example"));
    }

    [Fact]
    public async Task Invitation_Expired_IsRefusedAndNothingChanges()
    {
        await using var app = await RunningApp.StartAsync(provider);
        string html = await PostPageAsync(app.Client, "/admin/users", "invite", ("email", "late@test.example"), ("role", "viewer"));
        string link = WebUtility.HtmlDecode(SecretPattern().Match(html).Groups[1].Value);
        await using (var db = await DbAsync(app))
        {
            // 72 hours have passed.
            var invitation = await db.Invitations.SingleAsync(i => i.Email == "late@test.example");
            invitation.ExpiresAt = DateTime.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }

        var invitee = app.NewClient();
        string page = new Uri(link).PathAndQuery;
        Assert.Contains("has expired or was used already", await invitee.GetStringAsync(page), StringComparison.Ordinal);
        string token = await RunningApp.AntiforgeryTokenAsync(invitee, "/login");
        using var response = await invitee.PostAsync("/account/invitation/accept", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["token"] = page[(page.IndexOf('=', StringComparison.Ordinal) + 1)..], ["password"] = RunningApp.Password, ["confirm"] = RunningApp.Password,
        }));

        Assert.Contains("expired", Uri.UnescapeDataString(response.Headers.Location!.OriginalString), StringComparison.Ordinal);
        await using var check = await DbAsync(app);
        Assert.False(await check.Users.AnyAsync(u => u.UserName == "late@test.example"));
    }

    [Theory]
    [InlineData("not-an-address", "viewer", "is not an e-mail address")]
    [InlineData("two words@test.example", "viewer", "is not an e-mail address")]
    [InlineData("ok@test.example", "owner-of-everything", "is not a role")]
    [InlineData("admin@test.example", "viewer", "there is an account for admin@test.example already")]
    public async Task Invitation_BadInput_SaysWhatIsWrong(string email, string role, string expected)
    {
        await using var app = await RunningApp.StartAsync(provider);
        string html = WebUtility.HtmlDecode(await PostPageAsync(app.Client, "/admin/users", "invite", ("email", email), ("role", role)));
        Assert.Contains(expected, html, StringComparison.Ordinal);
        await using var db = await DbAsync(app);
        Assert.Equal(0, await db.Invitations.CountAsync());
        Assert.Equal(0, await db.Deliveries.CountAsync());
    }

    [Fact]
    public async Task Create_ShowsTheOneTimePasswordOnce_AndRolesChangeByPage()
    {
        await using var app = await RunningApp.StartAsync(provider);
        string html = await PostPageAsync(app.Client, "/admin/users", "create", ("email", "temp@test.example"), ("role", "viewer"));
        string password = WebUtility.HtmlDecode(SecretPattern().Match(html).Groups[1].Value);
        Assert.True(password.Length >= 12);
        Assert.DoesNotContain(password, await app.Client.GetStringAsync("/admin/users"), StringComparison.Ordinal);

        var user = app.NewClient(allowRedirects: true);
        await RunningApp.SignInAsync(user, "temp@test.example", password);
        Assert.EndsWith("/account/password", (await user.GetAsync("/")).RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);

        string page = $"/admin/users/{await IdOfAsync(app, "temp@test.example")}";
        Assert.Contains("is editor on Customer Support Scorecard now", WebUtility.HtmlDecode(await PostPageAsync(app.Client, page, "scorecard-role", ("scorecard", "customer-support"), ("role", "editor"))), StringComparison.Ordinal);
        Assert.Contains("is now administrator", await PostPageAsync(app.Client, page, "role", ("role", "administrator")), StringComparison.Ordinal);
        await using var db = await DbAsync(app);
        var stored = await db.Users.SingleAsync(u => u.UserName == "temp@test.example");
        Assert.Equal(AccessRole.Administrator, stored.Role);
        Assert.Equal(AccessRole.Editor, (await db.ScorecardRoles.SingleAsync(r => r.UserId == stored.Id)).Role);
        var actions = await db.AuditLog.Where(a => a.Subject == "temp@test.example").Select(a => a.Action).ToListAsync();
        Assert.Contains("user.created", actions);
        Assert.Contains("role.granted", actions);
        Assert.Contains("user.changed", actions);
    }

    [Fact]
    public async Task LastAdministrator_CannotBeDisabledOrDemoted()
    {
        await using var app = await RunningApp.StartAsync(provider);
        await using (var db = await DbAsync(app))
        {
            // The first run's 'admin' is the other administrator of the organisation: take it away.
            await db.Users.Where(u => u.UserName == Users.FirstAdministrator).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AccessRole.Viewer));
        }

        string page = $"/admin/users/{await IdOfAsync(app, RunningApp.AdminName)}";
        Assert.Contains("only active administrator", await PostPageAsync(app.Client, page, "disable"), StringComparison.Ordinal);
        Assert.Contains("only active administrator", await PostPageAsync(app.Client, page, "role", ("role", "editor")), StringComparison.Ordinal);
        await using var check = await DbAsync(app);
        var me = await check.Users.SingleAsync(u => u.UserName == RunningApp.AdminName);
        Assert.Equal(AccessRole.Administrator, me.Role);
        Assert.Null(me.DisabledAt);
    }

    [Fact]
    public async Task AnotherOrganisationsUser_IsNotFoundAndUnchanged()
    {
        await using var app = await RunningApp.StartAsync(provider);
        await app.AddUserAsync("outsider@other.example", AccessRole.Editor, "Other Ltd");
        var outsiderToken = Bearer(app, await app.CreateTokenAsync("outsider@other.example"));
        string page = $"/admin/users/{await IdOfAsync(app, "outsider@other.example")}";

        Assert.Contains("User not found", await app.Client.GetStringAsync(page), StringComparison.Ordinal);
        Assert.DoesNotContain("outsider@other.example", await app.Client.GetStringAsync("/admin/users?q=outsider"), StringComparison.Ordinal);
        string token = await RunningApp.AntiforgeryTokenAsync(app.Client, "/admin/users");
        using (await app.Client.PostAsync(page, Form(token, "disable"))) { }
        using (await app.Client.PostAsync(page, Form(token, "reset"))) { }

        Assert.Equal(HttpStatusCode.OK, (await outsiderToken.GetAsync("/api/v1/scorecards")).StatusCode);
        await using var db = await DbAsync(app);
        Assert.Null((await db.Users.SingleAsync(u => u.UserName == "outsider@other.example")).DisabledAt);
    }

    [Fact]
    public async Task UserList_SearchesAndShowsLastSignIn()
    {
        await using var app = await RunningApp.StartAsync(provider);
        await SignedInAsync(app, RunningApp.AdminName);
        await app.AddUserAsync("ana@test.example", AccessRole.DataUpdater);
        string all = await app.Client.GetStringAsync("/admin/users");
        Assert.Contains("ana@test.example", all, StringComparison.Ordinal);
        Assert.Contains("never", all, StringComparison.Ordinal);
        Assert.Matches(@"admin@test\.example</a></td>\s*<td[^>]*>administrator</td>\s*<td[^>]*></td>\s*<td data-label=""Last sign-in"">\d{4}-\d\d-\d\d \d\d:\d\d UTC</td>", all);

        string found = await app.Client.GetStringAsync("/admin/users?q=ANA");
        Assert.Contains("ana@test.example", found, StringComparison.Ordinal);
        Assert.DoesNotContain("admin@test.example</a></td>", found, StringComparison.Ordinal);
    }

    [GeneratedRegex("<code data-secret>([^<]+)</code>")]
    private static partial Regex SecretPattern();
}
