using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Hardening;

/// <summary>
/// Malformed input gets a 4xx problem naming the field, never a 500 or an HTML page (defects 9, 10, 12): JSON of the
/// wrong shape, binding errors in the query or route, a body of the wrong media type, and pages of another
/// organisation's or a missing scorecard.
/// </summary>
public sealed class MalformedInputTests : IClassFixture<MalformedInputTests.App>
{
    private readonly App _app;

    public MalformedInputTests(App app) => _app = app;

    /// <summary>One demo app for the class: every test here only reads or is refused.</summary>
    public sealed class App : IAsyncLifetime
    {
        public RunningApp Running { get; private set; } = null!;

        public async Task InitializeAsync() => Running = await RunningApp.StartAsync();

        public async Task DisposeAsync() => await Running.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string? MediaType, JsonNode? Body)> SendAsync(HttpMethod method, string url, string? body = null, string type = "application/json", string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, type);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await _app.Running.Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        JsonNode? parsed = null;
        try
        {
            parsed = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: the assertion on the media type says so.
        }

        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, parsed);
    }

    [Theory]
    [InlineData("POST", "/api/v1/scorecards", """{"name":1}""", "name")]
    [InlineData("POST", "/api/v1/scorecards", """{"id":{}}""", "id")]
    [InlineData("POST", "/api/v1/scorecards", """{"id":"ok-id","name":["x"]}""", "name")]
    [InlineData("POST", "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations", """{"period":"","value":1}""", "period")]
    [InlineData("POST", "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations", """{"period":"   ","value":1}""", "period")]
    [InlineData("POST", "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations", """{"period":"2030-01","value":"abc"}""", "value")]
    [InlineData("POST", "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations", """{"period":7,"value":1}""", "period")]
    [InlineData("PUT", "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations/2025-01", """{"value":true,"reason":"x"}""", "value")]
    [InlineData("POST", "/api/v1/books", """{"name":"Nulls","scorecards":[null,"customer-support"]}""", "scorecards")]
    [InlineData("POST", "/api/v1/scorecards/customer-support/what-if", """{"period":"2026-01","changes":[null]}""", "changes[0]")]
    [InlineData("PUT", "/api/v1/books/1", """{"name":"Nulls","recipients":[null]}""", "recipients")]
    public async Task JsonOfTheWrongShape_Is400NamingTheField(string method, string url, string body, string field)
    {
        var (status, type, problem) = await SendAsync(new HttpMethod(method), url, body, ifMatch: "*");

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {problem}");
        Assert.Equal("application/problem+json", type);
        Assert.NotNull(problem!["errors"]?[field]);
    }

    [Theory]
    [InlineData("/api/v1/scorecards?page=1e3", "page")]
    [InlineData("/api/v1/scorecards?pageSize=many", "pageSize")]
    [InlineData("/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations?history=maybe", "history")]
    [InlineData("/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations?page=0x10", "page")]
    public async Task QueryValuesThatDoNotBind_Are400ProblemsNamingTheParameter(string url, string parameter)
    {
        var (status, type, problem) = await SendAsync(HttpMethod.Get, url);

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {problem}");
        Assert.Equal("application/problem+json", type);
        Assert.NotNull(problem!["errors"]?[parameter]);
    }

    [Fact]
    public async Task ARouteValueOfTheWrongType_IsAProblem_NotAnHtmlPage()
    {
        var (status, type, _) = await SendAsync(HttpMethod.Get, "/api/v1/scorecards/customer-support/actions/abc");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("application/problem+json", type);
    }

    [Theory]
    [InlineData("POST", "/api/v1/scorecards", "text/plain")]
    [InlineData("POST", "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations", "text/plain")]
    [InlineData("POST", "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations", "application/xml")]
    public async Task AJsonEndpointGivenAnotherMediaType_Is415(string method, string url, string type)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative)) { Content = new StringContent("""{"period":"2030-01","value":1}""", Encoding.UTF8, type) };
        request.Headers.Add("Origin", _app.Running.Origin);
        using var response = await _app.Running.Client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/scorecards/customer-support/alerts")]
    [InlineData("/scorecards/customer-support/approvals")]
    public async Task AnotherOrganisationsScorecardPages_AreNotFound_LikeAMissingOnesAndLikeEveryOtherPage(string page)
    {
        var other = await _app.Running.SignInAsync($"x{Guid.NewGuid():N}@other.example", AccessRole.Administrator, "Other Org " + Guid.NewGuid().ToString("N")[..6]);

        using var theirs = await other.GetAsync(page);
        using var missing = await _app.Running.Client.GetAsync(page.Replace("customer-support", "no-such-card", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task AddWebhookForm_PostedToAnotherOrganisationsOrAMissingScorecard_IsNotFound_NotAnError()
    {
        var other = await _app.Running.SignInAsync($"y{Guid.NewGuid():N}@other.example", AccessRole.Administrator, "Other Org " + Guid.NewGuid().ToString("N")[..6]);
        string token = await RunningApp.AntiforgeryTokenAsync(other, "/account/password");
        foreach (string key in new[] { "customer-support", "no-such-card" })
        {
            using var response = await other.PostAsync($"/scorecards/{key}/alerts", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["_handler"] = "add-hook",
                ["url"] = "https://hooks.example/x",
            }));

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }
}
