using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Testing;
using static Microsoft.Playwright.Assertions;

namespace OpenBsc.BrowserTests;

/// <summary>
/// An organisation that writes 1.234,5 and 07.12.2026 sees its values so in the grid and on the dashboard, types
/// "12,5" and stores 12.5; an untouched value is no correction (the grid's script reads the comma too).
/// </summary>
public sealed class OrganisationFormatJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task CommaOrganisation_EntersAndReadsValuesWithADecimalComma()
    {
        var card = new ScorecardBuilder().With(c => c with { Id = "comma-journey", Name = "Comma journey" })
            .WithMeasures(ScorecardBuilder.Measure("revenue", 0, 5000) with { Name = "Revenue", Unit = "kEUR", Owner = RunningApp.AdminName })
            .WithMonthly("revenue", "2026-01", 1234.5, 20)
            .Build();
        await fixture.App.Services.GetRequiredService<ScorecardImport>().ImportAsync([card], new Dictionary<string, string>(), null, "loader", "journey");
        await fixture.App.SetFormatAsync(decimalComma: true, "dd.MM.yyyy");
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/scorecards/comma-journey/data?range=2026");
        var january = page.GetByLabel("Revenue, Jan 2026", new() { Exact = true });
        await Expect(january).ToHaveValueAsync("1234,5");
        await Expect(page.GetByText("(01.01.2026 – 31.12.2026)")).ToBeVisibleAsync();
        // Untouched, 1234,5 is no correction: no reason is asked for it.
        await Expect(page.Locator("#cell-revenue-2026-01").GetByLabel("Reason for the correction")).ToBeHiddenAsync();
        await page.GetByLabel("Revenue, Mar 2026", new() { Exact = true }).FillAsync("12,5");
        // The same value typed with a grouping point is no correction either.
        await january.FillAsync("1.234,5");
        await Expect(page.Locator("#cell-revenue-2026-01").GetByLabel("Reason for the correction")).ToBeHiddenAsync();
        await BrowserFixture.ScreenshotAsync(page, "data-entry-decimal-comma");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "✓ Saved 1 value." })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Revenue, Mar 2026", new() { Exact = true })).ToHaveValueAsync("12,5");
        await using (var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            var scorecard = (await db.Scorecards.SingleAsync(s => s.Key == "comma-journey")).Id;
            Assert.Equal(12.5, (await db.Observations.SingleAsync(o => o.ScorecardId == scorecard && o.MeasureKey == "revenue" && o.Period == "2026-03" && o.SupersededAt == null)).Value);
        }

        await page.GotoAsync("/scorecards/comma-journey?period=2026-01");
        await Expect(page.Locator(".tree")).ToContainTextAsync("1.234,5 kEUR");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-decimal-comma");

        // The designer reads and shows the comma too: a measure's target, a new initiative's budget.
        await page.GotoAsync("/scorecards/comma-journey/design/measures/revenue");
        await Expect(page.Locator("input[name='target']")).ToHaveValueAsync("5000");
        await page.Locator("input[name='target']").FillAsync("5.000,5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save measure" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Saved.");
        await Expect(page.Locator("input[name='target']")).ToHaveValueAsync("5000,5");
        await page.Locator("input[name='target']").FillAsync("5000.5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save measure" }).ClickAsync();
        await Expect(page.Locator("#error-target")).ToHaveTextAsync("✘ Target: '5000.5' is not a number. Enter a number such as 1.234,5 (a comma for decimals).");
        await BrowserFixture.ScreenshotAsync(page, "measure-editor-decimal-comma");

        await page.GotoAsync("/scorecards/comma-journey/design");
        await page.GetByText("New initiative").ClickAsync();
        var added = page.Locator("details.design-item.new", new() { Has = page.GetByText("New initiative") });
        await added.GetByLabel("Name", new() { Exact = true }).FillAsync("Price review");
        await added.GetByLabel("Budget").FillAsync("1.500,25");
        await added.GetByRole(AriaRole.Button, new() { Name = "Add initiative" }).ClickAsync();
        await Expect(page.Locator("details.design-item[data-id='price-review']")).ToHaveCountAsync(1);
        await Expect(page.Locator("input[name='initiative.budget|price-review']")).ToHaveValueAsync("1500,25");
        var stored = (await fixture.App.Services.GetRequiredService<OpenBsc.Application.Features.Editing.ScorecardEditor>().GetAsync("comma-journey"))!.Scorecard;
        Assert.Equal((5000.5, 1500.25), (stored.AllMeasures().Single().Target!.Value, stored.Initiatives.Single().Budget!.Value));
    }
}
