using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenBsc.BrowserTests;

/// <summary>
/// The pictures of the README and docs/ui.md, taken from the demo: each test checks what it shows is there, saves
/// the picture through <see cref="DocPictures"/>.
/// </summary>
public sealed class DocScreenshotTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Readme_DashboardStrategyMapAndMeasure()
    {
        var page = await fixture.NewPageAsync(1280, 800);
        await page.GotoAsync("/scorecards/customer-support?period=2026-06");
        await Expect(page.Locator(".tiles .tile")).ToHaveCountAsync(4);
        await DocPictures.SaveAsync(page, "dashboard", fullPage: true);

        await page.GotoAsync("/scorecards/customer-support/map?period=2026-06");
        await Expect(page.Locator("#strategy-map svg")).ToBeVisibleAsync();
        await DocPictures.SaveAsync(page.Locator("#strategy-map"), "strategy-map");

        await page.GotoAsync("/scorecards/customer-support/measures/resolution-hours?period=2026-06");
        await Expect(page.Locator(".chart-wrap svg")).ToBeVisibleAsync();
        await DocPictures.SaveAsync(page, "measure", fullPage: false);
    }

    [Fact]
    public async Task DesignSystem_Components()
    {
        var page = await fixture.NewPageAsync(1280, 800);
        await page.GotoAsync("/scorecards/customer-support?period=2026-06");
        await DocPictures.SaveAsync(page.Locator("header.top"), "ui-header");
        await DocPictures.SaveAsync(page.Locator(".tabs"), "ui-tabs");
        await DocPictures.SaveAsync(page.Locator(".tiles"), "ui-tiles");
        await DocPictures.SaveAsync(page.Locator(".tree .branch.depth-1").Nth(1), "ui-tree");

        await page.GotoAsync("/scorecards/customer-support/design?done=saved&item=fast-answers");
        await DocPictures.SaveAsync(page.Locator(".flash"), "ui-flash");
        await DocPictures.SaveAsync(page.Locator(".design-objective[data-id=fast-answers]"), "ui-form-row");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete measure First response time" }).ClickAsync();
        await Expect(page.Locator(".confirm")).ToBeVisibleAsync();
        await DocPictures.SaveAsync(page.Locator(".confirm"), "ui-confirm");

        await page.GotoAsync("/scorecards/customer-support/initiatives?period=2026-06");
        await DocPictures.SaveAsync(page.Locator("table.grid").First, "ui-table");

        var phone = await fixture.NewPageAsync(390, 844);
        await phone.GotoAsync("/scorecards/customer-support?period=2026-06");
        await phone.Locator("label.menu-button").ClickAsync();
        await Expect(phone.Locator("#main-menu")).ToBeVisibleAsync();
        await DocPictures.SaveAsync(phone, "ui-phone-menu", fullPage: false);
        await phone.Locator("label.menu-button").ClickAsync();
        await phone.Locator(".tree").ScrollIntoViewIfNeededAsync();
        await DocPictures.SaveAsync(phone, "ui-phone-dashboard", fullPage: false);
    }
}
