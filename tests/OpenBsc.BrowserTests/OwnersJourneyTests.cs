using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Periods;
using OpenBsc.Testing;
using static Microsoft.Playwright.Assertions;

namespace OpenBsc.BrowserTests;

/// <summary>Owners are people: the owner picker offers the organisation's accounts, an owner without one gets an "invite", and an owner sees "My items".</summary>
public sealed class OwnersJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Owner = "owner@test.example";

    [Fact]
    public async Task OwnerPicker_InviteForAnAddressWithoutAccount_AndMyItemsOfTheOwner()
    {
        // The scorecard's reporting period is the last month ended by today (UTC: the organisation's zone here).
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var reporting = Period.Containing(PeriodKind.Month, today, FiscalCalendar.Gregorian);
        if (reporting.End(FiscalCalendar.Gregorian) > today)
        {
            reporting = reporting.Previous();
        }

        var card = new ScorecardBuilder().With(c => c with { Id = "owners-journey", Name = "Owners journey" })
            .WithMeasures(
                ScorecardBuilder.Measure("reported", 0, 50) with { Name = "Calls answered", Owner = Owner },
                ScorecardBuilder.Measure("missing", 0, 60) with { Name = "Tickets closed", Owner = Owner },
                ScorecardBuilder.Measure("elsewhere", 0, 60) with { Name = "Dealer visits", Owner = "nobody@test.example" })
            .WithMonthly("reported", reporting.Shift(-5).ToString(), 30, 32, 35, 38, 40, 41)
            .WithMonthly("missing", reporting.Shift(-5).ToString(), 40, 42, 45, 47)
            .Build();
        await fixture.App.Services.GetRequiredService<ScorecardImport>().ImportAsync([card], new Dictionary<string, string>(), null, "loader", "journey");
        await fixture.App.AddUserAsync(Owner, AccessRole.DataUpdater);

        // The administrator: the owner field of the measure editor offers the organisation's accounts.
        var admin = await fixture.NewPageAsync();
        await admin.GotoAsync("/scorecards/owners-journey/design/measures/missing");
        var ownerField = admin.GetByLabel("Owner", new() { Exact = false }).First;
        await Expect(ownerField).ToHaveAttributeAsync("list", "owner-accounts");
        await Expect(admin.Locator($"datalist#owner-accounts option[value='{Owner}']")).ToHaveCountAsync(1);
        await Expect(admin.Locator($"datalist#owner-accounts option[value='{RunningApp.AdminName}']")).ToHaveCountAsync(1);

        // An action on the measure, owned through the picker's field, due yesterday: late.
        await admin.GotoAsync("/scorecards/owners-journey/measures/missing");
        await admin.GetByText("Open an action").ClickAsync();
        await admin.GetByLabel("What will be done").FillAsync("Chase the ticket system export");
        await Expect(admin.GetByLabel("Owner (e-mail)")).ToHaveAttributeAsync("list", "owner-accounts");
        await admin.GetByLabel("Owner (e-mail)").FillAsync(Owner);
        await admin.GetByLabel("Due date").FillAsync(today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Open the action" }).ClickAsync();
        await Expect(admin.GetByText("Action opened.")).ToBeVisibleAsync();

        // An owner address without an account: the administrator is offered to invite it, the form filled in.
        await admin.GotoAsync("/scorecards/owners-journey/measures/reported");
        await Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Invite" })).ToHaveCountAsync(0);
        await admin.GotoAsync("/scorecards/owners-journey/measures/elsewhere");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Invite nobody@test.example" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Users", Level = 1 })).ToBeVisibleAsync();
        var invite = admin.Locator("form", new() { Has = admin.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }) });
        await Expect(invite.GetByLabel("E-mail")).ToHaveValueAsync("nobody@test.example");
        await Expect(invite.GetByLabel("Role")).ToHaveValueAsync("updater");

        // The owner signs in and opens "My items" from the header, on a phone.
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.App.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var owner = await context.NewPageAsync();
        await owner.GotoAsync("/login");
        await owner.GetByLabel("User name or e-mail").FillAsync(Owner);
        await owner.GetByLabel("Password").FillAsync(RunningApp.Password);
        await owner.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await owner.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await owner.GetByText("Menu").ClickAsync();
        await owner.GetByRole(AriaRole.Link, new() { Name = "My items" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "My items", Level = 1 })).ToBeVisibleAsync();

        var toReport = owner.GetByRole(AriaRole.Table, new() { Name = "To report this period" });
        await Expect(toReport.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(toReport).ToContainTextAsync("Tickets closed");
        await Expect(toReport).ToContainTextAsync(reporting.ToString());
        await Expect(toReport).Not.ToContainTextAsync("Calls answered");
        await Expect(toReport).Not.ToContainTextAsync("Dealer visits");

        var late = owner.Locator("ul.my-late");
        await Expect(late).ToContainTextAsync($"Tickets closed (Owners journey): no value for {reporting.Previous()}");
        await Expect(late).ToContainTextAsync("Action “Chase the ticket system export” on Tickets closed");
        await Expect(late).Not.ToContainTextAsync("Calls answered");

        var actions = owner.GetByRole(AriaRole.Table, new() { Name = "My open actions" });
        await Expect(actions.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(actions).ToContainTextAsync("late");
        await BrowserFixture.ScreenshotAsync(owner, "my-items-390");
        string wide = await owner.EvaluateAsync<string>("[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + '.' + e.className).slice(0, 8).join('; ')");
        Assert.True(wide.Length == 0, wide);

        // The value entered, the measure leaves "to report".
        await toReport.GetByRole(AriaRole.Link, new() { Name = "Enter the value" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Enter data", Level = 1 })).ToBeVisibleAsync();
        await owner.GotoAsync($"/scorecards/owners-journey/data?range={reporting.Year}&owner={Owner}");
        string label = $"Tickets closed, {new DateTime(reporting.Start(FiscalCalendar.Gregorian), TimeOnly.MinValue).ToString("MMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}";
        await owner.GetByLabel(label, new() { Exact = true }).FillAsync("52");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "✓ Saved 1 value." })).ToBeVisibleAsync();
        await owner.GotoAsync("/my-items");
        await Expect(owner.GetByText("Nothing: every measure you own has its value for the current reporting period.")).ToBeVisibleAsync();
    }
}
