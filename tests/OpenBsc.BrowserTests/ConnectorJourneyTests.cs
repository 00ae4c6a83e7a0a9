using Microsoft.Playwright;
using OpenBsc.Testing;
using static Microsoft.Playwright.Assertions;

namespace OpenBsc.BrowserTests;

/// <summary>
/// A data source in the browser: an editor adds an HTTP source (a Kestrel endpoint on loopback answering CSV) bound
/// to one measure, previews its rows, runs it, and sees the value on the dashboard and "From …" on the measure page.
/// </summary>
public sealed class ConnectorJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AddAnHttpSource_Preview_RunNow_TheValueIsOnTheDashboardAndTheMeasurePageNamesTheSource()
    {
        await using var source = await SourceServer.StartAsync();
        source.Token = "journey-token";
        source.Put("/cost.csv", "text/csv", "month,cost\n2026-12,7.77\n");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Data sources" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Data sources", Level = 1 })).ToBeVisibleAsync();

        var form = page.Locator("form", new() { Has = page.GetByRole(AriaRole.Button, new() { Name = "Add the source" }) });
        await form.GetByLabel("Name", new() { Exact = true }).FillAsync("Finance export");
        await form.GetByLabel("Kind", new() { Exact = true }).SelectOptionAsync("http");
        await form.GetByLabel("Address: the web address").FillAsync(source.Url + "/cost.csv");
        await form.GetByLabel("Sign-in", new() { Exact = true }).SelectOptionAsync("bearer");
        await form.GetByLabel("Password, token or key").FillAsync("journey-token");
        await form.GetByLabel("Scorecard", new() { Exact = true }).SelectOptionAsync("customer-support");
        await form.GetByLabel("One measure").FillAsync("cost-per-ticket");
        await form.GetByLabel("Period column").FillAsync("month");
        await form.GetByLabel("Value column").FillAsync("cost");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add the source" }).ClickAsync();
        await Expect(page.GetByText("Data source saved.")).ToBeVisibleAsync();
        // The token is kept, never shown back.
        Assert.DoesNotContain("journey-token", await page.ContentAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Preview the first rows" }).ClickAsync();
        await Expect(page.GetByText("1 row read. A run would add 1")).ToBeVisibleAsync();
        await Expect(page.Locator("table.preview")).ToContainTextAsync("7.77");
        await BrowserFixture.ScreenshotAsync(page, "sources-preview");

        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(page.GetByText("The source was run")).ToBeVisibleAsync();
        await Expect(page.Locator("table.runs")).ToContainTextAsync("✔ Stored");
        await BrowserFixture.ScreenshotAsync(page, "sources-run");

        await page.GotoAsync("/scorecards/customer-support?period=2026-12");
        await Expect(page.Locator("main")).ToContainTextAsync("7.77");
        await page.GotoAsync("/scorecards/customer-support/measures/cost-per-ticket?period=2026-12");
        await Expect(page.GetByText("From Finance export, updated")).ToBeVisibleAsync();

        // The sources page on a phone: no sideways scroll.
        var phone = await fixture.NewPageAsync(390);
        await phone.GotoAsync("/sources");
        await Expect(phone.GetByRole(AriaRole.Link, new() { Name = "Finance export" })).ToBeVisibleAsync();
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await BrowserFixture.ScreenshotAsync(phone, "sources-390");
    }
}
