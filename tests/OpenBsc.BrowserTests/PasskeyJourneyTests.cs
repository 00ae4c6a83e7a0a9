using Microsoft.Playwright;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;
using static Microsoft.Playwright.Assertions;

namespace OpenBsc.BrowserTests;

/// <summary>
/// Passkeys end to end with Chromium's virtual authenticator (DevTools protocol WebAuthn domain): a platform
/// authenticator with discoverable credentials and user verification, as a laptop's fingerprint reader is.
/// </summary>
public sealed class PasskeyJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AddPasskey_SignOut_SignInWithIt_ThenRemoved_ItIsRefused()
    {
        const string user = "passkey@test.example";
        await fixture.App.AddUserAsync(user, AccessRole.Editor);
        // A passkey's relying party is a host name: browsers refuse an IP address (the fixture's 127.0.0.1), so the
        // journey uses the same server by the name localhost.
        var address = new UriBuilder(fixture.App.BaseAddress) { Host = "localhost" }.Uri;
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });

        await page.GotoAsync("/login");
        await page.GetByLabel("User name or e-mail").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(RunningApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await BrowserFixture.SignedInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = user }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Passkeys" }).ClickAsync();
        await Expect(page.GetByText("You have no passkeys yet.")).ToBeVisibleAsync();
        await page.GetByLabel("Name").FillAsync("Work laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Passkey Work laptop added");
        await Expect(page.Locator("table[data-passkeys] tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("table[data-passkeys] tbody tr td").Nth(2)).ToHaveTextAsync("never");
        await BrowserFixture.ScreenshotAsync(page, "passkeys-added");
        // The list on a phone: no sideways scroll.
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "passkeys-added-390");
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, "the passkeys page scrolls sideways at 390 px");
        await page.SetViewportSizeAsync(1366, 900);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/login**");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await BrowserFixture.SignedInAsync(page);
        Assert.Equal(address.GetLeftPart(UriPartial.Authority) + "/", page.Url);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = user })).ToBeVisibleAsync();
        await page.GotoAsync("/account/passkeys");
        await Expect(page.Locator("table[data-passkeys] tbody tr td").Nth(2)).ToContainTextAsync("UTC");

        await page.GetByRole(AriaRole.Button, new() { Name = "Remove Work laptop" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Passkey Work laptop removed");
        await Expect(page.GetByText("You have no passkeys yet.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/login**");
        // The device still holds the passkey; the site no longer knows it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("This passkey is not registered here");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "openbsc");
        await BrowserFixture.ScreenshotAsync(page, "passkey-refused");
        await context.CloseAsync();
    }
}
