using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Alerts;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.ReportingCycle;
using OpenBsc.Application.Features.Reports;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.IntegrationTests.Alerts;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.ReportingCycle;

/// <summary>
/// The reporting cycle on a real database (docs/reporting-cycle.md): commentary with history and versions, discussions
/// that notify the people they mention, actions, period close and reopen, briefing books sent through the outbox to a
/// real loopback SMTP server, and the honest periods of stored scorecards.
/// </summary>
public abstract class ReportingCycleTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : ReportingCycleTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : ReportingCycleTests(DatabaseProvider.Postgres);

    // Early December 2026: November has ended, December has not.
    private static readonly DateTimeOffset December7 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static Period Nov => Period.Parse("2026-11");

    /// <summary>
    /// A scorecard with csat (monthly, owned by the alerts owner) red in November, revenue (a monthly sum) and m, a
    /// measure nobody reported.
    /// </summary>
    private static ScorecardData Card(out string key)
    {
        key = "cycle-" + Guid.NewGuid().ToString("N")[..8];
        string id = key;
        return new ScorecardBuilder().With(c => c with { Id = id, Name = "Support " + id })
            .WithPerspective("customer", ScorecardBuilder.Objective("loyal", ScorecardBuilder.Measure("csat") with { Name = "Customer satisfaction", Owner = AlertsWorld.Owner }, ScorecardBuilder.Measure("m") with { Name = "Unreported" }))
            .WithPerspective("financial", ScorecardBuilder.Objective("grow", ScorecardBuilder.Measure("revenue", 800, 1000) with { Name = "Revenue", Aggregation = Aggregation.Sum }))
            .WithObservation("csat", "2026-10", 95).WithObservation("csat", "2026-11", 20)
            .WithObservation("revenue", "2026-10", 950).WithObservation("revenue", "2026-11", 939)
            .Build();
    }

    private static async Task<(AlertsWorld World, ScorecardSnapshot Snapshot)> StartAsync(DatabaseProvider provider, Func<ScorecardData>? data = null)
    {
        var world = await AlertsWorld.StartAsync(provider, December7);
        string key = "";
        var card = await world.StoreAsync(data?.Invoke() ?? Card(out key));
        var snapshot = await world.Services.GetRequiredService<ScorecardSnapshots>().GetAsync(card.OrganisationId, card.Key);
        return (world, snapshot!);
    }

    private static T Get<T>(AlertsWorld world)
        where T : notnull => world.Services.GetRequiredService<T>();

    private static async Task<ScorecardSnapshot> ReloadAsync(AlertsWorld world, ScorecardSnapshot snapshot) =>
        (await Get<ScorecardSnapshots>(world).GetAsync(snapshot.OrganisationId, snapshot.Scorecard.Id))!;

    [Fact]
    public async Task Commentary_EveryEditIsKept_AndAStaleVersionStoresNothing()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        var commentary = Get<Commentary>(world);

        var first = await commentary.SaveAsync(snapshot, "csat", Nov, "Survey **fell** after the outage.", "Call every detractor.", 0, "ana");
        var second = await commentary.SaveAsync(snapshot, "csat", Nov, "Survey fell after the 3-day outage.", "Call every detractor this week.", first.Current!.Version, "ben");
        var stale = await commentary.SaveAsync(snapshot, "csat", Nov, "Someone else's text", "", first.Current.Version, "carla");

        Assert.Equal((EditStatus.Saved, EditStatus.Saved, EditStatus.Stale), (first.Status, second.Status, stale.Status));
        Assert.Contains("ben saved this commentary", stale.Message, StringComparison.Ordinal);
        var history = await commentary.HistoryAsync(snapshot.Id, "csat", Nov);
        Assert.Equal(["ben", "ana"], history.Select(h => h.EnteredBy));
        Assert.Equal(("ben", "Survey **fell** after the outage."), (history[1].SupersededBy, history[1].Analysis));
        Assert.Null(history[0].SupersededAt);
        var current = await commentary.GetAsync(snapshot.Id, "csat", Nov);
        Assert.Equal("Survey fell after the 3-day outage.", current!.Analysis);
        Assert.Equal("<p>Survey <strong>fell</strong> after the outage.</p>", history[1].AnalysisHtml.Trim());
    }

    [Fact]
    public async Task Commentary_TwoWritersOfTheSameVersion_OnlyOneWins()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        var node2 = world.NewNode().GetRequiredService<Commentary>();

        var results = await Task.WhenAll(
            Get<Commentary>(world).SaveAsync(snapshot, "loyal", Nov, "From node one", "", 0, "ana"),
            node2.SaveAsync(snapshot, "loyal", Nov, "From node two", "", 0, "ben"));

        Assert.Equal(1, results.Count(r => r.Status == EditStatus.Saved));
        Assert.Equal(1, results.Count(r => r.Status == EditStatus.Stale));
        Assert.Single(await Get<Commentary>(world).HistoryAsync(snapshot.Id, "loyal", Nov));
    }

    [Theory]
    [InlineData("nope", "", "analysis", EditStatus.NotFound)]
    [InlineData("csat", "oversize", "analysis", EditStatus.Invalid)]
    [InlineData("csat", "nul", "recommendations", EditStatus.Invalid)]
    public async Task Commentary_BadInput_IsRefusedNamingTheFieldAndStoresNothing(string item, string text, string field, EditStatus expected)
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        string analysis = text == "oversize" ? new string('x', CommentaryText.MaxLength + 1) : "fine";
        string recommendations = text == "nul" ? "a\0b" : "";

        var result = await Get<Commentary>(world).SaveAsync(snapshot, item, Nov, analysis, recommendations, 0, "ana");

        Assert.Equal(expected, result.Status);
        Assert.Equal(expected == EditStatus.NotFound ? "item" : field, result.Field);
        await using var db = await world.Contexts.CreateDbContextAsync();
        Assert.Equal(0, await db.Commentary.CountAsync());
    }

    [Fact]
    public async Task Discussion_Mention_NotifiesInTheAppAndByEmailThroughTheOutbox()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        var ana = await world.AddUserAsync("ana@test.example", AccessRole.Viewer);
        await world.AddUserAsync("ben@test.example", AccessRole.Editor);

        var posted = await Get<Discussion>(world).PostAsync(snapshot, "csat", Nov, null, "Why did it drop, @ana@test.example? Nobody else is named.", "ben@test.example");
        var reply = await Get<Discussion>(world).PostAsync(snapshot, "csat", Nov, posted.Comment!.Id, "The outage, see the incident report.", "ana@test.example");
        var sent = await world.Pass.RunAsync();

        Assert.Equal(["ana@test.example"], posted.Notified);
        Assert.Empty(reply.Notified);
        var notification = Assert.Single(await world.NotificationsAsync());
        Assert.Equal((ana, $"/scorecards/{snapshot.Scorecard.Id}/measures/csat?period=2026-11#discussion"), (notification.UserId, notification.Link));
        Assert.StartsWith("ben@test.example mentioned you on Customer satisfaction", notification.Title, StringComparison.Ordinal);
        Assert.Equal(1, sent.Send.Sent);
        var mail = Assert.Single(await world.Smtp.WaitForAsync(1));
        Assert.Equal(["ana@test.example"], mail.To);
        var messages = await Get<Discussion>(world).ListAsync(snapshot.Id, "csat", Nov);
        Assert.Equal([null, posted.Comment.Id], messages.Select(m => m.ParentId));
    }

    [Fact]
    public async Task Discussion_MentionOfSomeoneInAnotherOrganisation_NotifiesNobody()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        using (var scope = world.Services.CreateScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<Users>().AddAsync("eve@other.example", AccessRole.Viewer, "Other org")).Succeeded);
        }

        var posted = await Get<Discussion>(world).PostAsync(snapshot, "csat", Nov, null, "Ping @eve@other.example", "ben");

        Assert.Empty(posted.Notified);
        Assert.Empty(await world.NotificationsAsync());
    }

    [Fact]
    public async Task Actions_OpenChangeAndStaleVersion()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        var actions = Get<ItemActions>(world);

        var opened = await actions.OpenAsync(snapshot, "csat", "Call the five largest dealers", AlertsWorld.Owner, new DateOnly(2026, 12, 1), "ana");
        var done = await actions.UpdateAsync(snapshot, opened.Action!.Id, opened.Action.Version, opened.Action.Title, opened.Action.Owner, opened.Action.Due, ActionStatus.Done, "ana");
        var stale = await actions.UpdateAsync(snapshot, opened.Action.Id, opened.Action.Version, "Changed", null, null, ActionStatus.Open, "ben");
        var onPerspective = await actions.OpenAsync(snapshot, "customer", "Not on a perspective", null, null, "ana");
        var untitled = await actions.OpenAsync(snapshot, "csat", "  ", null, null, "ana");

        Assert.True(opened.Action.IsLate(new DateOnly(2026, 12, 7)));
        Assert.Equal((EditStatus.Saved, ActionStatus.Done, 2L), (done.Status, done.Action!.Status, done.Action.Version));
        Assert.Equal(EditStatus.Stale, stale.Status);
        Assert.Equal((EditStatus.NotFound, "item"), (onPerspective.Status, onPerspective.Field));
        Assert.Equal((EditStatus.Invalid, "title"), (untitled.Status, untitled.Field));
        Assert.Empty(await actions.ListAsync(snapshot.Id, openOnly: true));
    }

    [Fact]
    public async Task RedWithoutAction_FiresForARedItemAndClearsOnceAnActionIsOpen()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        await world.AddUserAsync(AlertsWorld.Owner, AccessRole.DataUpdater);
        var card = (await world.Services.ScorecardRefAsync(snapshot.Scorecard.Id))!;
        await world.AddRuleAsync(card, new AlertRuleInput("RedWithoutAction", null, null, "csat", "owners", InApp: true, Email: false, Webhook: false));

        var fired = await world.Pass.RunAsync();
        await Get<ItemActions>(world).OpenAsync(snapshot, "csat", "Call every detractor", AlertsWorld.Owner, null, "ana");
        var cleared = await world.Pass.RunAsync();

        Assert.Equal(1, fired.Check.Fired);
        Assert.Equal(1, cleared.Check.Cleared);
        var notification = Assert.Single(await world.NotificationsAsync());
        Assert.Equal("Customer satisfaction is red with no action", notification.Title);
    }

    [Fact]
    public async Task Close_PeriodInProgressIsRefused_EndedOneLocksAndBecomesTheReportingPeriod()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        var closes = Get<PeriodCloses>(world);
        var today = new DateOnly(2026, 12, 7);

        var december = await closes.CloseAsync(snapshot, Period.Parse("2026-12"), today, "editor");
        var october = await closes.CloseAsync(snapshot, Period.Parse("2026-10"), today, "editor");
        var again = await closes.CloseAsync(snapshot, Period.Parse("2026-09"), today, "editor");
        var reloaded = await ReloadAsync(world, snapshot);

        Assert.Equal((EditStatus.Invalid, "period"), (december.Status, december.Field));
        Assert.Contains("has not ended yet (its last day is 2026-12-31)", december.Message, StringComparison.Ordinal);
        Assert.Equal(EditStatus.Saved, october.Status);
        Assert.Equal(EditStatus.Conflict, again.Status);
        Assert.Equal(Period.Parse("2026-10"), reloaded.ReportingPeriod(today));
        await using var db = await world.Contexts.CreateDbContextAsync();
        Assert.Equal(new DateOnly(2026, 10, 31), await PeriodCloses.LockedThroughAsync(db, snapshot.Id, CancellationToken.None));
        Assert.Contains(await db.AuditLog.Select(a => a.Action).ToListAsync(), a => a == "period.closed");
    }

    [Fact]
    public async Task Reopen_NeedsAReason_ThenUnlocksTheCloseAndLaterOnes()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        var closes = Get<PeriodCloses>(world);
        var today = new DateOnly(2026, 12, 7);
        await closes.CloseAsync(snapshot, Period.Parse("2026-10"), today, "editor");
        await closes.CloseAsync(snapshot, Period.Parse("2026-11"), today, "editor");

        var noReason = await closes.ReopenAsync(snapshot, Period.Parse("2026-10"), "  ", "admin");
        var reopened = await closes.ReopenAsync(snapshot, Period.Parse("2026-10"), "October revenue was booked twice", "admin");

        Assert.Equal((EditStatus.Invalid, "reason"), (noReason.Status, noReason.Field));
        Assert.Equal(EditStatus.Saved, reopened.Status);
        await using var db = await world.Contexts.CreateDbContextAsync();
        Assert.Null(await PeriodCloses.LockedThroughAsync(db, snapshot.Id, CancellationToken.None));
        var audit = await db.AuditLog.Where(a => a.Action == "period.reopened").ToListAsync();
        Assert.Equal(2, audit.Count);
        Assert.All(audit, a => Assert.Contains("booked twice", a.After, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClosedPeriod_RefusesCorrectionsOnEveryPath_AndStoresNothing()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        string key = snapshot.Scorecard.Id;
        var held = await Get<MeasureObservations>(world).CurrentAsync(key, "csat", Nov, null);
        await Get<PeriodCloses>(world).CloseAsync(snapshot, Nov, new DateOnly(2026, 12, 7), "editor");

        var corrected = await Get<MeasureObservations>(world).CorrectAsync(key, "csat", Nov, null, 85, null, "typo", held!.Id, "ana");
        var added = await Get<MeasureObservations>(world).AddAsync(key, "m", Period.Parse("2026-10"), 1, null, null, "ana");
        string csv = "measure,period,value\nrevenue,2026-12,120\ncsat,2026-11,85\n";
        var imported = await Get<Application.Features.Observations.ObservationImport>(world).ImportAsync(key, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)),
            Application.Features.Observations.ObservationFileFormat.Csv, "values.csv", "ana");
        var open = await Get<MeasureObservations>(world).AddAsync(key, "m", Period.Parse("2026-12"), 1, null, null, "ana");

        Assert.NotEqual(EditStatus.Saved, corrected.Status);
        Assert.Contains("2026-11 is closed", corrected.Message + string.Join(" ", corrected.Errors.Select(e => e.Message)), StringComparison.Ordinal);
        Assert.NotEqual(EditStatus.Saved, added.Status);
        Assert.False(imported.Succeeded);
        var error = Assert.Single(imported.Errors);
        Assert.Equal((3L, "period"), (error.Row, error.Column));
        Assert.Contains("2026-11 is closed", error.Expected, StringComparison.Ordinal);
        Assert.Equal(EditStatus.Saved, open.Status);
        Assert.Equal(20, (await Get<MeasureObservations>(world).CurrentAsync(key, "csat", Nov, null))!.Value);
        Assert.Null(await Get<MeasureObservations>(world).CurrentAsync(key, "revenue", Period.Parse("2026-12"), null));

        // The data-entry grid shows the closed months as read-only, and a month nobody reported there is no longer chased as overdue.
        var grid = await Get<Application.Features.DataEntry.DataEntryGrid>(world).ReadAsync(key, Application.Features.DataEntry.GridRange.FiscalYear(2026, snapshot.Scorecard.Calendar), null);
        var rows = grid!.Sections.SelectMany(s => s.Rows).ToDictionary(r => r.Measure.Id);
        Assert.True(GridCellOf(rows["csat"], "2026-11").Marks.HasFlag(Application.Features.DataEntry.CellMarks.Closed));
        Assert.False(GridCellOf(rows["csat"], "2026-12").Marks.HasFlag(Application.Features.DataEntry.CellMarks.Closed));
        var unreported = GridCellOf(rows["m"], "2026-10").Marks;
        Assert.True(unreported.HasFlag(Application.Features.DataEntry.CellMarks.Missing));
        Assert.False(unreported.HasFlag(Application.Features.DataEntry.CellMarks.Overdue));
    }

    private static Application.Features.DataEntry.GridCell GridCellOf(Application.Features.DataEntry.GridRow row, string period) =>
        row.Cells.Single(c => c.Period.ToString() == period);

    [Fact]
    public async Task Completeness_ListsMissingValuesAndRedItemsWithoutAnalysis()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        var view = new PeriodView(Nov, false, new DateOnly(2026, 12, 7));

        var before = PeriodCloses.Check(snapshot, snapshot.Evaluate(view), await Get<Commentary>(world).ForPeriodAsync(snapshot.Id, Nov));
        await Get<Commentary>(world).SaveAsync(snapshot, "csat", Nov, "The outage.", "", 0, "ana");
        var after = PeriodCloses.Check(snapshot, snapshot.Evaluate(view), await Get<Commentary>(world).ForPeriodAsync(snapshot.Id, Nov));

        Assert.Contains(before.MissingCommentary, i => i.Id == "csat" && i.Why == "Red without an analysis");
        Assert.DoesNotContain(after.MissingCommentary, i => i.Id == "csat");
        Assert.Contains(after.MissingValues, i => i.Id == "m" && i.Why == "no value");
    }

    [Fact]
    public async Task BriefingBook_SentOnClose_ReachesSmtpWithThePdfOfCommentaryAndPeriod()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        await Get<Commentary>(world).SaveAsync(snapshot, "csat", Nov, "Satisfaction fell after the November outage.", "Call every detractor.", 0, "ana");
        var books = Get<BriefingBooks>(world);
        var book = await books.SaveAsync(snapshot.OrganisationId, null, null,
            new BookDefinition("Monthly review", [snapshot.Scorecard.Id], ["cover", "dashboard", "commentary", "actions"], ["exec@test.example"], "close", null), "editor");

        var closed = await Get<PeriodCloses>(world).CloseAsync(await ReloadAsync(world, snapshot), Nov, new DateOnly(2026, 12, 7), "editor");
        var pass = await world.Pass.RunAsync();

        Assert.Equal(EditStatus.Saved, book.Status);
        Assert.Equal(1, closed.BooksQueued);
        Assert.Equal(1, pass.Send.Sent);
        var mail = Assert.Single(await world.Smtp.WaitForAsync(1));
        Assert.Equal(["exec@test.example"], mail.To);
        var message = MimeMessage.Load(new MemoryStream(System.Text.Encoding.Latin1.GetBytes(mail.Data)));
        Assert.Equal("[OpenBsc] Monthly review — 2026-11", message.Subject);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("monthly-review-2026-11.pdf", attachment.FileName);
        using var pdf = new MemoryStream();
        attachment.Content!.DecodeTo(pdf);
        string text = PdfText.Of(pdf.ToArray());
        Assert.Contains("Satisfaction fell after the November outage.", text, StringComparison.Ordinal);
        Assert.Contains("November 2026", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BriefingBook_CronSchedule_IsQueuedOnceAcrossTwoNodes()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        await Get<BriefingBooks>(world).SaveAsync(snapshot.OrganisationId, null, null,
            new BookDefinition("Daily", [snapshot.Scorecard.Id], ["dashboard"], ["exec@test.example"], "cron", "0 7 * * *"), "editor");
        var other = world.NewNode().GetRequiredService<BriefingBooks>();

        int early = await Get<BriefingBooks>(world).QueueScheduledAsync();
        world.Clock.Advance(TimeSpan.FromDays(1));
        var both = await Task.WhenAll(Get<BriefingBooks>(world).QueueScheduledAsync(), other.QueueScheduledAsync());

        Assert.Equal(0, early);
        Assert.Equal(1, both.Sum());
        var delivery = Assert.Single(await world.DeliveriesAsync());
        Assert.StartsWith("book:", delivery.Attachment, StringComparison.Ordinal);
        Assert.EndsWith("@2026-11", delivery.Attachment, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "scorecards", "nope", "sections", "name")]
    public async Task BriefingBook_BadDefinition_NamesEveryFieldAndStoresNothing(string name, string scorecard, string section, string recipient, string expectedFirst)
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;

        var result = await Get<BriefingBooks>(world).SaveAsync(snapshot.OrganisationId, null, null,
            new BookDefinition(name, [scorecard], [section], [recipient], "cron", "every monday"), "editor");

        Assert.Equal(EditStatus.Invalid, result.Status);
        Assert.Equal(expectedFirst, result.Problems[0].Field);
        Assert.Equal(["name", "scorecards", "sections", "recipients", "cron"], result.Problems.Select(p => p.Field).Distinct());
        Assert.Empty(await Get<BriefingBooks>(world).ListAsync(snapshot.OrganisationId));
    }

    [Fact]
    public async Task StoredScorecard_QuarterInProgress_ComparesSumsWithTheTargetToDate()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;

        var revenue = snapshot.Evaluate(new PeriodView(Period.Parse("2026-Q4"), false, new DateOnly(2026, 12, 7)))["revenue"];
        var ytd = snapshot.Evaluate(new PeriodView(Period.Parse("2026-12"), true, new DateOnly(2026, 12, 7)))["revenue"];

        Assert.Equal((1889, 2000), (revenue.Value, revenue.Target));
        Assert.Equal(new PeriodCoverage(PeriodState.InProgress, 2, 3, 0), revenue.Coverage);
        // Year to date: the targets of the eleven months that have ended, reported or not (missing data is missing).
        Assert.Equal((1889, 11000), (ytd.Value, ytd.Target));
    }

    [Fact]
    public async Task StoredScorecard_EarlyValue_DoesNotMoveTheReportingPeriod()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        await world.ObserveAsync(snapshot.Scorecard.Id, "csat,2026-12,90", "revenue,2026-12,300");

        var reloaded = await ReloadAsync(world, snapshot);

        Assert.Equal(Period.Parse("2026-12"), reloaded.LatestObservedMonth);
        Assert.Equal(Nov, reloaded.ReportingPeriod(new DateOnly(2026, 12, 7)));
        Assert.Equal(Period.Parse("2026-12"), reloaded.ReportingPeriod(new DateOnly(2026, 12, 31)));
    }

    [Fact]
    public async Task Report_WithScriptInCommentary_PrintsItAsTextInPdfHtmlAndTheMapTooltip()
    {
        var (world, snapshot) = await StartAsync(provider);
        await using var _ = world;
        const string Payload = "<script>alert('x')</script> <img src=x onerror=alert(1)> [click](javascript:alert(2))";
        await Get<Commentary>(world).SaveAsync(snapshot, "loyal", Nov, Payload, "<b onmouseover=alert(3)>bold</b>", 0, "mallory");
        var view = new PeriodView(Nov, false, new DateOnly(2026, 12, 7));
        var report = await Get<ScorecardReports>(world).BuildAsync(await ReloadAsync(world, snapshot), view);

        string html = Application.Features.Reports.ReportHtml.Render(report);
        using var pdf = new MemoryStream();
        ReportPdf.Write(report, pdf);
        string text = PdfText.Of(pdf.ToArray());
        var notes = await Get<Commentary>(world).ForPeriodAsync(snapshot.Id, Nov);
        string svg = OpenBsc.Web.MapSvg.For(snapshot, snapshot.Evaluate(view), "period=2026-11", notes);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b ", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<script>alert('x')</script>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Analysis: &lt;script&gt;", svg, StringComparison.Ordinal);
    }
}
