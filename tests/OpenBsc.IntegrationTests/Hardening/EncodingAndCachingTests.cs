using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Hardening;

/// <summary>
/// Defect 14: a UTF-16 CSV is read as what it is when it says so (its byte-order mark) and refused with a clear message
/// when it does not; and no response holding an organisation's data is kept by a browser or proxy.
/// </summary>
public sealed class EncodingAndCachingTests
{
    private const string Import = "/api/v1/scorecards/customer-support/observations/import";

    [Fact]
    public async Task Utf16Csv_WithItsByteOrderMark_Imports_AndWithoutOne_IsRefusedSayingHowToSaveIt()
    {
        await using var app = await RunningApp.StartAsync();
        const string csv = "measure,period,value,note\ncost-per-ticket,2043-01,4.5,Zürich café\n";

        using var withMark = await app.Client.PostAsync(Import, new ByteArrayContent([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(csv)]) { Headers = { { "Content-Type", "text/csv" } } });
        using var bigEndian = await app.Client.PostAsync(Import, new ByteArrayContent([.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(csv.Replace("2043-01", "2043-02", StringComparison.Ordinal))]) { Headers = { { "Content-Type", "text/csv" } } });
        // Without a mark: plain ASCII reads as letters with NUL characters between them; other letters are not UTF-8.
        using var withoutMark = await app.Client.PostAsync(Import, new ByteArrayContent(Encoding.Unicode.GetBytes("measure,period,value\ncost-per-ticket,2043-03,1\n")) { Headers = { { "Content-Type", "text/csv" } } });
        using var accented = await app.Client.PostAsync(Import, new ByteArrayContent(Encoding.Unicode.GetBytes(csv.Replace("2043-01", "2043-04", StringComparison.Ordinal))) { Headers = { { "Content-Type", "text/csv" } } });

        Assert.Equal(HttpStatusCode.OK, withMark.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bigEndian.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, withoutMark.StatusCode);
        var problem = JsonNode.Parse(await withoutMark.Content.ReadAsStringAsync())!;
        Assert.Contains("looks like UTF-16 saved without one", (string)problem["errors"]![0]!["expected"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, accented.StatusCode);
        Assert.Contains("save it as CSV UTF-8", await accented.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = await app.Services.GetRequiredService<SystemDbContexts>().CreateDbContextAsync();
        var stored = await db.Observations.Where(o => o.Period.StartsWith("2043")).OrderBy(o => o.Period).Select(o => new { o.Period, o.Note }).ToListAsync();
        Assert.Equal([("2043-01", "Zürich café"), ("2043-02", "Zürich café")], stored.Select(s => (s.Period, s.Note!)));
    }

    [Theory]
    [InlineData("/api/v1/scorecards/customer-support")]
    [InlineData("/api/v1/scorecards/customer-support/observations/export?format=csv")]
    [InlineData("/api/v1/scorecards/customer-support/observations/export?format=xlsx")]
    [InlineData("/scorecards/customer-support/map.svg")]
    [InlineData("/scorecards/customer-support")]
    [InlineData("/api/v1/no-such-thing")]
    public async Task DataResponses_AreNotKeptByBrowsersOrProxies(string url)
    {
        await using var app = await RunningApp.StartAsync();

        using var response = await app.Client.GetAsync(url);

        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{url}: Cache-Control {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task PublicAssets_KeepTheirOwnCaching()
    {
        await using var app = await RunningApp.StartAsync(demo: false);

        using var response = await app.NewClient().GetAsync("/assets/app.css");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.Public, $"{response.Headers.CacheControl}");
    }
}
