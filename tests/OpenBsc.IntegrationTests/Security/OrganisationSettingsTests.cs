using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Alerts;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// The organisation settings page over real HTTP: each wrong field named and nothing saved; the organisation's own
/// SMTP server (password encrypted, never shown) takes the test message and the outbox's e-mails on a real loopback
/// SMTP server; new scorecards get the organisation's fiscal year and status rules. On SQLite and PostgreSQL.
/// </summary>
public abstract partial class OrganisationSettingsTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : OrganisationSettingsTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : OrganisationSettingsTests(DatabaseProvider.Postgres);

    private const string Page = "/admin/organisation";

    private static (string, string)[] Fields(string zone = "Europe/Berlin", string fiscal = "4", string green = "80", string yellow = "50", string host = "", string port = "25", string from = "", string password = "") =>
    [
        ("name", "Northwind Traders"), ("timeZone", zone), ("fiscalYearStart", fiscal), ("numberFormat", "comma"), ("dateFormat", "dd.MM.yyyy"),
        ("statusGreenFrom", green), ("statusYellowFrom", yellow), ("smtpHost", host), ("smtpPort", port), ("smtpSecurity", "none"),
        ("smtpFrom", from), ("smtpUser", ""), ("smtpPassword", password),
    ];

    private static async Task<string> PostAsync(HttpClient client, string handler, params (string Name, string Value)[] fields)
    {
        string token = await RunningApp.AntiforgeryTokenAsync(client, Page);
        using var response = await client.PostAsync(Page, new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("_handler", handler), .. fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private static async Task<OpenBscDbContext> DbAsync(RunningApp app) =>
        await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();

    private static async Task<StoredOrganisation> OrganisationAsync(RunningApp app)
    {
        await using var db = await DbAsync(app);
        var id = await db.Users.Where(u => u.UserName == RunningApp.AdminName).Select(u => u.OrganisationId).SingleAsync();
        return await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == id);
    }

    [Fact]
    public async Task Save_BadFields_AreEachNamed_AndNothingChanges()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var before = await OrganisationAsync(app);

        string html = await PostAsync(app.Client, "settings", Fields(zone: "Mars/Olympus", fiscal: "13", green: "50", yellow: "80", host: "bad host!", port: "70000", from: "nobody"));

        Assert.Contains("Time zone: 'Mars/Olympus' is not a time zone", html, StringComparison.Ordinal);
        Assert.Contains("Fiscal year starts: '13' is not a month", html, StringComparison.Ordinal);
        Assert.Contains("Yellow from: 80 % is above Green from (50 %)", html, StringComparison.Ordinal);
        Assert.Contains("SMTP server: 'bad host!' is not a host name", html, StringComparison.Ordinal);
        Assert.Contains("SMTP port: '70000' is not a port", html, StringComparison.Ordinal);
        Assert.Contains("Sender address: 'nobody' is not an e-mail address", html, StringComparison.Ordinal);
        var after = await OrganisationAsync(app);
        Assert.Equal((before.Name, before.TimeZone, before.FiscalYearStart, before.DecimalComma), (after.Name, after.TimeZone, after.FiscalYearStart, after.DecimalComma));
    }

    [Fact]
    public async Task Save_SmtpOfTheOrganisation_TakesTheTestMessageAndTheOutbox()
    {
        await using var app = await RunningApp.StartAsync(provider);
        await using var smtp = new SmtpSink();

        string saved = await PostAsync(app.Client, "settings", Fields(host: "127.0.0.1", port: smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), from: "bsc@northwind.example", password: "smtp-secret-123"));
        Assert.Contains("Settings saved.", saved, StringComparison.Ordinal);
        Assert.DoesNotContain("smtp-secret-123", saved, StringComparison.Ordinal);
        var stored = await OrganisationAsync(app);
        Assert.Equal(("Northwind Traders", "Europe/Berlin", 4, true, "dd.MM.yyyy"), (stored.Name, stored.TimeZone, stored.FiscalYearStart, stored.DecimalComma, stored.DateFormat));
        Assert.NotNull(stored.SmtpPasswordProtected);
        Assert.DoesNotContain("smtp-secret-123", stored.SmtpPasswordProtected, StringComparison.Ordinal);

        // The sink takes no AUTH: the password is only sent with a user, so here the message goes through.
        string tested = await PostAsync(app.Client, "test-mail", ("to", "ops@northwind.example"));
        Assert.Contains("accepted the test message to ops@northwind.example", tested, StringComparison.Ordinal);
        var test = Assert.Single(await smtp.WaitForAsync(1));
        Assert.Equal("bsc@northwind.example", test.From);

        // The outbox sends the organisation's e-mails (here an invitation) through its own server too.
        string token = await RunningApp.AntiforgeryTokenAsync(app.Client, "/admin/users");
        using (await app.Client.PostAsync("/admin/users", new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("_handler", "invite"), new("email", "new@northwind.example"), new("role", "viewer")]))) { }
        Assert.Equal(1, (await app.Services.GetRequiredService<DeliverySender>().SendDueAsync()).Sent);
        var invitation = (await smtp.WaitForAsync(2))[1];
        Assert.Equal(["new@northwind.example"], invitation.To);
        Assert.Contains("/account/invitation?token=", invitation.Data, StringComparison.Ordinal);

        await using var db = await DbAsync(app);
        var audit = await db.AuditLog.SingleAsync(a => a.Action == "organisation.settings");
        Assert.Contains("\"SmtpPasswordProtected\":\"set\"", audit.After, StringComparison.Ordinal);
        Assert.DoesNotContain("smtp-secret-123", audit.After!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestMessage_ServerDown_SaysWhatTheServerDid()
    {
        await using var app = await RunningApp.StartAsync(provider);
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await PostAsync(app.Client, "settings", Fields(host: "127.0.0.1", port: closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        string html = await PostAsync(app.Client, "test-mail", ("to", "ops@northwind.example"));

        Assert.Contains($"Test message: The SMTP server 127.0.0.1:{closedPort} did not take the message", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewScorecard_TakesTheOrganisationsFiscalYearAndStatusRules()
    {
        await using var app = await RunningApp.StartAsync(provider);
        await PostAsync(app.Client, "settings", Fields());

        var (status, _, _) = await app.SendJsonAsync(HttpMethod.Post, "/api/v1/scorecards", """{ "id": "fresh", "name": "Fresh" }""");
        Assert.Equal(HttpStatusCode.Created, status);
        var (_, definition, _) = await app.SendJsonAsync(HttpMethod.Get, "/api/v1/scorecards/fresh/definition");

        var card = definition!["scorecard"]!;
        Assert.Equal(4, (int)card["calendar"]!["fiscalYearStart"]!);
        Assert.Equal(["score >= 0.8", "score >= 0.5", null], card["status"]!.AsArray().Select(r => (string?)r!["when"]));
    }
}
