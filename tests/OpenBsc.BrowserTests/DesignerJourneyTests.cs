using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenBsc.BrowserTests;

/// <summary>A strategy office creates a scorecard in the browser, designs it, and adds a measure with a target.</summary>
public sealed class DesignerJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task NewScorecard_AddObjectiveAndMeasure_ValidatesAsYouType_AndScoresOnTheDashboard()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "New scorecard", Exact = true }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Dealer Network 2027");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        // The designer opens on the new scorecard with the four classic perspectives, Financial on top.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Design Dealer Network 2027" })).ToBeVisibleAsync();
        await Expect(page.Locator(".design-perspective").First).ToHaveAttributeAsync("data-id", "financial");

        // Customer first, as a nonprofit would: move it up one band.
        await page.GetByRole(AriaRole.Button, new() { Name = "Move Customer up" }).ClickAsync();
        await Expect(page.Locator(".design-perspective").First).ToHaveAttributeAsync("data-id", "customer");

        // An objective, by typing its name and pressing Enter.
        await page.GetByLabel("New objective in Customer").FillAsync("Loyal dealers");
        await page.GetByLabel("New objective in Customer").PressAsync("Enter");
        await Expect(page.Locator(".design-objective[data-id=loyal-dealers]")).ToBeVisibleAsync();

        // A measure: adding it opens its editor.
        await page.GetByLabel("New measure in Loyal dealers").FillAsync("Dealer retention");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add measure" }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dealer retention" })).ToBeVisibleAsync();

        // Validate as you type: a target equal to the baseline is refused with the file's own message.
        await page.Locator("input[name=baseline]").FillAsync("80");
        await page.Locator("input[name=target]").FillAsync("80");
        await Expect(page.Locator("#error-target")).ToContainTextAsync("the target equals the baseline");
        await page.Locator("input[name=target]").FillAsync("90");
        await Expect(page.Locator("#error-target")).ToBeEmptyAsync();
        await page.Locator("input[name=unit]").FillAsync("%");
        await page.Locator("select[name=aggregation]").SelectOptionAsync("average");
        await page.Locator("select[name=concern]").SelectOptionAsync("performance-service");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save measure" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved");
        await BrowserFixture.ScreenshotAsync(page, "designer-measure");

        // The dashboard shows the new measure with its target.
        await page.GotoAsync("/scorecards/dealer-network-2027");
        await Expect(page.Locator("[data-id=dealer-retention]")).ToContainTextAsync("Dealer retention");
        await Expect(page.Locator("[data-id=dealer-retention]")).ToContainTextAsync("90%");
    }

    [Fact]
    public async Task DeleteMeasureWithData_AsksToConfirm_ThenArchivesIt()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/scorecards/customer-support/design");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete measure Reopened tickets" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Delete the measure “Reopened tickets”?");
        await Expect(page.Locator("[data-id=reopen-rate]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "designer-confirm-delete");

        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Deleted.");
        await Expect(page.Locator("[data-id=reopen-rate]")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Restore Reopened tickets" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task EnterInARenamedPerspective_SavesThatPerspective()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/scorecards/customer-support/design");

        var name = page.GetByLabel("Name of perspective Internal Process");
        await name.FillAsync("Internal processes");
        await name.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved “Internal processes”.");
        await Expect(page.GetByLabel("Name of perspective Internal processes")).ToHaveValueAsync("Internal processes");
        await BrowserFixture.ScreenshotAsync(page, "designer-enter-saves");
    }
}
