using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// Single sign-on settings over real HTTP: each wrong field named and nothing saved, the client secret stored
/// encrypted and audited only as "set", and passwords switched off for everyone but administrators. (The sign-in
/// itself runs against a real provider in the browser tests: SingleSignOnJourneyTests.)
/// </summary>
public sealed class SingleSignOnSettingsTests
{
    private const string Page = "/admin/organisation";

    private static async Task<string> SaveAsync(HttpClient client, params (string Name, string Value)[] sso)
    {
        string token = await RunningApp.AntiforgeryTokenAsync(client, Page);
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["_handler"] = "settings", ["name"] = "Northwind Ltd", ["timeZone"] = "UTC", ["fiscalYearStart"] = "1",
            ["numberFormat"] = "point", ["dateFormat"] = "yyyy-MM-dd", ["statusGreenFrom"] = "90", ["statusYellowFrom"] = "60", ["smtpSecurity"] = "auto",
        };
        foreach (var (name, value) in sso)
        {
            fields[name] = value;
        }

        using var response = await client.PostAsync(Page, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BadFields_AreNamed_SecretEncrypted_PasswordsOffForAllButAdministrators()
    {
        await using var app = await RunningApp.StartAsync(demo: false);
        string html = await SaveAsync(app.Client, ("oidcAuthority", "http://login.example.org/"), ("oidcClientId", ""), ("oidcEmailClaim", "e mail"), ("oidcDefaultRole", "boss"));
        Assert.Contains("Identity provider: 'http://login.example.org/' is not an https address", html, StringComparison.Ordinal);
        Assert.Contains("Client id: expected the id the identity provider gave OpenBsc", html, StringComparison.Ordinal);
        Assert.Contains("E-mail claim: 'e mail' is not a claim name", html, StringComparison.Ordinal);
        Assert.Contains("Role of new accounts: expected one of", html, StringComparison.Ordinal);
        Assert.Contains("Passwords: passwords can be switched off only with single sign-on set up", await SaveAsync(app.Client, ("localAccountsOff", "true")), StringComparison.Ordinal);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            Assert.False(await db.Organisations.AnyAsync(o => o.OidcAuthority != null || o.LocalAccountsOff));
        }

        Assert.Contains("Settings saved.", await SaveAsync(app.Client, ("oidcAuthority", "https://login.example.org/tenant/v2.0"), ("oidcClientId", "openbsc"),
            ("oidcClientSecret", "s3cret-from-the-provider"), ("oidcEmailClaim", "upn"), ("localAccountsOff", "true")), StringComparison.Ordinal);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            var organisation = await db.Organisations.SingleAsync();
            Assert.Equal("upn", organisation.OidcEmailClaim);
            Assert.DoesNotContain("s3cret", organisation.OidcClientSecretProtected!, StringComparison.Ordinal);
            var audit = await db.AuditLog.Where(a => a.Action == "organisation.settings").OrderBy(a => a.Id).LastAsync();
            Assert.DoesNotContain("s3cret", audit.After ?? "", StringComparison.Ordinal);
            Assert.Contains("\"OidcClientSecretProtected\":\"set\"", audit.After ?? "", StringComparison.Ordinal);
        }

        Assert.Contains("Sign in with single sign-on (Northwind Ltd)", await app.NewClient().GetStringAsync("/login"), StringComparison.Ordinal);

        // Passwords off: an editor's right password is refused with the way to sign in; an administrator keeps theirs.
        await app.AddUserAsync("editor@test.example", AccessRole.Editor);
        using (var refused = await RunningApp.SignInAsync(app.NewClient(), "editor@test.example", RunningApp.Password))
        {
            Assert.Equal("/login?problem=local-off&returnUrl=%2F", refused.Headers.Location!.OriginalString);
        }

        var client = app.NewClient(allowRedirects: true);
        Assert.Contains("single sign-on only", WebUtility.HtmlDecode(await (await RunningApp.SignInAsync(client, "editor@test.example", RunningApp.Password)).Content.ReadAsStringAsync()), StringComparison.Ordinal);
        using var admin = await RunningApp.SignInAsync(app.NewClient(), RunningApp.AdminName, RunningApp.Password);
        Assert.Equal("/", admin.Headers.Location!.OriginalString);
    }
}
