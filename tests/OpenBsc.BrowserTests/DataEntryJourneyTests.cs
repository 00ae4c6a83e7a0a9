using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Testing;
using static Microsoft.Playwright.Assertions;

namespace OpenBsc.BrowserTests;

/// <summary>A measure owner enters a month of data in the grid with the keyboard and one paste, and corrects a value.</summary>
public sealed class DataEntryJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Grid_KeyboardAndPaste_SavesAMonthAndACorrectionWithItsReason()
    {
        var card = new ScorecardBuilder().With(c => c with { Id = "grid-journey", Name = "Grid journey" })
            .WithMeasures(
                ScorecardBuilder.Measure("calls", 0, 50) with { Name = "Calls answered", Unit = "calls", Owner = "ana@example.org" },
                ScorecardBuilder.Measure("tickets", 0, 60) with { Name = "Tickets closed", Unit = "tickets", Owner = "ana@example.org" },
                ScorecardBuilder.Measure("backlog", 20, 0) with { Name = "Backlog", Unit = "tickets", Direction = Direction.Decrease, Owner = "ana@example.org" },
                ScorecardBuilder.Measure("csat", 0, 100) with { Name = "Satisfaction", Unit = "%", Owner = "ana@example.org" },
                ScorecardBuilder.Measure("per-call", 0, 2) with { Name = "Tickets per call", Formula = "[tickets] / [calls]", Owner = "ana@example.org" })
            .WithMonthly("calls", "2026-01", 30, 32, 35, 38, 40)
            .WithMonthly("tickets", "2026-01", 40, 42, 45, 47, 50)
            .WithMonthly("backlog", "2026-01", 15, 14, 12, 11, 10)
            .WithMonthly("csat", "2026-01", 70, 72, 75, 78, 80)
            .Build();
        await fixture.App.Services.GetRequiredService<ScorecardImport>().ImportAsync([card], new Dictionary<string, string>(), null, "loader", "journey");
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/scorecards/grid-journey?period=2026-05");
        await page.GetByRole(AriaRole.Link, new() { Name = "Enter data" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter data", Level = 1 })).ToBeVisibleAsync();
        // The year of the test data, whatever today is (the picker offers the years around today).
        await page.GotoAsync("/scorecards/grid-journey/data?range=2026");

        // June by keyboard: type, Enter moves down to the next measure.
        await page.GetByLabel("Calls answered, Jun 2026", new() { Exact = true }).ClickAsync();
        await page.Keyboard.TypeAsync("41");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByLabel("Tickets closed, Jun 2026", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("52");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByLabel("Backlog, Jun 2026", new() { Exact = true })).ToBeFocusedAsync();
        // Arrow keys move across and back.
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(page.GetByLabel("Backlog, May 2026", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowRight");

        // A column of two values copied from a spreadsheet fills Backlog and Satisfaction for June.
        await page.EvaluateAsync(@"text => {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        }", "9\n83\n");
        await Expect(page.GetByLabel("Backlog, Jun 2026", new() { Exact = true })).ToHaveValueAsync("9");
        await Expect(page.GetByLabel("Satisfaction, Jun 2026", new() { Exact = true })).ToHaveValueAsync("83");

        // A correction of May: the reason field appears for it.
        var may = page.Locator("#cell-calls-2026-05");
        var reason = may.GetByLabel("Reason for the correction");
        await Expect(reason).ToBeHiddenAsync();
        await may.GetByLabel("Calls answered, May 2026", new() { Exact = true }).FillAsync("45");
        await Expect(reason).ToBeVisibleAsync();
        await reason.FillAsync("late calls counted");
        await BrowserFixture.ScreenshotAsync(page, "data-entry-typed");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "✓ Saved 5 values." })).ToBeVisibleAsync();
        await Expect(page.GetByText("Calls answered, 2026-05: 45 (corrected from 40)")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Calls answered, Jun 2026", new() { Exact = true })).ToHaveValueAsync("41");
        await BrowserFixture.ScreenshotAsync(page, "data-entry-saved");

        await page.GotoAsync("/scorecards/grid-journey?period=2026-06");
        await Expect(page.Locator(".tree")).ToContainTextAsync("41 calls");
        await Expect(page.Locator(".tree")).ToContainTextAsync("83%");
        await page.GotoAsync("/scorecards/grid-journey/measures/calls?period=2026-05");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "was 40 calls" })).ToBeVisibleAsync();
        await Expect(page.GetByText($"by {RunningApp.AdminName}: late calls counted")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "data-entry-history");
    }
}
