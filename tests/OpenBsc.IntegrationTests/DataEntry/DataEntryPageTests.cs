using OpenBsc.Application.Data;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.DataEntry;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.DataEntry;

/// <summary>The grid page over real HTTP: a plain form post with its antiforgery token, as a browser without JavaScript sends it.</summary>
public abstract partial class DataEntryPageTests(DatabaseProvider provider)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : DataEntryPageTests(DatabaseProvider.Sqlite);

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres() : DataEntryPageTests(DatabaseProvider.Postgres);

    private const string Grid = "/scorecards/ops/data?range=2026";

    [Fact]
    public async Task Get_ShowsValuesTargetsMarksAndAnAntiforgeryForm()
    {
        await using var app = await StartAsync();

        string html = await app.Client.GetStringAsync(new Uri(Grid, UriKind.Relative));
        string ben = await app.Client.GetStringAsync(new Uri(Grid + "&owner=ben%40example.org", UriKind.Relative));

        Assert.Contains("name=\"v|calls|2026-03\" value=\"97\"", html, StringComparison.Ordinal);
        Assert.Matches(@"id=""cell-calls-2026-04""[^>]*>\s*<input[^>]*>\s*<input[^>]*>\s*<span class=""t"">target 120</span>", html);
        Assert.Contains("↳ inherited", html, StringComparison.Ordinal);
        Assert.Contains("ƒ calculated", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"v|double-calls|", html, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"section-quarter\">Quarterly measures</h2>", html, StringComparison.Ordinal);
        Assert.Contains("name=\"__RequestVerificationToken\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"v|csat|2026-03\"", ben, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"v|calls|", ben, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownScorecardOrRange_SaysWhatWasWrong()
    {
        await using var app = await StartAsync();

        using var missing = await app.Client.GetAsync(new Uri("/scorecards/nope/data", UriKind.Relative));
        using var badRange = await app.Client.GetAsync(new Uri("/scorecards/ops/data?range=soon", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
        Assert.Contains("'soon' is not a range: use last-12-months, or a fiscal year such as 2026", WebUtility.HtmlDecode(await badRange.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ChangedCells_AreSavedAndEveryPageShowsThemAfterwards()
    {
        await using var app = await StartAsync();
        // The dashboard and grid are rendered (and cached) before the save.
        string before = await app.Client.GetStringAsync(new Uri("/scorecards/ops?period=2026-04", UriKind.Relative));
        Assert.DoesNotContain("110 calls", before, StringComparison.Ordinal);
        var form = await FormAsync(app);

        using var response = await PostAsync(app, form, ("v|calls|2026-04", "110"), ("n|calls|2026-04", "busy month"), ("by", "ana@example.org"));

        string saved = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Saved 1 value.", saved, StringComparison.Ordinal);
        Assert.Contains("Calls answered, 2026-04: 110 (added) — “busy month”", saved, StringComparison.Ordinal);
        string grid = await app.Client.GetStringAsync(new Uri(Grid, UriKind.Relative));
        Assert.Contains("name=\"v|calls|2026-04\" value=\"110\"", grid, StringComparison.Ordinal);
        string dashboard = await app.Client.GetStringAsync(new Uri("/scorecards/ops?period=2026-04", UriKind.Relative));
        Assert.Contains("110 calls", dashboard, StringComparison.Ordinal);
        string measure = await app.Client.GetStringAsync(new Uri("/scorecards/ops/measures/calls?period=2026-04", UriKind.Relative));
        Assert.Contains("busy month", measure, StringComparison.Ordinal);
        Assert.Contains("ana@example.org", measure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_CorrectionWithoutReason_KeepsWhatWasTypedAndStoresNothing_ThenWithAReasonIsInTheHistory()
    {
        await using var app = await StartAsync();
        var form = await FormAsync(app);

        using var refused = await PostAsync(app, form, ("v|calls|2026-03", "99"), ("v|calls|2026-04", "110"));

        string html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Nothing was saved: 1 cell needs attention", html, StringComparison.Ordinal);
        Assert.Contains("name=\"v|calls|2026-03\" value=\"99\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"v|calls|2026-04\" value=\"110\"", html, StringComparison.Ordinal);
        Assert.Matches(@"id=""cell-calls-2026-03"" class=""cell error"">[\s\S]*?✘ changing 97 to 99 is a correction: give a reason", html);
        string stored = await app.Client.GetStringAsync(new Uri(Grid, UriKind.Relative));
        Assert.Contains("name=\"v|calls|2026-03\" value=\"97\"", stored, StringComparison.Ordinal);
        Assert.Contains("name=\"v|calls|2026-04\" value=\"\"", stored, StringComparison.Ordinal);

        using var corrected = await PostAsync(app, form, ("v|calls|2026-03", "99"), ("r|calls|2026-03", "recounted the logs"), ("by", "ben@example.org"));

        Assert.Contains("Calls answered, 2026-03: 99 (corrected from 97)", WebUtility.HtmlDecode(await corrected.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        string history = await app.Client.GetStringAsync(new Uri("/scorecards/ops/measures/calls?period=2026-03", UriKind.Relative));
        Assert.Contains("was 97 calls", history, StringComparison.Ordinal);
        // Who corrected is the signed-in user, whatever a form field says ("by" is ignored).
        Assert.Contains($"by {RunningApp.AdminName}: recounted the logs", history, StringComparison.Ordinal);
        Assert.DoesNotContain("ben@example.org", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_CellWrittenMeanwhile_IsAConflictShowingTheirValueAndNothingIsSaved()
    {
        await using var app = await StartAsync();
        var form = await FormAsync(app);
        var grid = app.Services.GetRequiredService<DataEntryGrid>();
        Assert.True((await grid.SaveAsync("ops", [new CellEdit("calls", "2026-04", "111")], "ben@example.org"))!.Succeeded);

        using var response = await PostAsync(app, form, ("v|calls|2026-04", "110"), ("v|revenue|2026-Q1", "500"));

        string html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("changed meanwhile: ben@example.org entered 111 at", html, StringComparison.Ordinal);
        Assert.Contains("name=\"v|calls|2026-04\" value=\"110\"", html, StringComparison.Ordinal);
        string stored = await app.Client.GetStringAsync(new Uri(Grid, UriKind.Relative));
        Assert.Contains("name=\"v|revenue|2026-Q1\" value=\"\"", stored, StringComparison.Ordinal);
        Assert.Contains("name=\"v|calls|2026-04\" value=\"111\"", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutTheAntiforgeryToken_IsRefusedAndStoresNothing()
    {
        await using var app = await StartAsync();

        using var response = await app.Client.PostAsync(new Uri(Grid, UriKind.Relative), new FormUrlEncodedContent([
            new("_handler", "grid"), new("v|calls|2026-04", "110"), new("b|calls|2026-04", "none"),
        ]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string stored = await app.Client.GetStringAsync(new Uri(Grid, UriKind.Relative));
        Assert.Contains("name=\"v|calls|2026-04\" value=\"\"", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_DecimalComma_IsAcceptedWhereTheOrganisationUsesIt()
    {
        await using var app = await StartAsync();
        await app.SetFormatAsync(decimalComma: true, "dd.MM.yyyy");

        using var response = await PostAsync(app, await FormAsync(app), ("v|calls|2026-04", "1.110,5"), ("v|calls|2026-05", "12,5"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        double[] stored = await StoredAsync(app, "2026-04", "2026-05");
        Assert.Equal([1110.5, 12.5], stored);
        // The grid shows the stored values back with the organisation's comma, as it reads them.
        string grid = await app.Client.GetStringAsync(new Uri(Grid, UriKind.Relative));
        Assert.Contains("name=\"v|calls|2026-04\" value=\"1110,5\"", grid, StringComparison.Ordinal);
        Assert.Contains("name=\"v|calls|2026-05\" value=\"12,5\"", grid, StringComparison.Ordinal);
        Assert.Contains("name=\"v|calls|2026-03\" value=\"97\"", grid, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_APointInACommaOrganisation_IsRefusedNamingTheCell_NothingStored()
    {
        await using var app = await StartAsync();
        await app.SetFormatAsync(decimalComma: true, "dd.MM.yyyy");
        double[] before = await StoredAsync(app, "2026-03");

        // 12.5 is no number where a comma marks decimals: it must not be stored as 125 (nor the other cell of the save).
        using var response = await PostAsync(app, await FormAsync(app), ("v|calls|2026-04", "12,5"), ("v|calls|2026-03", "12.5"));

        string page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Nothing was saved", page, StringComparison.Ordinal);
        Assert.Contains("'12.5' is not a number: enter a number such as 1.234,5 (a comma for decimals)", page, StringComparison.Ordinal);
        Assert.Equal(before, await StoredAsync(app, "2026-03"));
        await using var db = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
        Assert.False(db.Observations.Any(o => o.MeasureKey == "calls" && o.Period == "2026-04"));
    }

    [Fact]
    public async Task CommaOrganisation_SeesItsNumbersAndDates_OnTheDashboardMeasurePageGridAndAuditLog()
    {
        await using var app = await StartAsync();
        // Rendered (and cached) before the settings change: the change must show at once all the same.
        string before = await app.Client.GetStringAsync(new Uri("/scorecards/ops?period=2026-04", UriKind.Relative));
        using var saved = await PostAsync(app, await FormAsync(app), ("v|calls|2026-04", "1234.5"), ("n|calls|2026-04", "busy month"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        await app.SetFormatAsync(decimalComma: true, "dd.MM.yyyy");

        string dashboard = WebUtility.HtmlDecode(await app.Client.GetStringAsync(new Uri("/scorecards/ops?period=2026-04", UriKind.Relative)));
        string measure = WebUtility.HtmlDecode(await app.Client.GetStringAsync(new Uri("/scorecards/ops/measures/calls?period=2026-04", UriKind.Relative)));
        string grid = WebUtility.HtmlDecode(await app.Client.GetStringAsync(new Uri(Grid, UriKind.Relative)));
        string audit = WebUtility.HtmlDecode(await app.Client.GetStringAsync(new Uri("/audit", UriKind.Relative)));

        Assert.Contains("1.234,5 calls", dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain("1,234.5", dashboard, StringComparison.Ordinal);
        Assert.Contains("1.234,5 calls", measure, StringComparison.Ordinal);
        Assert.Contains("target 120 calls", measure, StringComparison.Ordinal);
        // The history of values: when each was entered, in the organisation's date format.
        Assert.Matches(@"<td>\d{2}\.\d{2}\.20\d{2} \d{2}:\d{2} UTC</td>", measure);
        Assert.Contains("(01.01.2026 – 31.12.2026)", grid, StringComparison.Ordinal);
        Assert.Contains("name=\"v|calls|2026-04\" value=\"1234,5\"", grid, StringComparison.Ordinal);
        // The calculated double of calls, shown (not typed): grouped by thousands.
        Assert.Contains(">2.469</span>", grid, StringComparison.Ordinal);
        Assert.Matches(@"data-label=""When"">\d{2}\.\d{2}\.20\d{2} \d{2}:\d{2}:\d{2} UTC</td>", audit);
        Assert.DoesNotMatch(@"data-label=""When"">20\d{2}-", audit);
        Assert.NotEqual(before, dashboard);

        // The PDF report is read by people: the organisation's format. The CSV export is read by imports: invariant.
        byte[] pdf = await app.Client.GetByteArrayAsync(new Uri("/scorecards/ops/report.pdf?period=2026-04", UriKind.Relative));
        string report = PdfText.Of(pdf);
        Assert.Contains("1.234,5 calls", report, StringComparison.Ordinal);
        Assert.Matches(@"generated \d{2}\.\d{2}\.20\d{2} \d{2}:\d{2} UTC", report);
        string csv = await app.Client.GetStringAsync(new Uri("/api/v1/scorecards/ops/observations/export", UriKind.Relative));
        Assert.Contains("calls,2026-04,1234.5", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PointOrganisation_SeesNumbersAndDatesAsBefore()
    {
        await using var app = await StartAsync();
        using var saved = await PostAsync(app, await FormAsync(app), ("v|calls|2026-04", "1234.5"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        string dashboard = WebUtility.HtmlDecode(await app.Client.GetStringAsync(new Uri("/scorecards/ops?period=2026-04", UriKind.Relative)));
        string measure = WebUtility.HtmlDecode(await app.Client.GetStringAsync(new Uri("/scorecards/ops/measures/calls?period=2026-04", UriKind.Relative)));
        string grid = WebUtility.HtmlDecode(await app.Client.GetStringAsync(new Uri(Grid, UriKind.Relative)));
        string audit = WebUtility.HtmlDecode(await app.Client.GetStringAsync(new Uri("/audit", UriKind.Relative)));

        Assert.Contains("1,234.5 calls", dashboard, StringComparison.Ordinal);
        Assert.Contains("1,234.5 calls", measure, StringComparison.Ordinal);
        Assert.Matches(@"<td>20\d{2}-\d{2}-\d{2} \d{2}:\d{2} UTC</td>", measure);
        Assert.Contains("name=\"v|calls|2026-04\" value=\"1234.5\"", grid, StringComparison.Ordinal);
        Assert.Contains("(2026-01-01 – 2026-12-31)", grid, StringComparison.Ordinal);
        Assert.Matches(@"data-label=""When"">20\d{2}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC</td>", audit);
        // A point organisation types 1,5 as before: not a number (a comma is no decimal separator there).
        using var comma = await PostAsync(app, await FormAsync(app), ("v|calls|2026-05", "1,5"));
        Assert.Empty(await StoredAsync(app, "2026-05"));
    }

    [Fact]
    public async Task Times_AreShownInTheOrganisationsTimeZone()
    {
        await using var app = await StartAsync();
        using var saved = await PostAsync(app, await FormAsync(app), ("v|calls|2026-04", "100"));
        DateTime entered;
        await using (var db = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            entered = db.Observations.Single(o => o.MeasureKey == "calls" && o.Period == "2026-04").EnteredAt;
            var admin = db.Users.Single(u => u.UserName == RunningApp.AdminName);
            await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdateAsync(db.Organisations.Where(o => o.Id == admin.OrganisationId), s => s.SetProperty(o => o.TimeZone, "Asia/Kolkata"));
        }

        app.Services.GetRequiredService<OpenBsc.Application.Features.Organisations.OrganisationClock>().Forget(await OrganisationAsync(app));
        string measure = WebUtility.HtmlDecode(await app.Client.GetStringAsync(new Uri("/scorecards/ops/measures/calls?period=2026-04", UriKind.Relative)));

        // India is 5 h 30 ahead of UTC all year: the entry time is the organisation's own, without "UTC".
        var local = DateTime.SpecifyKind(entered, DateTimeKind.Utc).AddHours(5.5);
        Assert.Contains($"<td>{local.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)}</td>", measure, StringComparison.Ordinal);
    }

    private static async Task<Guid> OrganisationAsync(RunningApp app)
    {
        await using var db = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
        return db.Users.Single(u => u.UserName == RunningApp.AdminName).OrganisationId;
    }

    /// <summary>The current stored values of calls in <paramref name="periods"/>.</summary>
    private static async Task<double[]> StoredAsync(RunningApp app, params string[] periods)
    {
        await using var db = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
        return [.. db.Observations.Where(o => o.MeasureKey == "calls" && o.SupersededAt == null && periods.Contains(o.Period)).OrderBy(o => o.Period).Select(o => o.Value)];
    }

    private async Task<RunningApp> StartAsync()
    {
        var app = await RunningApp.StartAsync(provider, demo: false);
        await app.Services.GetRequiredService<ScorecardImport>().ImportAsync([GridDatabase.Card()], new Dictionary<string, string>(), "Test org", "loader", "first load");
        return app;
    }

    /// <summary>Every field of the grid's form as the page rendered it (hidden bases, values, comments, token).</summary>
    private static async Task<Dictionary<string, string>> FormAsync(RunningApp app)
    {
        string html = await app.Client.GetStringAsync(new Uri(Grid, UriKind.Relative));
        string form = html[html.IndexOf("data-entry-form", StringComparison.Ordinal)..];
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputPattern().Matches(form))
        {
            fields[WebUtility.HtmlDecode(input.Groups["name"].Value)] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        Assert.Contains("__RequestVerificationToken", fields.Keys);
        Assert.Equal("grid", fields["_handler"]);
        return fields;
    }

    private static Task<HttpResponseMessage> PostAsync(RunningApp app, Dictionary<string, string> form, params (string Name, string Value)[] changes)
    {
        var fields = new Dictionary<string, string>(form, StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            fields[name] = value;
        }

        return app.Client.PostAsync(new Uri(Grid, UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex(@"<input\b(?=[^>]*\bname=""(?<name>[^""]+)"")(?:(?=[^>]*\bvalue=""(?<value>[^""]*)""))?[^>]*>")]
    private static partial Regex InputPattern();
}
