using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OpenBsc.IntegrationTests.Observations;

/// <summary>The observation-file endpoints over real HTTP: status codes and problem-details bodies.</summary>
public abstract class ObservationFilesApiTests(ObservationsApp fixture)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite(SqliteObservationsApp app) : ObservationFilesApiTests(app), IClassFixture<SqliteObservationsApp>;

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres(PostgresObservationsApp app) : ObservationFilesApiTests(app), IClassFixture<PostgresObservationsApp>;

    private HttpClient Client => fixture.App.Client;

    private static string Token(string page)
    {
        var match = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        Assert.True(match.Success, "the page has an antiforgery token");
        return match.Groups[1].Value;
    }

    private static Uri ImportUri(string key) => new($"/api/v1/scorecards/{key}/observations/import", UriKind.Relative);

    [Fact]
    public async Task Import_CsvBody_Returns200WithTheSummary()
    {
        string key = await fixture.NewScorecardAsync();
        using var body = new StringContent("measure,period,value\ncsat,2026-01,71\nnps,2026-01,5\n", Encoding.UTF8, "text/csv");

        using var response = await Client.PostAsync(ImportUri(key), body);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((2, 1, 1, 0), (json.RootElement.GetProperty("rows").GetInt32(), json.RootElement.GetProperty("added").GetInt32(), json.RootElement.GetProperty("corrected").GetInt32(), json.RootElement.GetProperty("unchanged").GetInt32()));
        Assert.Equal(3, (await fixture.RowsAsync(key)).Count);
    }

    [Fact]
    public async Task Import_MultipartXlsx_Returns200()
    {
        string key = await fixture.NewScorecardAsync();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(ObservationFileTests.Workbook(["measure", "period", "value"], ["nps", "2026-04", 9d]));
        form.Add(file, "file", "april.xlsx");

        using var response = await fixture.App.PostFromSiteAsync(Client, ImportUri(key).OriginalString, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(await fixture.RowsAsync(key), r => r is { MeasureKey: "nps", Period: "2026-04", Value: 9 });
    }

    [Fact]
    public async Task Import_BadRows_Returns422ListingEachAndStoresNothing()
    {
        string key = await fixture.NewScorecardAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("measure,period,value\ncsat,2026-01,80\ncsta,2026-02,1\ncsat,2026-14,x\n"), "file", "bad.csv");

        using var response = await fixture.App.PostFromSiteAsync(Client, ImportUri(key).OriginalString, form);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3, problem.RootElement.GetProperty("errorCount").GetInt32());
        var errors = problem.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal((3, "measure", "csta"), (errors[0].GetProperty("row").GetInt32(), errors[0].GetProperty("column").GetString(), errors[0].GetProperty("value").GetString()));
        Assert.Contains("did you mean 'csat'?", errors[0].GetProperty("expected").GetString(), StringComparison.Ordinal);
        Assert.Equal(("period", "value"), (errors[1].GetProperty("column").GetString(), errors[2].GetProperty("column").GetString()));
        Assert.Single(await fixture.RowsAsync(key));
    }

    [Fact]
    public async Task Import_ZipBomb_Returns413()
    {
        string key = await fixture.NewScorecardAsync();
        var bomb = new MemoryStream();
        using (var zip = new ZipArchive(bomb, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            sheet.Write(new byte[32 << 20]);
        }

        using var body = new ByteArrayContent(bomb.ToArray());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        using var response = await Client.PostAsync(ImportUri(key), body);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("zip bomb", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_UnknownScorecard_Returns404()
    {
        using var body = new StringContent("measure,period,value\n", Encoding.UTF8, "text/csv");

        using var response = await Client.PostAsync(ImportUri("no-such-card"), body);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no-such-card", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OtherContentType_Returns415()
    {
        string key = await fixture.NewScorecardAsync();
        using var body = new StringContent("{}", Encoding.UTF8, "application/json");

        using var response = await Client.PostAsync(ImportUri(key), body);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Export_Csv_StreamsTheCurrentValuesAsAnAttachment()
    {
        string key = await fixture.NewScorecardAsync();

        using var response = await Client.GetAsync(new Uri($"/api/v1/scorecards/{key}/observations/export?format=csv", UriKind.Relative));
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{key}-observations.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("measure,period,value,note,segment\r\ncsat,2026-01,70,,\r\n", text.TrimStart('\uFEFF'));
    }

    [Fact]
    public async Task Export_Xlsx_IsAWorkbook()
    {
        string key = await fixture.NewScorecardAsync();

        byte[] xlsx = await Client.GetByteArrayAsync(new Uri($"/api/v1/scorecards/{key}/observations/export?format=xlsx&history=true", UriKind.Relative));
        var rows = ObservationFileTests.ReadWorkbook(xlsx);

        Assert.Equal(10, rows[0].Count);
        Assert.Equal(["csat", "2026-01", "70"], rows[1].Take(3).Select(c => c.Text));
    }

    [Theory]
    [InlineData("/api/v1/scorecards/{key}/observations/export?format=pdf", HttpStatusCode.BadRequest, "'pdf' is not a format")]
    [InlineData("/api/v1/scorecards/no-such-card/observations/export", HttpStatusCode.NotFound, "There is no scorecard 'no-such-card'")]
    public async Task Export_BadRequest_ReturnsProblemDetails(string path, HttpStatusCode status, string detail)
    {
        string key = await fixture.NewScorecardAsync();

        using var response = await Client.GetAsync(new Uri(path.Replace("{key}", key, StringComparison.Ordinal), UriKind.Relative));

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(detail, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportPage_IsNotCachedAndLinksTheExports()
    {
        string key = await fixture.NewScorecardAsync();

        string first = await Client.GetStringAsync(new Uri($"/scorecards/{key}/import", UriKind.Relative));
        string second = await Client.GetStringAsync(new Uri($"/scorecards/{key}/import", UriKind.Relative));
        string dashboard = await Client.GetStringAsync(new Uri($"/scorecards/{key}", UriKind.Relative));

        Assert.Contains($"/api/v1/scorecards/{key}/observations/export?format=xlsx", first, StringComparison.Ordinal);
        // A cached page would hand every visitor the first visitor's antiforgery token: each render has its own.
        Assert.NotEqual(Token(first), Token(second));
        Assert.Contains($"href=\"/scorecards/{key}/import\"", dashboard, StringComparison.Ordinal);
    }
}
