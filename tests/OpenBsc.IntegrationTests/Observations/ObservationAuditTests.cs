using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Scorecards;
using OpenBsc.IntegrationTests.Cli;
using OpenBsc.IntegrationTests.DataEntry;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Observations;

/// <summary>
/// Every way values arrive — the data-entry grid, the API, a CSV and an XLSX file, a scorecard file — goes through the
/// one ledger: each write leaves exactly one audit entry, naming the user and the number of rows (docs/security.md).
/// </summary>
public abstract partial class ObservationAuditTests(DatabaseProvider provider)
{
    /// <summary>On the embedded SQLite file.</summary>
    public sealed class OnSqlite() : ObservationAuditTests(DatabaseProvider.Sqlite);

    /// <summary>On PostgreSQL.</summary>
    public sealed class OnPostgres() : ObservationAuditTests(DatabaseProvider.Postgres);

    [Fact]
    public async Task EveryWritePath_LeavesExactlyOneAuditEntry_NamingTheUserAndTheRowCount()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        await app.Services.GetRequiredService<ScorecardImport>().ImportAsync([GridDatabase.Card()], new Dictionary<string, string>(), "Test org", "loader", "first load");
        await AssertOneEntryAsync(app, "system", rows: GridDatabase.Card().Observations.Count, source: "first load");

        // The grid: two cells in one form post.
        var form = await GridFormAsync(app.Client);
        form["v|calls|2026-04"] = "110";
        form["v|csat|2026-04"] = "81";
        using (var grid = await app.Client.PostAsync(new Uri("/scorecards/ops/data?range=2026", UriKind.Relative), new FormUrlEncodedContent(form)))
        {
            Assert.Contains("Saved 2 values.", WebUtility.HtmlDecode(await grid.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        await AssertOneEntryAsync(app, RunningApp.AdminName, rows: 2, source: "grid");

        // The API: one value.
        using (var api = await app.Client.PostAsJsonAsync("/api/v1/scorecards/ops/measures/calls/observations", new { period = "2026-05", value = 5 }))
        {
            Assert.Equal(HttpStatusCode.Created, api.StatusCode);
        }

        await AssertOneEntryAsync(app, RunningApp.AdminName, rows: 1, source: "api");

        // A CSV file of three rows (one of them a correction).
        using (var csv = await app.Client.PostAsync("/api/v1/scorecards/ops/observations/import?file=values.csv", new StringContent("measure,period,value\ncalls,2026-06,6\ncalls,2026-07,7\ncalls,2026-05,55\n", Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        }

        await AssertOneEntryAsync(app, RunningApp.AdminName, rows: 3, source: "import values.csv");

        // An XLSX file of two rows, uploaded as a form.
        using (var upload = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent(ObservationFileTests.Workbook(["measure", "period", "value"], ["csat", "2026-06", 70.0], ["csat", "2026-07", 71.0]));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            upload.Add(file, "file", "values.xlsx");
            using var xlsx = await app.PostFromSiteAsync(app.Client, "/api/v1/scorecards/ops/observations/import", upload);
            Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        }

        await AssertOneEntryAsync(app, RunningApp.AdminName, rows: 2, source: "import values.xlsx");

        // A scorecard file of four values from the command line, as the operating-system user.
        string folder = Directory.CreateTempSubdirectory("openbsc-audit-").FullName;
        try
        {
            var card = GridDatabase.Card();
            string path = Path.Combine(folder, "ops.json");
            await File.WriteAllTextAsync(path, ScorecardFileWriter.ToJson(card with { Observations = [.. card.Observations, new Observation("calls", Domain.Periods.Period.Parse("2026-08"), 8)] }));
            var import = provider == DatabaseProvider.Postgres
                ? OpenBscCli.Run("import", path, "--db", "postgres", "--connection", app.DatabaseConnection!)
                : OpenBscCli.Run("import", path, "--data", app.DataDirectory);
            Assert.True(import.ExitCode == 0, import.Out + import.Error);
            Assert.Contains("1 observations added", import.Out, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        await AssertOneEntryAsync(app, "cli:" + Environment.UserName, rows: GridDatabase.Card().Observations.Count + 1, source: "import ops.json");
    }

    private int _seen;

    /// <summary>Exactly one new audit entry for observations since the last call: by the user, with the rows written.</summary>
    private async Task AssertOneEntryAsync(RunningApp app, string actor, int rows, string source)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditLog.AsNoTracking().Where(a => a.Action.StartsWith("observation")).OrderBy(a => a.Id).ToListAsync();
        var added = entries.Skip(_seen).ToList();
        _seen = entries.Count;
        var entry = Assert.Single(added);
        Assert.Equal(("observations.written", actor, "ops"), (entry.Action, entry.Actor, entry.Scorecard));
        var after = JsonNode.Parse(entry.After!)!;
        Assert.Equal((rows, source), ((int)after["Rows"]!, (string)after["Source"]!));
    }

    private static async Task<Dictionary<string, string>> GridFormAsync(HttpClient client)
    {
        string html = await client.GetStringAsync(new Uri("/scorecards/ops/data?range=2026", UriKind.Relative));
        string form = html[html.IndexOf("data-entry-form", StringComparison.Ordinal)..];
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputPattern().Matches(form))
        {
            fields[WebUtility.HtmlDecode(input.Groups["name"].Value)] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        return fields;
    }

    [GeneratedRegex(@"<input\b(?=[^>]*\bname=""(?<name>[^""]+)"")(?:(?=[^>]*\bvalue=""(?<value>[^""]*)""))?[^>]*>")]
    private static partial Regex InputPattern();
}
