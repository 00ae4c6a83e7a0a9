using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Organisations;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;
using static Microsoft.Playwright.Assertions;

namespace OpenBsc.BrowserTests;

/// <summary>
/// Single sign-on through the browser against a real OpenID Connect provider on loopback (OpenIddict): the
/// administrator sets it up, a first sign-in creates the account, a known account signs in with its role, a disabled
/// account and a token from another issuer are refused.
/// </summary>
public sealed class SingleSignOnJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> AnonymousPageAsync()
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.App.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        return await context.NewPageAsync();
    }

    /// <summary>From the sign-in page through the provider's page, as <paramref name="email"/>.</summary>
    private static async Task SingleSignOnAsync(IPage page, string organisation, string email)
    {
        await page.GotoAsync("/login");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Sign in with single sign-on ({organisation})" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Test identity provider" })).ToBeVisibleAsync();
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in at the provider" }).ClickAsync();
    }

    [Fact]
    public async Task SignIn_FirstSignInCreatesTheAccount_DisabledAndOtherIssuerRefused()
    {
        await using var provider = await TestIdentityProvider.StartAsync();
        await using var impostor = await TestIdentityProvider.StartAsync(wrongIssuer: true);
        string organisation;
        await using (var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            organisation = (await db.Organisations.SingleAsync(o => db.Users.Any(u => u.UserName == RunningApp.AdminName && u.OrganisationId == o.Id))).Name;
        }

        // The administrator sets single sign-on up on the settings page.
        var admin = await fixture.NewPageAsync();
        await admin.GotoAsync("/admin/organisation");
        await admin.GetByLabel("Identity provider (issuer)").FillAsync(provider.Authority);
        await admin.GetByLabel("Client id").FillAsync(TestIdentityProvider.ClientId);
        await admin.GetByLabel("Client secret").FillAsync(TestIdentityProvider.ClientSecret);
        await admin.GetByLabel("Create an account at a person's first sign-in").CheckAsync();
        await admin.GetByLabel("Role of new accounts").SelectOptionAsync("viewer");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(admin.GetByText("Settings saved.")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(admin, "single-sign-on-settings");

        // A second organisation whose provider's tokens come from another issuer than its discovery document names.
        await fixture.App.AddUserAsync("boss@other.example", AccessRole.Administrator, "Other Ltd");
        using (var scope = fixture.App.Services.CreateScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
            var other = await db.Organisations.SingleAsync(o => o.Name == "Other Ltd");
            var problems = await scope.ServiceProvider.GetRequiredService<OrganisationSettings>().SaveAsync(other.Id, new OrganisationSettingsForm(
                other.Name, "UTC", "1", "point", "yyyy-MM-dd", "90", "60", null, null, null, null, null, false, null,
                OidcAuthority: impostor.Authority, OidcClientId: TestIdentityProvider.ClientId, OidcClientSecret: TestIdentityProvider.ClientSecret, OidcCreateAccounts: true));
            Assert.Empty(problems);
        }

        // A first sign-in creates the account, with the role chosen for new accounts.
        var newcomer = await AnonymousPageAsync();
        await SingleSignOnAsync(newcomer, organisation, "newcomer@test.example");
        await Expect(newcomer.GetByRole(AriaRole.Link, new() { Name = "newcomer@test.example" })).ToBeVisibleAsync();
        Assert.Equal(403, (await newcomer.GotoAsync("/scorecards/customer-support/design"))!.Status);
        await using (var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            var created = await db.Users.SingleAsync(u => u.UserName == "newcomer@test.example");
            Assert.Equal(AccessRole.Viewer, created.Role);
            Assert.Null(created.PasswordHash);
        }

        // A known account signs in with its own role.
        await fixture.App.AddUserAsync("known@test.example", AccessRole.Editor);
        var known = await AnonymousPageAsync();
        await SingleSignOnAsync(known, organisation, "known@test.example");
        await Expect(known.GetByRole(AriaRole.Link, new() { Name = "known@test.example" })).ToBeVisibleAsync();
        Assert.Equal(200, (await known.GotoAsync("/scorecards/customer-support/design"))!.Status);

        // A disabled account is refused, however the provider vouches for it.
        await fixture.App.AddUserAsync("gone@test.example", AccessRole.Editor);
        using (var scope = fixture.App.Services.CreateScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<Users>().DisableAsync("gone@test.example")).Succeeded);
        }

        var gone = await AnonymousPageAsync();
        await SingleSignOnAsync(gone, organisation, "gone@test.example");
        await Expect(gone.GetByText("Your account is disabled: ask an administrator of your organisation.")).ToBeVisibleAsync();
        Assert.Contains("/login", gone.Url, StringComparison.Ordinal);
        await Expect(gone.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);

        // A token from another issuer than the provider's discovery document names: refused, no account made.
        var fooled = await AnonymousPageAsync();
        await SingleSignOnAsync(fooled, "Other Ltd", "intruder@other.example");
        await Expect(fooled.GetByText("The single sign-on did not succeed")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(fooled, "single-sign-on-refused");
        await Expect(fooled.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);
        await using (var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            Assert.False(await db.Users.AnyAsync(u => u.UserName == "intruder@other.example"));
        }
    }
}
