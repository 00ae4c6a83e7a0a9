using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;

namespace OpenBsc.IntegrationTests.Web;

/// <summary>Analysis, what-if and their API over real HTTP on the demo organisation.</summary>
public abstract class AnalyticsWebTests(DemoAppFixture fixture)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite(SqliteDemoApp app) : AnalyticsWebTests(app), IClassFixture<SqliteDemoApp>;

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres(PostgresDemoApp app) : AnalyticsWebTests(app), IClassFixture<PostgresDemoApp>;

    private HttpClient Client => fixture.App.Client;

    [Fact]
    public async Task AnalysisPage_ShowsForecastsLinkVerdictsPerformersAndWeights()
    {
        using var response = await Client.GetAsync(new Uri("/scorecards/northwind-2026/analysis?period=2026-06", UriKind.Relative));
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Predicted to miss the target", html, StringComparison.Ordinal);
        Assert.Contains("Engaged, capable people → Deliver excellent service", html, StringComparison.Ordinal);
        Assert.Matches("(supported|weak|contradicted|not enough data)", html);
        Assert.Contains("Best and worst performers", html, StringComparison.Ordinal);
        Assert.Contains("weight in the whole scorecard", html, StringComparison.Ordinal);
        // Periods read as people say them, not as keys: the forecasts' target dates and the window's start.
        Assert.Contains("<td>December 2026</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>2026-12</td>", html, StringComparison.Ordinal);
        Assert.Matches(@"What the data says about June 2026, from [A-Z][a-z]+ \d{4} on\.", html);
    }

    [Fact]
    public async Task MeasurePage_ShowsTheForecast()
    {
        string html = await Client.GetStringAsync(new Uri("/scorecards/customer-support/measures/resolution-hours?period=2026-06", UriKind.Relative));

        // The period by its name, and a space before what follows (Blazor drops whitespace before a block).
        Assert.Contains("Forecast for December 2026:</strong> ", html, StringComparison.Ordinal);
        Assert.Matches("</a> (›|&#x203A;) <span>[^<]+</span></nav>", html);
        Assert.Contains("80% interval", html, StringComparison.Ordinal);
        Assert.Matches("(on track|predicted to miss)", html);
    }

    [Fact]
    public async Task MeasurePage_ShowsExpectedProgressOfAPlan()
    {
        string html = await Client.GetStringAsync(new Uri("/scorecards/customer-support/measures/self-service-share?period=2026-06", UriKind.Relative));

        Assert.Contains("Expected progress:", html, StringComparison.Ordinal);
        Assert.Contains("the plan expects 25%", html, StringComparison.Ordinal);
        Assert.Contains("milestones 20% by 2026-03-31", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StrategyMap_DrawsTheDataSupportOfLinks()
    {
        string html = await Client.GetStringAsync(new Uri("/scorecards/customer-support/map?period=2026-06", UriKind.Relative));

        Assert.Contains("class=\"link-strength\"", html, StringComparison.Ordinal);
        Assert.Contains("(data: r = ", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatIfPage_ShowsAffectedRollupsAndStoresNothing()
    {
        long before = await ObservationCountAsync();

        using var response = await Client.GetAsync(new Uri("/scorecards/customer-support/what-if?period=2026-06&measure=first-contact-resolution&value=99", UriKind.Relative));
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("First-contact resolution were 99", html, StringComparison.Ordinal);
        Assert.Contains("Solve it right the first time", html, StringComparison.Ordinal);
        Assert.Contains("Customer Support Scorecard", html, StringComparison.Ordinal);
        Assert.Equal(before, await ObservationCountAsync());
    }

    [Theory]
    [InlineData("measure=nope&value=1", "not a measure")]
    [InlineData("measure=first-contact-resolution&value=lots", "is not a number")]
    [InlineData("measure=csat&weight=-1", "Check the weight")]
    [InlineData("measure=csat", "Give a value")]
    [InlineData("measure=csat&value=90", "tracked per segment")]
    public async Task WhatIfPage_BadInput_Is400SayingWhatToFix(string query, string message)
    {
        using var response = await Client.GetAsync(new Uri($"/scorecards/customer-support/what-if?period=2026-06&{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_Analysis_IsJsonWithVerdictsAsWords()
    {
        using var doc = JsonDocument.Parse(await Client.GetStringAsync(new Uri("/api/v1/scorecards/northwind-2026/analysis?period=2026-06", UriKind.Relative)));

        var links = doc.RootElement.GetProperty("links").EnumerateArray().ToList();
        Assert.Equal(5, links.Count);
        Assert.All(links, l => Assert.Contains(l.GetProperty("verdict").GetString(), new[] { "Supported", "Weak", "Contradicted", "NotEnoughData" }));
        Assert.NotEmpty(doc.RootElement.GetProperty("forecasts").EnumerateArray());
    }

    [Fact]
    public async Task Api_Scores_MatchTheCliContract()
    {
        using var doc = JsonDocument.Parse(await Client.GetStringAsync(new Uri("/api/v1/scorecards/customer-support/scores?period=2026-Q2", UriKind.Relative)));

        Assert.Equal("2026-Q2", doc.RootElement.GetProperty("period").GetString());
        Assert.Equal("customer-support", doc.RootElement.GetProperty("scorecard").GetProperty("id").GetString());
        Assert.True(doc.RootElement.GetProperty("nodes").GetArrayLength() > 20);
    }

    [Fact]
    public async Task Api_WhatIf_ListsChangesAndStoresNothing()
    {
        long before = await ObservationCountAsync();

        using var response = await Client.PostAsJsonAsync(new Uri("/api/v1/scorecards/customer-support/what-if", UriKind.Relative), new
        {
            period = "2026-06",
            changes = new object[] { new { measure = "reopen-rate", value = 1.0 } },
        });
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = doc.RootElement.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Contains("reopen-rate", ids);
        Assert.Contains("good-answers", ids);
        Assert.Equal(before, await ObservationCountAsync());
    }

    [Fact]
    public async Task Api_BadPeriodOrMeasure_IsProblemDetailsNamingTheField()
    {
        using var period = await Client.GetAsync(new Uri("/api/v1/scorecards/customer-support/analysis?period=2026-13", UriKind.Relative));
        using var measure = await Client.PostAsJsonAsync(new Uri("/api/v1/scorecards/customer-support/what-if", UriKind.Relative), new { period = "2026-06", changes = new object[] { new { measure = "nope", value = 1.0 } } });
        using var missing = await Client.GetAsync(new Uri("/api/v1/scorecards/nope/scores", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, period.StatusCode);
        Assert.Equal("application/problem+json", period.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"period\"", await period.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, measure.StatusCode);
        Assert.Contains("changes[0].measure", await measure.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task<long> ObservationCountAsync()
    {
        var factory = fixture.App.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await db.Observations.LongCountAsync();
    }
}
