using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Organisations;
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
        Guid organisation;
        await using (var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            organisation = (await db.Users.SingleAsync(u => u.UserName == RunningApp.AdminName)).OrganisationId;
        }

        var settings = fixture.App.Services.GetRequiredService<OrganisationSettings>();
        var view = (await settings.GetAsync(organisation))!;
        Assert.Empty(await settings.SaveAsync(organisation, new(view.Name, view.TimeZone, view.FiscalYearStart.ToString(CultureInfo.InvariantCulture), "comma", "dd.MM.yyyy",
            (view.StatusGreenFrom * 100).ToString(CultureInfo.InvariantCulture), (view.StatusYellowFrom * 100).ToString(CultureInfo.InvariantCulture),
            null, null, null, null, null, false, null)));
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
    }
}
