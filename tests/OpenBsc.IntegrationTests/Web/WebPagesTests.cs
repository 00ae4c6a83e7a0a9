using System.Net;
using System.Xml.Linq;

namespace OpenBsc.IntegrationTests.Web;

/// <summary>The server-rendered pages over real HTTP on a real SQLite file with the demo organisation.</summary>
public abstract class WebPagesTests(DemoAppFixture fixture)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite(SqliteDemoApp app) : WebPagesTests(app), IClassFixture<SqliteDemoApp>;

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres(PostgresDemoApp app) : WebPagesTests(app), IClassFixture<PostgresDemoApp>;

    private const string Company = "northwind-2026";
    private const string Support = "customer-support";

    private HttpClient Client => fixture.App.Client;

    private async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Organisation_ListsEveryScorecardAndHowTheyCascade()
    {
        var (status, html) = await GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Northwind company scorecard", html, StringComparison.Ordinal);
        Assert.Contains("Customer Support Scorecard", html, StringComparison.Ordinal);
        Assert.Contains("Takes contributions from", html, StringComparison.Ordinal);
        Assert.Contains($"/scorecards/{Support}/objectives/loyal-customers", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ShowsTheTreeWithStatusInWordsAndCounts()
    {
        var (status, html) = await GetAsync($"/scorecards/{Company}?period=2026-06");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("June 2026", html, StringComparison.Ordinal);
        foreach (string perspective in new[] { "Financial", "Customer", "Internal Process", "Learning &amp; Growth" })
        {
            Assert.Contains(perspective, html, StringComparison.Ordinal);
        }

        Assert.Contains("Keep customers loyal", html, StringComparison.Ordinal);
        Assert.Matches(@"status-(green|yellow|red)"".*?(Green|Yellow|Red)", html);
        Assert.Matches(@"\d+ of \d+", html);
        Assert.Contains("from Customer Support Scorecard", html, StringComparison.Ordinal);
        Assert.Contains("cfo@example.org", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ShowsCustomerCoverage()
    {
        var (_, html) = await GetAsync($"/scorecards/{Support}?period=2026-06");

        Assert.Contains("Customer coverage", html, StringComparison.Ordinal);
        Assert.Matches("class=\"(covered|missing)\"", html);
    }

    [Fact]
    public async Task Dashboard_PeriodAndYearToDate_ChangeWhatIsShown()
    {
        var (_, quarter) = await GetAsync($"/scorecards/{Support}?period=2026-Q2");
        var (_, ytd) = await GetAsync($"/scorecards/{Support}?period=2026-06&ytd=true");

        Assert.Contains("Q2 2026", quarter, StringComparison.Ordinal);
        Assert.Contains("June 2026, year to date", ytd, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_StatusFilter_ShowsOnlyMatchingMeasures()
    {
        var (_, html) = await GetAsync($"/scorecards/{Support}?period=2026-06&status=Red");

        Assert.Contains("measures match the filters", html, StringComparison.Ordinal);
        var rows = System.Text.RegularExpressions.Regex.Matches(html, @"class=""row kind-measure[^""]*""[^>]*>.*?</div>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains("status-red", r.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownScorecard_Is404SayingWhatWasNotFoundWithALinkBack()
    {
        var (status, html) = await GetAsync("/scorecards/no-such-card");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("There is no scorecard &#x27;no-such-card&#x27;", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/scorecards/customer-support/objectives/nope", "has no objective")]
    [InlineData("/scorecards/customer-support/measures/nope", "has no measure")]
    public async Task UnknownObjectiveOrMeasure_Is404(string path, string message)
    {
        var (status, html) = await GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Contains("Back to the scorecard", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPage_Is404()
    {
        var (status, html) = await GetAsync("/nothing/here");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Page not found", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/scorecards/customer-support?period=2026-13")]
    [InlineData("/scorecards/customer-support/map?period=Q3")]
    [InlineData("/scorecards/customer-support/measures/csat?period=last-month")]
    public async Task InvalidPeriod_Is400NamingTheAcceptedForms(string path)
    {
        var (status, html) = await GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("is not a period", html, StringComparison.Ordinal);
        Assert.Contains("2026-Q1", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StrategyMap_DrawsEveryObjectiveLinkedToItsPage()
    {
        var (status, html) = await GetAsync($"/scorecards/{Company}/map?period=2026-06");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        foreach (string name in new[] { "Grow revenue profitably", "Keep customers loyal", "Deliver excellent service", "Engaged, capable people" })
        {
            Assert.Contains(name, html, StringComparison.Ordinal);
        }

        Assert.Contains($"/scorecards/{Company}/objectives/loyal-customers?period=2026-06", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StrategyMapSvg_DownloadsAsAStandaloneSvg()
    {
        using var response = await Client.GetAsync(new Uri($"/scorecards/{Company}/map.svg?period=2026-Q2", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Contains("Reduce the cost to serve", svg.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObjectivePage_ListsCascadedContributions()
    {
        var (status, html) = await GetAsync($"/scorecards/{Company}/objectives/excellent-service?period=2026-06");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Answer quickly", html, StringComparison.Ordinal);
        Assert.Contains("Solve it right the first time", html, StringComparison.Ordinal);
        Assert.Contains("contributed by Customer Support Scorecard", html, StringComparison.Ordinal);
        Assert.Contains("Drives", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeasurePage_ShowsDefinitionChartAndHistory()
    {
        var (status, html) = await GetAsync($"/scorecards/{Support}/measures/first-response-hours?period=2026-06");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("First response time", html, StringComparison.Ordinal);
        Assert.Contains("thresholds: goal 2 h", html, StringComparison.Ordinal);
        Assert.Contains("lower is better", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("2026-06", html, StringComparison.Ordinal);
        Assert.Contains("Entered by", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SegmentedMeasure_DashboardShowsEachSeries_AndItsPageListsThemWithOwnTargets()
    {
        var (_, dashboard) = await GetAsync($"/scorecards/{Support}?period=2026-06");
        var (status, html) = await GetAsync($"/scorecards/{Support}/measures/csat?period=2026-06");

        Assert.Contains("data-id=\"csat@dealers\"", dashboard, StringComparison.Ordinal);
        Assert.Contains("/measures/csat?period=2026-06#segment-dealers", dashboard, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("By segment", html, StringComparison.Ordinal);
        Assert.Contains("id=\"segment-dealers\"", html, StringComparison.Ordinal);
        Assert.Contains("<td>partner</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>82%</td>", html, StringComparison.Ordinal); // the dealers' own target
    }

    [Fact]
    public async Task Reports_PdfXlsxAndPrintablePage_AreServedForThePeriod()
    {
        using var pdf = await Client.GetAsync(new Uri($"/scorecards/{Support}/report.pdf?period=2026-06", UriKind.Relative));
        using var xlsx = await Client.GetAsync(new Uri($"/scorecards/{Support}/report.xlsx?period=2026-06", UriKind.Relative));
        using var html = await Client.GetAsync(new Uri($"/scorecards/{Support}/report.html?period=2026-06", UriKind.Relative));
        using var unknown = await Client.GetAsync(new Uri($"/scorecards/{Support}/report.docx", UriKind.Relative));

        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);
        Assert.Equal("customer-support-2026-06.pdf", pdf.Content.Headers.ContentDisposition?.FileNameStar ?? pdf.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        string page = await html.Content.ReadAsStringAsync();
        Assert.Contains("<style>", page, StringComparison.Ordinal);
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        Assert.Contains("June 2026", page, StringComparison.Ordinal);
        // Its own style element is allowed, and nothing else: no script at all.
        string policy = html.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'unsafe-inline'", policy, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task CalculatedMeasurePage_ShowsItsFormula()
    {
        var (_, html) = await GetAsync($"/scorecards/{Support}/measures/nps");

        Assert.Contains("[promoters-pct] - [detractors-pct]", html, StringComparison.Ordinal);
        Assert.Contains("Calculated from other measures", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_AreServed()
    {
        using var css = await Client.GetAsync(new Uri("/assets/app.css", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }
}
