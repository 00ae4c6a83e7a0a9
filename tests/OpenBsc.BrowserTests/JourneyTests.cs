using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenBsc.BrowserTests;

/// <summary>An executive's journeys through the web UI in a real browser; each saves a screenshot.</summary>
public sealed class JourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Dashboard_OpensFromTheOrganisationPage()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Customer Support Scorecard", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customer Support Scorecard", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".tree").GetByRole(AriaRole.Link, new() { Name = "Keep customers loyal" })).ToBeVisibleAsync();
        await Expect(page.Locator(".view-label")).ToContainTextAsync("November 2026");
        await BrowserFixture.ScreenshotAsync(page, "dashboard");
    }

    [Fact]
    public async Task Dashboard_ChangingThePeriod_ShowsThatPeriod()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/scorecards/customer-support");

        // Choosing submits the form (app.js): wait for that navigation itself rather than racing it.
        var toQuarter = page.WaitForURLAsync("**period=2026-Q2**", new() { Timeout = 60_000 });
        await page.GetByLabel("Period").SelectOptionAsync("2026-Q2");
        await toQuarter;

        await Expect(page.Locator(".view-label")).ToContainTextAsync("Q2 2026");
        // A click, not CheckAsync: the page navigates away before a state check could read the box.
        var toYtd = page.WaitForURLAsync("**ytd=true**", new() { Timeout = 60_000 });
        await page.GetByLabel("Year to date").ClickAsync();
        await toYtd;
        await Expect(page.Locator(".view-label")).ToContainTextAsync("Q2 2026, year to date");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-period");
    }

    [Fact]
    public async Task Dashboard_CollapsesAPerspectiveByKeyboard()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/scorecards/customer-support?period=2026-06");
        var measure = page.GetByRole(AriaRole.Link, new() { Name = "Cost per ticket" });
        await Expect(measure).ToBeVisibleAsync();

        var twisty = page.GetByRole(AriaRole.Checkbox, new() { Name = "Show the items of Financial" });
        await twisty.FocusAsync();
        await page.Keyboard.PressAsync("Space");

        await Expect(measure).ToBeHiddenAsync();
        await BrowserFixture.ScreenshotAsync(page, "dashboard-collapsed");
    }

    [Fact]
    public async Task StrategyMap_NodeLeadsToItsObjective()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/scorecards/northwind-2026?period=2026-06");
        await page.GetByRole(AriaRole.Link, new() { Name = "Strategy map" }).ClickAsync();

        var map = page.Locator("#strategy-map svg");
        await Expect(map).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "strategy-map");

        await page.Locator("#strategy-map a[href*='/objectives/excellent-service']").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Deliver excellent service", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("contributed by Customer Support Scorecard").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "objective");
    }

    [Fact]
    public async Task StrategyMap_UsesTheScreensWidth_NoTallerThanTheScreen_AndExplainsItsRLabels()
    {
        var page = await fixture.NewPageAsync(1366, 900);
        await page.GotoAsync("/scorecards/customer-support/map?period=2026-06");

        // The drawing (its background spans the whole map), not the svg element that letterboxes it.
        var drawn = (await page.Locator("#strategy-map svg rect.background").BoundingBoxAsync())!;
        var wrap = (await page.Locator("#strategy-map").BoundingBoxAsync())!;
        Assert.True(drawn.Width >= 0.9 * (wrap.Width - 20), $"the map is {drawn.Width:0} px wide in a {wrap.Width:0} px frame");
        Assert.True(drawn.Height <= 900, $"the map is {drawn.Height:0} px tall on a 900 px screen");
        await Expect(page.Locator("#strategy-map .legend-strength")).ToContainTextAsync("how closely the two objectives' scores have moved together");
        await BrowserFixture.ScreenshotAsync(page, "strategy-map-wide");
    }

    [Fact]
    public async Task StrategyMap_DownloadsAsPng()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/scorecards/northwind-2026/map?period=2026-06");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download PNG" }).ClickAsync());
        string path = Path.Combine(BrowserFixture.ScreenshotDirectory, "downloaded-map.png");
        await download.SaveAsAsync(path);

        await BrowserFixture.ScreenshotAsync(page, "strategy-map-download");
        byte[] head = File.ReadAllBytes(path)[..8];
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, head);
    }

    [Fact]
    public async Task MeasurePage_ShowsTheChartAndHistory()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/scorecards/customer-support/objectives/fast-answers?period=2026-06");
        await page.GetByRole(AriaRole.Link, new() { Name = "Average resolution time" }).First.ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Average resolution time", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".chart-wrap svg")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "2026-06", Exact = true })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "measure");
    }

    [Fact]
    public async Task Tablet_DashboardIsReadable()
    {
        var page = await fixture.NewPageAsync(width: 820, height: 1180);
        await page.GotoAsync("/scorecards/northwind-2026?period=2026-06");

        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Grow revenue profitably" })).ToBeVisibleAsync();
        double scrollWidth = await page.EvaluateAsync<double>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 830, $"the page is {scrollWidth}px wide on an 820px tablet");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-tablet");
    }

    [Fact]
    public async Task Phone_ValueChart_KeepsReadableText_AndOpensOnTheLatestPeriods()
    {
        var page = await fixture.NewPageAsync(width: 390, height: 844);
        await page.GotoAsync("/scorecards/customer-support/measures/resolution-hours?period=2026-06");

        var chart = page.Locator(".chart-wrap").First;
        await Expect(chart.Locator("svg.openbsc-measure-chart")).ToBeVisibleAsync();
        // Drawn 720 wide: shrunk to the phone's width its 11-unit text was 5 px; at 600 px or more it stays readable.
        double width = await chart.Locator("svg").EvaluateAsync<double>("s => s.getBoundingClientRect().width");
        Assert.True(width >= 600, $"the chart is {width}px wide on a phone");
        // The box scrolls, the page does not; it opens on its right end, the latest periods.
        double[] box = await chart.EvaluateAsync<double[]>("w => [w.scrollLeft, w.clientWidth, w.scrollWidth]");
        Assert.True(box[0] > 0 && box[0] + box[1] >= box[2] - 1, $"the chart box opened at {box[0]} of {box[2] - box[1]}");
        Assert.True(await page.EvaluateAsync<double>("document.documentElement.scrollWidth") <= 390);
        // Keyboard users reach it too: the box takes the focus and is named after the chart.
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Average resolution time — value and target" })).ToHaveAttributeAsync("tabindex", "0");
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(1160)]
    [InlineData(1024)]
    [InlineData(820)]
    public async Task LaptopAndTablet_HeaderIsOneRow_AndEveryScorecardTabShows(int width)
    {
        // An administrator's header is the longest (every menu entry), with a user name of 18 characters.
        var page = await fixture.NewPageAsync(width: width, height: 800);
        await page.GotoAsync("/scorecards/customer-support");

        double header = await page.EvaluateAsync<double>("document.querySelector('header.top').getBoundingClientRect().height");
        Assert.True(header <= 60, $"the header is {header}px high at {width}px: it wrapped into a second row");
        // No tab hidden behind a sideways scroll of the tab row.
        bool tabsFit = await page.EvaluateAsync<bool>("(() => { const t = document.querySelector('.tabs'); return t.scrollWidth <= t.clientWidth; })()");
        Assert.True(tabsFit, $"the scorecard tabs scroll sideways at {width}px");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Design", Exact = true })).ToBeInViewportAsync();
        var administration = page.GetByRole(AriaRole.Link, new() { Name = "Administration" });
        if (width <= 1250)
        {
            // Folded behind "Menu": one press shows every entry.
            await Expect(administration).Not.ToBeVisibleAsync();
            await page.GetByText("Menu", new() { Exact = false }).First.ClickAsync();
        }

        await Expect(administration).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"header-{width}");
    }

    [Fact]
    public async Task BadPeriod_SaysSo_AndLeadsBackToTheScorecard()
    {
        var page = await fixture.NewPageAsync();

        var response = await page.GotoAsync("/scorecards/customer-support?period=2026-13");

        Assert.Equal(400, response!.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("'2026-13' is not a period");
        await page.GetByRole(AriaRole.Link, new() { Name = "Open Customer Support Scorecard at its current period" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customer Support Scorecard", Level = 1 })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task DataEntry_OpensOnTheCurrentPeriod_AndFitsTheScreen()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/scorecards/customer-support/data");

        // The range ends with the current period: its column is in view without scrolling, and the page is no wider than the screen.
        var wrap = page.Locator(".entry-wrap").First;
        var current = wrap.Locator("thead th").Last;
        await Expect(current).ToBeVisibleAsync();
        var frame = (await wrap.BoundingBoxAsync())!;
        var column = (await current.BoundingBoxAsync())!;
        Assert.True(column.X >= frame.X && column.X + column.Width <= frame.X + frame.Width + 1, $"the current period's column ({column.X:0}–{column.X + column.Width:0}) is outside the grid's frame ({frame.X:0}–{frame.X + frame.Width:0})");
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 1366, "the data-entry page is wider than the screen");
        await BrowserFixture.ScreenshotAsync(page, "data-entry-current-period");
    }

    [Fact]
    public async Task UnknownScorecard_ShowsWhatWasNotFound()
    {
        var page = await fixture.NewPageAsync();

        var response = await page.GotoAsync("/scorecards/nope");

        Assert.Equal(404, response!.Status);
        await Expect(page.GetByText("There is no scorecard 'nope'.")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "not-found");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the organisation's scorecards" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Scorecards", Level = 1 })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task NewFromTemplate_CreatesTheScorecardAndOpensItsDashboard()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "New scorecard from a template" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Create “City services scorecard”", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "City services scorecard", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".tree").GetByRole(AriaRole.Link, new() { Name = "Responsive services" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "new-from-template");
    }

    [Fact]
    public async Task Library_ChooseTheObjectiveOnce_AddGoesOnToItsTarget_AndASecondAddSaysItIsThere()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/library?search=first-contact");

        await page.GetByLabel("Add measures to").SelectOptionAsync(new SelectOptionValue { Label = "Northwind company scorecard › Deliver excellent service" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Choose" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add First-contact resolution to Deliver excellent service" }).ClickAsync();

        // The measure editor opens on the new measure, to set its target.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("First-contact resolution");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("now set its target");
        await BrowserFixture.ScreenshotAsync(page, "library-added");

        await page.GotoAsync("/library?search=first-contact&to=northwind-2026%7Cexcellent-service");
        await Expect(page.Locator("tr", new() { HasText = "First-contact resolution" }).First).ToContainTextAsync("Already in this scorecard");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add First-contact resolution to Deliver excellent service" })).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "library-already-there");
    }

    [Fact]
    public async Task ImportPage_HistoryExportLinks_DownloadTheHistory()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/scorecards/customer-support/import");

        var link = page.GetByRole(AriaRole.Link, new() { Name = "With history (CSV)" });
        Assert.EndsWith("format=csv&history=true", await link.GetAttributeAsync("href"), StringComparison.Ordinal);
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        string path = Path.Combine(BrowserFixture.ScreenshotDirectory, "history.csv");
        await download.SaveAsAsync(path);
        Assert.Contains("entered_by", File.ReadLines(path).First(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordChangeAndSignOut_SayWhatHappened_AndTheSignInPageShowsNoCraftedText()
    {
        await fixture.App.AddUserAsync("journey@test.example", OpenBsc.Application.Features.Security.AccessRole.Viewer);
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.App.BaseAddress.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/login?problem=Your+account+is+blocked.+Call+555-0100");
        await Expect(page.GetByText("Call 555-0100")).ToHaveCountAsync(0);
        await page.GetByLabel("User name or e-mail").FillAsync("journey@test.example");
        await page.GetByLabel("Password").FillAsync(OpenBsc.Testing.RunningApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync(new() { Timeout = 90_000 });
        await BrowserFixture.SignedInAsync(page);

        await page.GotoAsync("/account/password");
        await page.GetByLabel("Current password").FillAsync(OpenBsc.Testing.RunningApp.Password);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("a brand new passphrase for the journey");
        await page.GetByLabel("New password again").FillAsync("a brand new passphrase for the journey");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Password changed.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Signed out.");
        await BrowserFixture.ScreenshotAsync(page, "signed-out");
        await context.CloseAsync();
    }

    [Fact]
    public async Task ImportPage_ShowsBadRowsThenImportsTheCorrectedFile()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/scorecards/customer-support");
        await page.GetByRole(AriaRole.Link, new() { Name = "Import / export" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import and export observations", Level = 1 })).ToBeVisibleAsync();

        // A value the demo already holds: the journey changes no data other journeys look at.
        await page.GetByLabel("Observations file (.csv or .xlsx)").SetInputFilesAsync(new FilePayload
        {
            Name = "values.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("measure,period,value\ncost-per-tiket,2025-01,12.97\n"),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();

        var bad = page.GetByRole(AriaRole.Alert, new() { Name = "Bad rows" });
        await Expect(bad).ToContainTextAsync("1 bad row in values.csv; nothing was stored.");
        await Expect(bad.Locator("tbody tr")).ToContainTextAsync("did you mean 'cost-per-ticket'?");
        await BrowserFixture.ScreenshotAsync(page, "import-bad-rows");

        await page.GetByLabel("Observations file (.csv or .xlsx)").SetInputFilesAsync(new FilePayload
        {
            Name = "values.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("measure,period,value\ncost-per-ticket,2025-01,12.97\n"),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Imported 1 rows from values.csv: 0 added, 0 corrected, 1 unchanged.");
        await BrowserFixture.ScreenshotAsync(page, "import-done");
    }
}
