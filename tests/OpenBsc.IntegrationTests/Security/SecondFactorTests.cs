using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;
using OtpNet;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// A second factor (TOTP authenticator) over real HTTP, codes computed with Otp.NET as an app would: set-up, sign-in
/// in two steps, recovery codes used once, wrong codes locking the account like wrong passwords.
/// </summary>
public sealed partial class SecondFactorTests
{
    private const string User = "careful@test.example";

    private static string Code(string key, int stepsFromNow = 0) =>
        new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * stepsFromNow));

    private static async Task<string> PostPageAsync(HttpClient client, string handler, params (string Name, string Value)[] fields)
    {
        string token = await RunningApp.AntiforgeryTokenAsync(client, "/account/second-factor");
        using var response = await client.PostAsync("/account/second-factor", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("_handler", handler), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]));
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Signs in with the password; returns where the form sent the browser.</summary>
    private static async Task<string> PasswordAsync(HttpClient client)
    {
        using var response = await RunningApp.SignInAsync(client, User, RunningApp.Password);
        return response.Headers.Location!.OriginalString;
    }

    private static async Task<string> CodeAsync(HttpClient client, string code)
    {
        string token = await RunningApp.AntiforgeryTokenAsync(client, "/login/second-factor");
        using var response = await client.PostAsync("/account/login/second-factor", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["code"] = code }));
        return Uri.UnescapeDataString(response.Headers.Location!.OriginalString);
    }

    private static async Task<(string Key, IReadOnlyList<string> Recovery)> EnrolAsync(RunningApp app)
    {
        var client = await app.SignInAsync(User, AccessRole.Editor);
        string page = await client.GetStringAsync("/account/second-factor");
        string key = KeyPattern().Match(page).Groups[1].Value;
        Assert.Contains("<svg", page, StringComparison.Ordinal);

        Assert.Contains("Code: that is not the code your app shows now", await PostPageAsync(client, "on", ("code", "000000")), StringComparison.Ordinal);
        string on = await PostPageAsync(client, "on", ("code", Code(key)));
        Assert.Contains("Your second factor is on.", on, StringComparison.Ordinal);
        // Still signed in: turning it on gave this browser a cookie with the new stamp.
        Assert.Contains("Turn the second factor off", await client.GetStringAsync("/account/second-factor"), StringComparison.Ordinal);
        return (key, [.. RecoveryPattern().Matches(on).Select(m => m.Groups[1].Value)]);
    }

    [Fact]
    public async Task SignIn_NeedsTheCodeAfterThePassword()
    {
        await using var app = await RunningApp.StartAsync();
        var (key, recovery) = await EnrolAsync(app);
        Assert.Equal(SecondFactor.RecoveryCodes, recovery.Count);

        var client = app.NewClient();
        Assert.Equal("/login/second-factor", await PasswordAsync(client));
        // The password alone gives no session.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/scorecards")).StatusCode);
        Assert.Contains("The code is not right", await CodeAsync(client, "123456"), StringComparison.Ordinal);
        Assert.Equal("/", await CodeAsync(client, Code(key)));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/scorecards")).StatusCode);

        // A recovery code works once.
        var phoneless = app.NewClient();
        await PasswordAsync(phoneless);
        Assert.Equal("/", await CodeAsync(phoneless, recovery[0]));
        var again = app.NewClient();
        await PasswordAsync(again);
        Assert.Contains("The code is not right", await CodeAsync(again, recovery[0]), StringComparison.Ordinal);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "user.second-factor-on" && a.Subject == User));
    }

    [Fact]
    public async Task RequiredByTheOrganisation_SendsEveryoneWithoutOneToSetUp_AndNoneCanTurnItOff()
    {
        await using var app = await RunningApp.StartAsync();
        await app.AddUserAsync(User, AccessRole.Editor);
        var client = app.NewClient();
        await PasswordAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/my-items")).StatusCode);

        // The administrator ticks "Require a second factor for everyone" on the settings page.
        string settings = "/admin/organisation";
        string token = await RunningApp.AntiforgeryTokenAsync(app.Client, settings);
        using (var saved = await app.Client.PostAsync(settings, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["_handler"] = "settings", ["name"] = "Northwind Ltd", ["timeZone"] = "UTC", ["fiscalYearStart"] = "1",
            ["numberFormat"] = "point", ["dateFormat"] = "yyyy-MM-dd", ["statusGreenFrom"] = "90", ["statusYellowFrom"] = "60", ["smtpSecurity"] = "auto",
            ["requireSecondFactor"] = "true",
        })))
        {
            Assert.Contains("Settings saved.", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The signed-in user's next request goes to the set-up page, whatever they asked for; so does a new sign-in.
        foreach (string path in new[] { "/my-items", "/scorecards/customer-support", "/account/tokens" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account/second-factor?required=true", response.Headers.Location!.OriginalString);
        }

        var fresh = app.NewClient();
        Assert.Equal("/", await PasswordAsync(fresh));
        Assert.Equal("/account/second-factor?required=true", (await fresh.GetAsync("/")).Headers.Location!.OriginalString);
        string page = await fresh.GetStringAsync("/account/second-factor?required=true");
        Assert.Contains("Your organisation requires a second factor: set one up to continue.", WebUtility.HtmlDecode(page), StringComparison.Ordinal);

        // Set up, the user goes on; the factor cannot be turned off while the organisation requires it.
        string key = KeyPattern().Match(page).Groups[1].Value;
        Assert.Contains("Your second factor is on.", await PostPageAsync(fresh, "on", ("code", Code(key))), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/my-items")).StatusCode);
        string on = WebUtility.HtmlDecode(await fresh.GetStringAsync("/account/second-factor"));
        Assert.DoesNotContain("Turn the second factor off", on, StringComparison.Ordinal);
        Assert.Contains("Your organisation requires it: it cannot be turned off.", on, StringComparison.Ordinal);
        // A hand-made post of the "off" form (not on the page any more) turns nothing off.
        Assert.DoesNotContain("Turn the second factor on", await PostPageAsync(fresh, "off"), StringComparison.Ordinal);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
        Assert.True((await db.Users.SingleAsync(u => u.UserName == User)).TwoFactorEnabled);
    }

    [Fact]
    public async Task WrongCodes_LockTheAccountLikeWrongPasswords()
    {
        await using var app = await RunningApp.StartAsync();
        var (key, _) = await EnrolAsync(app);
        var client = app.NewClient();
        await PasswordAsync(client);

        for (int i = 0; i < 4; i++)
        {
            Assert.Contains("The code is not right", await CodeAsync(client, "999999"), StringComparison.Ordinal);
        }

        Assert.Contains("locked for 15 minutes", await CodeAsync(client, "999999"), StringComparison.Ordinal);
        // Locked: even the right code is refused now.
        Assert.Contains("locked for 15 minutes", await CodeAsync(client, Code(key)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/scorecards")).StatusCode);
    }

    [Fact]
    public async Task CodeStep_WithoutAPasswordFirst_IsSentBackToSignIn()
    {
        await using var app = await RunningApp.StartAsync();
        await EnrolAsync(app);
        var stranger = app.NewClient();

        Assert.StartsWith("/login?problem=The sign-in took too long", await CodeAsync(stranger, "123456"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/v1/scorecards")).StatusCode);
    }

    [GeneratedRegex("<code data-authenticator-key>([A-Z2-7]+)</code>")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryPattern();
}
