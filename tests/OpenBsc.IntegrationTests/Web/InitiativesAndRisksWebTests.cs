using System.Net;
using System.Text.Json.Nodes;

namespace OpenBsc.IntegrationTests.Web;

/// <summary>The initiatives and risk-register pages, risks beside the objective, and their read API, on the demo organisation.</summary>
public abstract class InitiativesAndRisksWebTests(DemoAppFixture fixture)
{
    public sealed class OnSqlite(SqliteDemoApp app) : InitiativesAndRisksWebTests(app), IClassFixture<SqliteDemoApp>;

    public sealed class OnPostgres(PostgresDemoApp app) : InitiativesAndRisksWebTests(app), IClassFixture<PostgresDemoApp>;

    private const string Company = "northwind-2026";
    private const string Support = "customer-support";

    private HttpClient Client => fixture.App.Client;

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Row(string html, string id)
    {
        int start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no element {id}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task InitiativesPage_AtAPeriod_ShowsStatusMilestonesTimelineAndCosts()
    {
        var (status, html) = await GetAsync($"/scorecards/{Company}/initiatives?period=2026-07");

        Assert.Equal(HttpStatusCode.OK, status);
        // Ended 2026-06-30 at 90 %: late at the end of July; its last milestone is overdue.
        string portal = Row(html, "initiative-dealer-portal");
        Assert.Contains("data-status=\"Late\"", portal, StringComparison.Ordinal);
        Assert.Contains("All dealers onboarded — due 2026-06-30, overdue", portal, StringComparison.Ordinal);
        Assert.Contains("Ordering live for pilot dealers — due 2025-12-15, done 2026-01-20 (late)", portal, StringComparison.Ordinal);
        Assert.Contains("-18,000", portal, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("class=\"timeline\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"milestone overdue\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"at\"", html, StringComparison.Ordinal);
        Assert.Contains("2026-07-31</text>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"cost-perspective\" data-id=\"customer\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitiativesPage_EarlierPeriod_JudgesAtThatPeriodsEnd()
    {
        var (_, html) = await GetAsync($"/scorecards/{Company}/initiatives?period=2026-03");

        Assert.Contains("data-status=\"OnTrack\"", Row(html, "initiative-dealer-portal"), StringComparison.Ordinal);
        Assert.Contains("All dealers onboarded — due 2026-06-30, upcoming", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RisksPage_ShowsTheHeatMapAndTheRegisterWithLevels()
    {
        var (status, html) = await GetAsync($"/scorecards/{Support}/risks?period=2026-09");

        Assert.Equal(HttpStatusCode.OK, status);
        // support-backlog: inherent 4 × 3 = 12 high, residual 3 × 3 = 9 medium, target 2 × 3 = 6.
        int cell = html.IndexOf("data-cell=\"3-3\"", StringComparison.Ordinal);
        Assert.True(cell > 0);
        Assert.Contains("href=\"#risk-support-backlog\"", html[cell..html.IndexOf("</td>", cell, StringComparison.Ordinal)], StringComparison.Ordinal);
        string backlog = Row(html, "risk-support-backlog");
        Assert.Contains("12 <span class=\"word\">high</span>", backlog, StringComparison.Ordinal);
        Assert.Contains("9 <span class=\"word\">medium</span>", backlog, StringComparison.Ordinal);
        Assert.Contains("above target", backlog, StringComparison.Ordinal);
        Assert.Contains("review due", backlog, StringComparison.Ordinal);
        Assert.Contains($"/scorecards/{Support}/initiatives?period=2026-09#initiative-agent-academy", backlog, StringComparison.Ordinal);
        Assert.Contains("Agent academy", backlog, StringComparison.Ordinal);
        // Highest current level first.
        Assert.True(html.IndexOf("id=\"risk-support-backlog\"", StringComparison.Ordinal) < html.IndexOf("id=\"risk-portal-adoption\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ObjectivePage_ListsTheRisksBesideTheObjective()
    {
        var (_, html) = await GetAsync($"/scorecards/{Company}/objectives/win-customers?period=2026-06");

        string churn = Row(html, "risk-dealer-churn");
        Assert.Contains("Churn of dealer partners after the price change", churn, StringComparison.Ordinal);
        Assert.Contains("20 <span class=\"word\">critical</span>", churn, StringComparison.Ordinal);
        Assert.Contains("15 <span class=\"word\">high</span>", churn, StringComparison.Ordinal);
        Assert.Contains("Dealer portal", churn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ObjectiveWithRisks_ShowsItsHighestCurrentLevel()
    {
        var (_, html) = await GetAsync($"/scorecards/{Company}?period=2026-06");

        int link = html.IndexOf($"href=\"/scorecards/{Company}/objectives/win-customers?period=2026-06#risks-title\"", StringComparison.Ordinal);
        Assert.True(link > 0, "no risk badge beside win-customers");
        Assert.Contains("band-high", html[link..html.IndexOf("</a>", link, StringComparison.Ordinal)], StringComparison.Ordinal);
        // A cascaded objective shows the risks of its own scorecard (support-backlog: residual 3 × 3 = 9).
        int cascaded = html.IndexOf($"href=\"/scorecards/{Support}/objectives/fast-answers?period=2026-06#risks-title\"", StringComparison.Ordinal);
        Assert.True(cascaded > 0, "no risk badge beside the cascaded fast-answers");
        Assert.Contains("band-medium", html[cascaded..html.IndexOf("</a>", cascaded, StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains($"/scorecards/{Company}/risks?period=2026-06", html, StringComparison.Ordinal);
        Assert.Contains($"/scorecards/{Company}/initiatives?period=2026-06", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitiativePlanApi_SplitsCostEvenlyAcrossObjectives()
    {
        var (status, body) = await GetAsync($"/api/v1/scorecards/{Support}/initiative-plan?period=2026-06");

        Assert.Equal(HttpStatusCode.OK, status);
        var plan = JsonNode.Parse(body)!;
        Assert.Equal("2026-06-30", (string?)plan["at"]);
        var portal = plan["initiatives"]!.AsArray().Single(i => (string?)i!["id"] == "self-service")!;
        Assert.Equal(("OnTrack", 22000.0), ((string?)portal["status"], (double)portal["variance"]!));
        Assert.Equal("Done", (string?)portal["milestones"]![0]!["status"]);
        Assert.Equal("Upcoming", (string?)portal["milestones"]![3]!["status"]);
        // self-service (120,000 / 98,000) serves a financial and an internal objective: half each.
        var financial = plan["costs"]!["perspectives"]!.AsArray().Single(p => (string?)p!["id"] == "financial")!;
        Assert.Equal((60000.0, 49000.0, 11000.0), ((double)financial["budget"]!, (double)financial["actual"]!, (double)financial["variance"]!));
        Assert.Equal((165000.0, 119000.0), ((double)plan["costs"]!["total"]!["budget"]!, (double)plan["costs"]!["total"]!["actual"]!));
    }

    [Fact]
    public async Task RiskRegisterApi_OrdersByCurrentLevel_AndRejectsABadPeriod()
    {
        var (status, body) = await GetAsync($"/api/v1/scorecards/{Support}/risk-register?period=2026-06");
        var (badStatus, badBody) = await GetAsync($"/api/v1/scorecards/{Support}/risk-register?period=2026-13");

        Assert.Equal(HttpStatusCode.OK, status);
        var register = JsonNode.Parse(body)!;
        var first = register["risks"]![0]!;
        Assert.Equal(("support-backlog", 9, "Medium", false), ((string?)first["id"], (int)first["current"]!["level"]!, (string?)first["current"]!["band"], (bool)first["reviewDue"]!));
        Assert.Equal(25, register["heatMap"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.NotNull(JsonNode.Parse(badBody)!["errors"]!["period"]);
    }

    [Fact]
    public async Task RisksPage_UnknownScorecard_Is404()
    {
        var (status, _) = await GetAsync("/scorecards/nothing-here/risks");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
