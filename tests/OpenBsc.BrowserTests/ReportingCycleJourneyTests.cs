using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;
using OpenBsc.Application.Features.Alerts;
using OpenBsc.Application.Features.Organisations;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;
using static Microsoft.Playwright.Assertions;

namespace OpenBsc.BrowserTests;

/// <summary>
/// The monthly reporting cycle in a real browser (docs/reporting-cycle.md): the owner of a red measure writes its
/// analysis and recommendations and opens an action; an editor defines a briefing book and closes the period; the book
/// reaches a real loopback SMTP server as a PDF whose text holds the commentary and the period.
/// </summary>
public sealed class ReportingCycleJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Measure = "/scorecards/customer-support/measures/dealer-satisfaction?period=2026-11";

    private async Task<IPage> SignInAsAsync(string userName, int width = 1366, int height = 900)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("User name or e-mail").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(RunningApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync(new() { Timeout = 90_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Scorecards", Level = 1 })).ToBeVisibleAsync(new() { Timeout = 90_000 });
        return page;
    }

    [Fact]
    public async Task OwnerWritesAnalysisAndOpensAnAction_EditorClosesThePeriod_TheBookArrivesAsPdf()
    {
        await using var smtp = new SmtpSink();
        var app = fixture.App;
        await app.AddUserAsync("ben@example.org", AccessRole.DataUpdater);
        await app.AddUserAsync("eddie@example.org", AccessRole.Editor);
        using (var scope = app.Services.CreateScope())
        {
            // The organisation's own SMTP server (its settings page does the same): the loopback sink.
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Application.Data.OpenBscUser>>();
            var organisation = (await users.FindByNameAsync(RunningApp.AdminName))!.OrganisationId;
            var settings = scope.ServiceProvider.GetRequiredService<OrganisationSettings>();
            var view = (await settings.GetAsync(organisation))!;
            string Invariant(double x) => x.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var problems = await settings.SaveAsync(organisation, new OrganisationSettingsForm(
                view.Name, view.TimeZone, view.FiscalYearStart.ToString(System.Globalization.CultureInfo.InvariantCulture), view.DecimalComma ? "comma" : "point", view.DateFormat,
                Invariant(view.StatusGreenFrom * 100), Invariant(view.StatusYellowFrom * 100), "127.0.0.1", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "bsc@example.org", null, null, false, "none"));
            Assert.Empty(problems);
        }

        // The owner of the red measure explains it and says what will be done.
        var owner = await SignInAsAsync("ben@example.org");
        await owner.GotoAsync(Measure);
        await Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Dealer satisfaction", Level = 1 })).ToBeVisibleAsync();
        await owner.GetByLabel("Analysis: what happened, and why").FillAsync("Dealers rated the **new portal** poorly after the November outage.");
        await owner.GetByLabel("Recommendations: what we will do").FillAsync("Visit the ten largest dealers before Christmas.");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save the analysis" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("Analysis saved.");
        await Expect(owner.Locator(".commentary-text")).ToContainTextAsync("Dealers rated the new portal poorly");
        await owner.GetByText("Open an action").ClickAsync();
        await owner.GetByLabel("What will be done").FillAsync("Visit the ten largest dealers");
        await owner.GetByLabel("Due date").FillAsync("2026-12-20");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Open the action" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("Action opened.");
        await Expect(owner.Locator(".action-list")).ToContainTextAsync("Visit the ten largest dealers");
        await DocPictures.SaveAsync(owner, "reporting-cycle-measure-review", fullPage: true);
        await owner.GotoAsync("/scorecards/customer-support?period=2026-11");
        await Expect(owner.Locator(".tree a.note-link[title='Has an analysis for this period']")).ToHaveCountAsync(1);
        await owner.Locator(".tree a.note-link").EvaluateAsync("e => e.scrollIntoView({ block: 'center' })");
        await DocPictures.SaveAsync(owner, "reporting-cycle-dashboard", fullPage: false);

        // The strategy office packs the book and closes the period.
        var editor = await SignInAsAsync("eddie@example.org");
        await editor.GotoAsync("/books");
        await editor.GetByLabel("Name").FillAsync("Monthly executive review");
        await editor.GetByLabel("Customer Support Scorecard").CheckAsync();
        await editor.GetByLabel("Recipients (e-mail addresses, one per line or separated by commas)").FillAsync("board@example.org");
        await editor.GetByLabel("when a period of its scorecards is closed").CheckAsync();
        await editor.GetByRole(AriaRole.Button, new() { Name = "Create the book" }).ClickAsync();
        await Expect(editor.GetByRole(AriaRole.Status)).ToContainTextAsync("Briefing book saved.");
        await DocPictures.SaveAsync(editor, "reporting-cycle-book", fullPage: true);

        await editor.GotoAsync("/scorecards/customer-support/review?period=2026-11");
        await Expect(editor.Locator(".completeness")).ToContainTextAsync("Missing analysis");
        await DocPictures.SaveAsync(editor, "reporting-cycle-review", fullPage: true);
        await editor.GetByRole(AriaRole.Button, new() { Name = "Close November 2026 anyway" }).ClickAsync();
        await Expect(editor.GetByRole(AriaRole.Status)).ToContainTextAsync("Period closed: its values are locked.");
        await Expect(editor.Locator(".close-period")).ToContainTextAsync("values of 2026-11 and earlier are locked");

        // The outbox sends the book (as every node's background pass does every minute).
        using (var scope = app.Services.CreateScope())
        {
            var pass = await scope.ServiceProvider.GetRequiredService<AlertPass>().RunAsync();
            Assert.Equal(1, pass.Send.Sent);
        }

        var mail = Assert.Single(await smtp.WaitForAsync(1));
        Assert.Equal(["board@example.org"], mail.To);
        var message = MimeMessage.Load(new MemoryStream(System.Text.Encoding.Latin1.GetBytes(mail.Data)));
        Assert.Equal("[OpenBsc] Monthly executive review — 2026-11", message.Subject);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        using var pdf = new MemoryStream();
        attachment.Content!.DecodeTo(pdf);
        string text = PdfText.Of(pdf.ToArray());
        Assert.Contains("Dealers rated the new portal poorly after the November outage.", text, StringComparison.Ordinal);
        Assert.Contains("Visit the ten largest dealers before Christmas.", text, StringComparison.Ordinal);
        Assert.Contains("November 2026", text, StringComparison.Ordinal);
        Assert.Contains("Visit the ten largest dealers", text[text.IndexOf("Open actions", StringComparison.Ordinal)..], StringComparison.Ordinal);

        // A correction of the closed period is refused, and the phone shows the review without sideways scrolling.
        var phone = await SignInAsAsync("eddie@example.org", 390, 844);
        await phone.GotoAsync("/scorecards/customer-support/review?period=2026-11");
        Assert.False(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the review page scrolls sideways at 390 px");
        await DocPictures.SaveAsync(phone, "reporting-cycle-review-phone", fullPage: false);
        await phone.GotoAsync(Measure);
        await BrowserFixture.ScreenshotAsync(phone, "reporting-cycle-measure-phone");
    }
}
