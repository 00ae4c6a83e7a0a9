using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Design;

/// <summary>The designer pages over real HTTP: plain form posts with the antiforgery token, as a browser sends them.</summary>
public abstract partial class DesignerPageTests(DatabaseProvider provider) : IAsyncLifetime
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : DesignerPageTests(DatabaseProvider.Sqlite);

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres() : DesignerPageTests(DatabaseProvider.Postgres);

    private const string Designer = "/scorecards/customer-support/design";

    private RunningApp _app = null!;

    public async Task InitializeAsync() => _app = await RunningApp.StartAsync(provider);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TwoWriters_TheSecondSaveFromTheOldVersion_IsRefusedWithWhatChanged_AndNothingIsOverwritten()
    {
        var first = await FormAsync(Designer, "design");
        var second = await FormAsync(Designer, "design");

        using var one = await PostAsync(Designer, first, ("op", "add-objective|customer"), ("new-objective|customer", "Win dealers back"));
        using var two = await PostAsync(Designer, second, ("op", "add-objective|customer"), ("new-objective|customer", "Delight retail customers"));

        Assert.Equal(HttpStatusCode.OK, one.StatusCode); // redirected to the designer
        Assert.Equal(HttpStatusCode.Conflict, two.StatusCode);
        string html = WebUtility.HtmlDecode(await two.Content.ReadAsStringAsync());
        Assert.Contains("Someone saved this scorecard meanwhile", html, StringComparison.Ordinal);
        Assert.Contains("objective “Win dealers back” added", html, StringComparison.Ordinal);
        var stored = (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!;
        Assert.Contains(stored.Scorecard.AllObjectives(), o => o.Id == "win-dealers-back");
        Assert.DoesNotContain(stored.Scorecard.AllObjectives(), o => o.Id == "delight-retail-customers");
    }

    [Fact]
    public async Task MeasureForm_InvalidValues_Are422WithTheFieldsMessages_KeepWhatWasTyped_AndStoreNothing()
    {
        const string page = "/scorecards/customer-support/design/measures/csat";
        var form = await FormAsync(page, "measure");
        long before = (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Version;

        using var response = await PostAsync(page, form, ("baseline", "88"), ("target", "88"), ("scoring.type", "thresholds"), ("scoring.goal", "lots"), ("targets", "2026-Q2 9.5"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        string html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Targets by period, line 1 '2026-Q2 9.5': enter a period and a value per line", html, StringComparison.Ordinal);
        Assert.Contains("value=\"lots\"", html, StringComparison.Ordinal);
        Assert.Equal(before, (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Version);
    }

    [Fact]
    public async Task MeasureForm_ValidValues_AreSaved_AndTheDashboardShowsThem()
    {
        const string page = "/scorecards/customer-support/design/measures/first-contact-resolution";
        var form = await FormAsync(page, "measure");

        using var response = await PostAsync(page, form, ("target", "80"), ("owner", "dora@example.org"), ("targets", "2026-Q4: 82\n2026-12: 83"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("✔</span> Saved.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var measure = (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Scorecard.AllMeasures().Single(m => m.Id == "first-contact-resolution");
        Assert.Equal(80, measure.Target);
        Assert.Equal("dora@example.org", measure.Owner);
        Assert.Equal(2, measure.Targets.Count);
        Assert.Equal(60, measure.Baseline); // not on the posted change: kept
        string dashboard = WebUtility.HtmlDecode(await _app.Client.GetStringAsync(new Uri("/scorecards/customer-support?period=2026-06", UriKind.Relative)));
        Assert.Matches(@"data-id=""first-contact-resolution""[\s\S]{0,600}/ 80%", dashboard);
    }

    [Fact]
    public async Task Check_ReportsEachFieldsErrorsWithTheFilesMessages_AndStoresNothing()
    {
        const string page = "/scorecards/customer-support/design/measures/first-contact-resolution";
        var form = await FormAsync(page, "measure");
        form["baseline"] = "75";
        form["target"] = "75";
        form["direction"] = "sideways";

        using var response = await _app.Client.PostAsync(new Uri(page + "/check", UriKind.Relative), new FormUrlEncodedContent(form));
        using var withoutToken = await _app.Client.PostAsync(new Uri(page + "/check", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["target"] = "1" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        var errors = json.RootElement.GetProperty("errors");
        Assert.Contains("expected one of: increase, decrease, range", errors.GetProperty("direction")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
    }

    [Fact]
    public async Task DeleteMeasureWithData_NeedsConfirmation_ThenArchivesItWithItsHistory_AndRestoreBringsItBack()
    {
        var form = await FormAsync(Designer, "design");

        using var asked = await PostAsync(Designer, form, ("op", "delete|measure|reopen-rate"));
        string question = WebUtility.HtmlDecode(await asked.Content.ReadAsStringAsync());
        var again = await FormAsync(Designer, "design");
        using var confirmed = await PostAsync(Designer, again, ("op", "delete|measure|reopen-rate|confirm"));

        // Asking changes nothing and names the measure; confirming archives it with its data.
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("Delete the measure “Reopened tickets”?", question, StringComparison.Ordinal);
        Assert.Contains("Yes, delete", question, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var editor = _app.Services.GetRequiredService<ScorecardEditor>();
        var archived = await editor.ArchivedMeasuresAsync("customer-support");
        var reopen = Assert.Single(archived!, a => a.Key == "reopen-rate");
        Assert.True(reopen.Observations > 0);
        string page = WebUtility.HtmlDecode(await _app.Client.GetStringAsync(new Uri(Designer, UriKind.Relative)));
        Assert.Contains("Restore Reopened tickets", page, StringComparison.Ordinal);

        using var restored = await PostAsync(Designer, await FormAsync(Designer, "design"), ("op", "restore-measure|reopen-rate"));

        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Contains("Restored with its data: “Reopened tickets”.", WebUtility.HtmlDecode(await restored.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Contains((await editor.GetAsync("customer-support"))!.Scorecard.AllMeasures(), m => m.Id == "reopen-rate");
        Assert.DoesNotContain((await editor.ArchivedMeasuresAsync("customer-support"))!, a => a.Key == "reopen-rate");
    }

    [Fact]
    public async Task Done_ShowsOnlyKnownMessages_WithTheItemsName()
    {
        string saved = WebUtility.HtmlDecode(await _app.Client.GetStringAsync(new Uri(Designer + "?done=saved&item=fast-answers", UriKind.Relative)));
        string crafted = WebUtility.HtmlDecode(await _app.Client.GetStringAsync(new Uri(Designer + "?done=Your+account+is+locked,+call+555", UriKind.Relative)));

        Assert.Contains("Saved “Answer quickly”.", saved, StringComparison.Ordinal);
        Assert.DoesNotContain("call 555", crafted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewScorecard_FromABadFile_ListsEveryErrorWithItsLine_AndCreatesNothing_AndFromAGoodOne_OpensTheDesigner()
    {
        var form = await FormAsync("/new-scorecard", "file");
        const string bad = "openbsc: 1\nscorecard:\n  id: Bad Id\n  name: Bad\n  perspectives:\n    - { id: p, name: P, wieght: 2 }\n";
        const string good = "openbsc: 1\nscorecard:\n  id: uploaded\n  name: Uploaded card\n  perspectives:\n    - id: customer\n      name: Customer\n      objectives:\n        - { id: loyal, name: Loyal, measures: [{ id: nps, name: NPS, baseline: 0, target: 40 }] }\nobservations:\n  - { measure: nps, period: 2026-01, value: 30 }\n";

        using var refused = await UploadAsync(form, "bad.yaml", bad);
        using var created = await UploadAsync(await FormAsync("/new-scorecard", "file"), "good.yaml", good);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        string html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("bad.yaml:3:", html, StringComparison.Ordinal);
        Assert.Contains("bad.yaml:6:", html, StringComparison.Ordinal);
        Assert.Contains("did you mean 'weight'", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("Design Uploaded card", WebUtility.HtmlDecode(await created.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var stored = await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("uploaded");
        Assert.NotNull(stored);
        Assert.Null(await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("bad-id"));
    }

    [Fact]
    public async Task DesignerPost_WithoutTheAntiforgeryToken_IsRefused()
    {
        long before = (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Version;

        using var response = await _app.Client.PostAsync(new Uri(Designer, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "design",
            ["op"] = "add-perspective",
            ["new-perspective"] = "Forged",
            ["version"] = before.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Version);
    }

    /// <summary>The hidden and text fields of the page's form named <paramref name="handler"/> (token, version, current values).</summary>
    private async Task<Dictionary<string, string>> FormAsync(string page, string handler)
    {
        string html = await _app.Client.GetStringAsync(new Uri(page, UriKind.Relative));
        int start = html.IndexOf($"value=\"{handler}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no form '{handler}' on {page}");
        int formStart = html.LastIndexOf("<form", start, StringComparison.Ordinal);
        int formEnd = html.IndexOf("</form>", start, StringComparison.Ordinal);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputPattern().Matches(html[formStart..formEnd]))
        {
            fields[WebUtility.HtmlDecode(input.Groups["name"].Value)] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        Assert.Contains("__RequestVerificationToken", fields.Keys);
        return fields;
    }

    private Task<HttpResponseMessage> PostAsync(string page, Dictionary<string, string> form, params (string Name, string Value)[] changes)
    {
        var fields = new Dictionary<string, string>(form, StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            fields[name] = value;
        }

        return _app.Client.PostAsync(new Uri(page, UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    private Task<HttpResponseMessage> UploadAsync(Dictionary<string, string> form, string name, string text)
    {
        var content = new MultipartFormDataContent();
        foreach (var (key, value) in form)
        {
            content.Add(new StringContent(value), key);
        }

        content.Add(new StringContent(text), "file", name);
        return _app.Client.PostAsync(new Uri("/new-scorecard", UriKind.Relative), content);
    }

    [GeneratedRegex(@"<input\b(?=[^>]*\bname=""(?<name>[^""]+)"")(?:(?=[^>]*\bvalue=""(?<value>[^""]*)""))?[^>]*>")]
    private static partial Regex InputPattern();
}
