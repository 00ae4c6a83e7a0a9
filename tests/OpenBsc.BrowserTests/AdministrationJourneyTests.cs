using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;
using static Microsoft.Playwright.Assertions;

namespace OpenBsc.BrowserTests;

/// <summary>An administrator's first day in the browser: invite a colleague, change their role, reset a leaver, set up the organisation.</summary>
public sealed class AdministrationJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> AnonymousPageAsync(int width = 1366)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.App.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = 900 } });
        return await context.NewPageAsync();
    }

    private static ILocator FormWith(IPage page, string button) => page.Locator("form", new() { Has = page.GetByRole(AriaRole.Button, new() { Name = button }) });

    [Fact]
    public async Task Invite_Accept_SignIn_RoleChangeTakesEffectAtTheNextRequest()
    {
        var admin = await fixture.NewPageAsync();
        await admin.GotoAsync("/");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Administration" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Users", Level = 1 })).ToBeVisibleAsync();
        var invite = FormWith(admin, "Send invitation");
        await invite.GetByLabel("E-mail").FillAsync("colleague@test.example");
        await invite.GetByLabel("Role").SelectOptionAsync("viewer");
        await invite.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Expect(admin.GetByText("Invitation to colleague@test.example queued")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(admin, "admin-users");

        // The link comes from the e-mail in the outbox.
        string link;
        await using (var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            string payload = (await db.Deliveries.SingleAsync(d => d.Target == "colleague@test.example")).Payload;
            link = payload.Split('\n').Single(l => l.Contains("/account/invitation?token=", StringComparison.Ordinal)).Trim();
        }

        var colleague = await AnonymousPageAsync(390);
        await colleague.GotoAsync(link);
        await Expect(colleague.GetByText("You are invited to")).ToBeVisibleAsync();
        await colleague.GetByLabel("Password", new() { Exact = true }).FillAsync("our colleague's own pass phrase");
        await colleague.GetByLabel("Password again").FillAsync("our colleague's own pass phrase");
        await BrowserFixture.ScreenshotAsync(colleague, "admin-invitation-390");
        await colleague.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();
        await Expect(colleague.GetByText("Your account colleague@test.example is ready")).ToBeVisibleAsync();
        await colleague.GetByLabel("Password").FillAsync("our colleague's own pass phrase");
        await colleague.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await BrowserFixture.SignedInAsync(colleague);
        var design = await colleague.GotoAsync("/scorecards/customer-support/design");
        Assert.Equal(403, design!.Status);

        // The administrator makes them an editor: their very next request may edit.
        await admin.GotoAsync("/admin/users?q=colleague");
        await admin.GetByRole(AriaRole.Link, new() { Name = "colleague@test.example" }).ClickAsync();
        var role = FormWith(admin, "Change role");
        await role.GetByLabel("Role").SelectOptionAsync("editor");
        await role.GetByRole(AriaRole.Button, new() { Name = "Change role" }).ClickAsync();
        await Expect(admin.GetByText("colleague@test.example is now editor.")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(admin, "admin-user");

        design = await colleague.GotoAsync("/scorecards/customer-support/design");
        Assert.Equal(200, design!.Status);
    }

    [Fact]
    public async Task Reset_RevokesTheUsersApiTokenForGood()
    {
        await fixture.App.AddUserAsync("leaver@test.example", AccessRole.Editor);
        string token = await fixture.App.CreateTokenAsync("leaver@test.example");
        var api = fixture.App.NewClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/scorecards")).StatusCode);

        var admin = await fixture.NewPageAsync();
        await admin.GotoAsync("/admin/users");
        await admin.GetByLabel("Search").FillAsync("leaver");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "leaver@test.example" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        string password = (await admin.Locator("code[data-secret]").InnerTextAsync()).Trim();

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/scorecards")).StatusCode);

        // They sign in with the one-time password and choose their own: the old token still never works.
        var leaver = await AnonymousPageAsync();
        await leaver.GotoAsync("/login");
        await leaver.GetByLabel("User name or e-mail").FillAsync("leaver@test.example");
        await leaver.GetByLabel("Password").FillAsync(password);
        await leaver.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await leaver.WaitForURLAsync("**/account/password");
        await leaver.GetByLabel("Current password").FillAsync(password);
        await leaver.GetByLabel("New password", new() { Exact = true }).FillAsync("a fresh start pass phrase");
        await leaver.GetByLabel("New password again").FillAsync("a fresh start pass phrase");
        await leaver.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();
        await leaver.WaitForURLAsync(url => !url.Contains("/account/password", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/scorecards")).StatusCode);
    }

    [Fact]
    public async Task OrganisationSettings_TimeZoneSavedAndShownAt390px()
    {
        var page = await fixture.NewPageAsync(390, 844);
        await page.GotoAsync("/admin/organisation");
        await page.GetByLabel("Time zone").FillAsync("Pacific/Auckland");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.GetByText("Settings saved.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Time zone")).ToHaveValueAsync("Pacific/Auckland");
        await BrowserFixture.ScreenshotAsync(page, "admin-organisation-390");
        // No sideways scroll on a phone: nothing of the page is wider than the window (the shared header is the web
        // design's, checked there).
        string wide = await page.EvaluateAsync<string>("[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + '.' + e.className + ' ' + (e.getAttribute('name') ?? '')).slice(0, 8).join('; ')");
        Assert.True(wide.Length == 0, wide);

        await page.GetByLabel("Time zone").FillAsync("UTC");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.GetByText("Settings saved.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SecondFactor_SetUpWithTheAppsCode_ThenAskedAtSignIn()
    {
        await fixture.App.AddUserAsync("careful@test.example", AccessRole.Viewer);
        var page = await AnonymousPageAsync();
        async Task PasswordAsync()
        {
            await page.GotoAsync("/login");
            await page.GetByLabel("User name or e-mail").FillAsync("careful@test.example");
            await page.GetByLabel("Password").FillAsync(RunningApp.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        }

        await PasswordAsync();
        await BrowserFixture.SignedInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "careful@test.example" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Second factor" }).ClickAsync();
        await Expect(page.Locator("svg")).ToBeVisibleAsync();
        string key = (await page.Locator("code[data-authenticator-key]").InnerTextAsync()).Trim();
        await BrowserFixture.ScreenshotAsync(page, "second-factor-setup");
        await page.GetByLabel("Code from the app").FillAsync(new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key)).ComputeTotp());
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn the second factor on" }).ClickAsync();
        await Expect(page.GetByText("Your second factor is on.")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-recovery-codes] li")).ToHaveCountAsync(10);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await PasswordAsync();
        await page.WaitForURLAsync("**/login/second-factor");
        await page.GetByLabel("Code").FillAsync("000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByText("The code is not right")).ToBeVisibleAsync();
        await page.GetByLabel("Code").FillAsync(new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key)).ComputeTotp());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await BrowserFixture.SignedInAsync(page);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "careful@test.example" })).ToBeVisibleAsync();
    }
}
