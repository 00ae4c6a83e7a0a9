using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Alerts;

/// <summary>The alerts API and pages on the real app: rules per scorecard, your notifications, the administrators' outbox.</summary>
public abstract class AlertsWebTests(AlertsWebApp fixture)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite(SqliteAlertsWebApp app) : AlertsWebTests(app), IClassFixture<SqliteAlertsWebApp>;

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres(PostgresAlertsWebApp app) : AlertsWebTests(app), IClassFixture<PostgresAlertsWebApp>;

    private const string Rules = "/api/v1/scorecards/customer-support/alert-rules";

    private RunningApp App => fixture.App;

    private static string NewName(string role) => $"alerts-{role}-{Guid.NewGuid():N}"[..30] + "@test.example";

    [Fact]
    public async Task AlertRulesApi_EditorAddsListsAndDeletes_ViewerOnlyReads()
    {
        var editor = await App.SignInAsync(NewName("editor"), AccessRole.Editor);
        var viewer = await App.SignInAsync(NewName("viewer"), AccessRole.Viewer);
        var rule = new { kind = "ScoreDrops", threshold = 10, recipients = "role:editor", inApp = true };

        using var created = await editor.PostAsJsonAsync(Rules, rule);
        using var refused = await viewer.PostAsJsonAsync(Rules, rule);
        long id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        string listed = await viewer.GetStringAsync(Rules);
        using var deleted = await editor.DeleteAsync($"{Rules}/{id}");
        using var again = await editor.DeleteAsync($"{Rules}/{id}");
        using var other = await editor.GetAsync("/api/v1/scorecards/no-such-card/alert-rules");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"{Rules}/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains($"\"id\":{id},\"kind\":\"ScoreDrops\",\"threshold\":10", listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        await using var db = await Contexts.CreateDbContextAsync();
        var audit = await db.AuditLog.AsNoTracking().Where(a => a.Action.StartsWith("alert-rule.") && a.Subject == "ScoreDrops all" && a.After != null && a.After.Contains("role:editor")
            || a.Action == "alert-rule.deleted" && a.Before != null && a.Before.Contains("role:editor")).Select(a => a.Action).ToListAsync();
        Assert.Contains("alert-rule.added", audit);
        Assert.Contains("alert-rule.deleted", audit);
    }

    [Fact]
    public async Task AlertRulesApi_BadRule_Is400NamingEachField()
    {
        var editor = await App.SignInAsync(NewName("editor"), AccessRole.Editor);

        using var response = await editor.PostAsJsonAsync(Rules, new { kind = "Purple", recipients = "everyone" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = problem.GetProperty("errors");
        Assert.Contains("MeasureTurnsRed, ScoreDrops", errors.GetProperty("kind")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("'everyone' is not a recipient", errors.GetProperty("recipients")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("at least one channel", errors.GetProperty("channels")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotificationsApiAndPage_ShowAndMarkOnlyYourOwn()
    {
        string name = NewName("reader");
        var reader = await App.SignInAsync(name, AccessRole.Viewer);
        var (mine, others) = await NotifyAsync(name);

        string page = await reader.GetStringAsync("/notifications");
        var all = await reader.GetFromJsonAsync<JsonElement>("/api/v1/notifications");
        using var read = await reader.PostAsync($"/api/v1/notifications/{mine}/read", null);
        using var notMine = await reader.PostAsync($"/api/v1/notifications/{others}/read", null);
        var unread = await reader.GetFromJsonAsync<JsonElement>("/api/v1/notifications?unread=true");
        var marked = await (await reader.PostAsync("/api/v1/notifications/read", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Contains("Cost per ticket turned red", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Someone else's alert", page, StringComparison.Ordinal);
        Assert.Equal(2, all.GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notMine.StatusCode);
        Assert.Equal(1, unread.GetArrayLength());
        Assert.Equal(1, marked.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task DeliveriesApiAndPage_AdministratorSeesTheFailureAndRetries()
    {
        long id = await FailedDeliveryAsync("Connection refused by smtp.test.example");

        string page = await App.Client.GetStringAsync("/admin/deliveries?status=failed");
        var failed = await App.Client.GetFromJsonAsync<JsonElement>("/api/v1/deliveries?status=failed");
        using var bad = await App.Client.GetAsync("/api/v1/deliveries?status=lost");
        using var retried = await App.Client.PostAsync($"/api/v1/deliveries/{id}/retry", null);
        using var twice = await App.Client.PostAsync($"/api/v1/deliveries/{id}/retry", null);
        var editor = await App.SignInAsync(NewName("editor"), AccessRole.Editor);
        using var notAdmin = await editor.GetAsync("/api/v1/deliveries");

        Assert.Contains("Connection refused by smtp.test.example", page, StringComparison.Ordinal);
        Assert.Contains(failed.EnumerateArray(), d => d.GetProperty("id").GetInt64() == id && d.GetProperty("lastError").GetString() == "Connection refused by smtp.test.example");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        await using var db = await Contexts.CreateDbContextAsync();
        var queued = await db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == id);
        Assert.Equal((DeliveryStatus.Pending, 0), (queued.Status, queued.Attempts));
    }

    [Fact]
    public async Task AlertsPage_EditorAddsARuleAndAWebhookThroughTheForms()
    {
        string page = "/scorecards/customer-support/alerts";
        var editor = await App.SignInAsync(NewName("editor"), AccessRole.Editor);
        var viewer = await App.SignInAsync(NewName("viewer"), AccessRole.Viewer);

        using var rule = await editor.PostAsync(page, Form(await RunningApp.AntiforgeryTokenAsync(editor, page), "add-rule",
            ("kind", "DataOverdue"), ("threshold", "7"), ("subject", "cost-per-ticket"), ("recipients", "owners, role:editor"), ("inApp", "true"), ("email", "true")));
        using var hook = await editor.PostAsync(page, Form(await RunningApp.AntiforgeryTokenAsync(editor, page), "add-hook", ("url", "https://hooks.test.example/openbsc")));
        string after = await editor.GetStringAsync(page);
        using var denied = await viewer.GetAsync(page);

        Assert.Equal(HttpStatusCode.OK, rule.StatusCode);
        Assert.Contains("Data is overdue some days after the period ends: 7 days</td>", after, StringComparison.Ordinal);
        Assert.Contains(">the owners, editors</td>", after, StringComparison.Ordinal);
        Assert.DoesNotContain("DataOverdue<", after, StringComparison.Ordinal); // the kind in words, not its stored name
        Assert.Contains("https://hooks.test.example/openbsc", after, StringComparison.Ordinal);
        Assert.Contains("whsec_", after, StringComparison.Ordinal);
        await using var db = await Contexts.CreateDbContextAsync();
        var logged = await db.AuditLog.AsNoTracking().Where(a => a.Action == "webhook.added" && a.Subject == "https://hooks.test.example/openbsc").ToListAsync();
        Assert.NotEmpty(logged);
        Assert.All(logged, a => Assert.DoesNotContain("whsec_", (a.Before ?? "") + a.After, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    private static FormUrlEncodedContent Form(string token, string handler, params (string Name, string Value)[] fields) =>
        new([new("__RequestVerificationToken", token), new("_handler", handler), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    private Microsoft.EntityFrameworkCore.IDbContextFactory<OpenBscDbContext> Contexts => App.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>();

    /// <summary>Two notifications for <paramref name="userName"/> and one for the administrator; returns one id of each.</summary>
    private async Task<(long Mine, long Others)> NotifyAsync(string userName)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var user = await db.Users.SingleAsync(u => u.UserName == userName);
        var admin = await db.Users.SingleAsync(u => u.UserName == RunningApp.AdminName);
        var mine = new StoredNotification { OrganisationId = user.OrganisationId, UserId = user.Id, Scorecard = "customer-support", Title = "Cost per ticket turned red", Body = "Red at 2026-03.", Link = "/scorecards/customer-support/measures/cost-per-ticket" };
        var others = new StoredNotification { OrganisationId = admin.OrganisationId, UserId = admin.Id, Title = "Someone else's alert", Body = "Not yours." };
        db.Notifications.AddRange(mine, new StoredNotification { OrganisationId = user.OrganisationId, UserId = user.Id, Title = "Second", Body = "Another." }, others);
        await db.SaveChangesAsync();
        return (mine.Id, others.Id);
    }

    private async Task<long> FailedDeliveryAsync(string error)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var organisation = await db.Users.Where(u => u.UserName == RunningApp.AdminName).Select(u => u.OrganisationId).SingleAsync();
        var delivery = new StoredDelivery
        {
            OrganisationId = organisation, Channel = "email", Target = "owner@test.example", Subject = "[OpenBsc] test", Payload = "body",
            Status = DeliveryStatus.Failed, Attempts = 6, LastError = error, NextAttemptAt = DateTime.UnixEpoch, CreatedAt = DateTime.UnixEpoch,
        };
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync();
        return delivery.Id;
    }
}

/// <summary>The demo app (customer-support scorecard) shared by the alerts web tests; each test makes its own users and rows.</summary>
public abstract class AlertsWebApp(DatabaseProvider provider) : IAsyncLifetime
{
    public RunningApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await RunningApp.StartAsync(provider);

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class SqliteAlertsWebApp() : AlertsWebApp(DatabaseProvider.Sqlite);

public sealed class PostgresAlertsWebApp() : AlertsWebApp(DatabaseProvider.Postgres);
