using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Testing;
using static Microsoft.Playwright.Assertions;

namespace OpenBsc.BrowserTests;

/// <summary>
/// An organisation with more scorecards than a page holds: the organisation page shows 50 with Next and Previous,
/// finds one by name with the search box, and stays clean (axe, no sideways scroll) on a phone.
/// </summary>
public sealed class OrganisationPageJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ManyScorecards_PageThroughThem_AndFindOneByName()
    {
        var cards = Enumerable.Range(0, 60).Select(i => new ScorecardBuilder().With(c => c with { Id = $"unit-{i:00}", Name = $"Unit {i:00}" })
            .WithPerspective("p", ScorecardBuilder.Objective("serve", ScorecardBuilder.Measure("calls", 0, 100)))
            .WithMonthly("calls", "2026-01", 40, 50, 60)
            .Build()).ToList();
        await fixture.App.Services.GetRequiredService<ScorecardImport>().ImportAsync(cards, new Dictionary<string, string>(), null, "loader", "journey");
        var page = await fixture.NewPageAsync(390, 844);

        await page.GotoAsync("/");
        await Expect(Listed(page)).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^Showing 1–50 of \d+$"));
        await Expect(page.Locator("a.unit-name")).ToHaveCountAsync(50);
        await CleanAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "organisation-page-1-phone");

        await page.GetByRole(AriaRole.Link, new() { Name = "Next", Exact = true }).ClickAsync();
        await Expect(Listed(page)).ToContainTextAsync("Showing 51–");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Previous", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Next", Exact = true })).ToHaveCountAsync(0);

        await page.GetByLabel("Find a scorecard").FillAsync("unit 42");
        await page.GetByLabel("Find a scorecard").PressAsync("Enter");
        await Expect(page.Locator("a.unit-name")).ToHaveTextAsync(["Unit 42"]);
        await Expect(Listed(page)).ToHaveTextAsync("1 scorecard matches “unit 42”");
        await CleanAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "organisation-search-phone");

        await page.GetByRole(AriaRole.Link, new() { Name = "Show all" }).ClickAsync();
        await Expect(page.Locator("a.unit-name")).ToHaveCountAsync(50);
        await page.SetViewportSizeAsync(1366, 900);
        await BrowserFixture.ScreenshotAsync(page, "organisation-page-1-desktop");
        await page.Context.CloseAsync();
    }

    /// <summary>The line saying what is listed ("Showing 1–50 of 65", "1 scorecard matches …").</summary>
    private static ILocator Listed(IPage page) => page.Locator("main p.hint[role='status']");

    /// <summary>No serious or critical axe violation, and no sideways scroll at the phone's 390 px.</summary>
    private static async Task CleanAsync(IPage page)
    {
        var axe = await page.RunAxe();
        Assert.Empty(axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}"));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 390 px");
    }
}
