using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.IntegrationTests.Cli;
using OpenBsc.IntegrationTests.DataEntry;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Hardening;

/// <summary>
/// Text with a NUL character (U+0000) is refused at the door, naming where, on both providers alike (SQLite would
/// store it, PostgreSQL cannot); what SQLite stored before copies to PostgreSQL with the character replaced and said
/// (defect 8).
/// </summary>
public abstract class NulCharacterTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : NulCharacterTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : NulCharacterTests(DatabaseProvider.Postgres);

    [Fact]
    public async Task NulInANoteOrAName_IsRefusedNamingTheRowOrField_AndNothingIsStored()
    {
        await using var app = await RunningApp.StartAsync(provider);

        using var csv = await app.Client.PostAsync("/api/v1/scorecards/customer-support/observations/import",
            new StringContent("measure,period,value,note\ncost-per-ticket,2042-01,1,fine\ncost-per-ticket,2042-02,2,bad\0note\n", Encoding.UTF8, "text/csv"));
        var rows = JsonNode.Parse(await csv.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.UnprocessableEntity, csv.StatusCode);
        Assert.Equal((3, "note"), ((int)rows["errors"]![0]!["row"]!, (string)rows["errors"]![0]!["column"]!));

        using var api = await app.Client.PostAsync("/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations",
            new StringContent("""{"period":"2042-03","value":3,"note":"a\u0000b"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.NotNull(JsonNode.Parse(await api.Content.ReadAsStringAsync())!["errors"]!["note"]);

        using var card = await app.Client.PostAsync("/api/v1/scorecards", new StringContent("""{"id":"nul-card","name":"Bad\u0000name"}""", Encoding.UTF8, "application/json"));
        var problem = JsonNode.Parse(await card.Content.ReadAsStringAsync())!;
        Assert.True(card.StatusCode == HttpStatusCode.BadRequest, problem.ToJsonString());
        Assert.NotNull(problem["errors"]!["name"]);

        await using var db = await app.Services.GetRequiredService<SystemDbContexts>().CreateDbContextAsync();
        Assert.Equal(0, await db.Observations.CountAsync(o => o.Period.StartsWith("2042")));
        Assert.False(await db.Scorecards.IgnoreQueryFilters().AnyAsync(s => s.Key == "nul-card"));
    }
}

/// <summary>A SQLite database holding NUL characters (stored before the door was closed) copies to PostgreSQL.</summary>
public sealed class NulCopyTests
{
    [Fact]
    public void AScorecardFileWithANul_IsInvalid_NamingThePath()
    {
        string json = ScorecardFileWriter.ToJson(GridDatabase.Card()).Replace("\"Calls answered\"", "\"Calls\\u0000answered\"", StringComparison.Ordinal);

        var parsed = ScorecardFileReader.Parse(json, ScorecardFileFormat.Json, "nul.json");

        Assert.False(parsed.IsValid);
        Assert.Contains(parsed.Errors, e => e.Path.EndsWith(".name", StringComparison.Ordinal) && e.Message.Contains("NUL", StringComparison.Ordinal));
    }
    [Fact]
    public async Task DbCopy_TextWithNulStoredOnSqlite_CopiesToPostgresWithTheCharacterReplaced_AndSaysSo()
    {
        await using var source = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        DatabaseSetup.Prepare(source.Options, create: true);
        await using (var services = new ServiceCollection().AddOpenBscData(source.Options).BuildServiceProvider())
        {
            await services.GetRequiredService<ScorecardImport>().ImportAsync([GridDatabase.Card()], new Dictionary<string, string>(), "Test org", "loader", "first load");
        }

        // As an older version stored them: straight into the file.
        await using (var sqlite = new SqliteConnection($"Data Source={source.Options.SqliteFile};Pooling=False"))
        {
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = "UPDATE observations SET Note = 'a' || char(0) || 'b' WHERE Period = '2026-01' AND MeasureKey = 'calls'; UPDATE scorecards SET Name = 'Opera' || char(0) || 'tions'";
            Assert.Equal(2, await command.ExecuteNonQueryAsync());
        }

        string target = await TestPostgres.CreateDatabaseAsync();
        try
        {
            var copy = OpenBscCli.Run("db", "copy", "--from", $"sqlite:{source.Options.SqliteFile}", "--to", $"postgres:{target}");

            Assert.True(copy.ExitCode == 0, copy.Out + copy.Error);
            Assert.Contains("2 NUL character(s)", copy.Out, StringComparison.Ordinal);
            Assert.Contains("nothing lost", copy.Out, StringComparison.Ordinal);
            await using var db = new OpenBscDbContext(DatabaseSetup.ContextOptions(DatabaseOptions.ForPostgres(target)));
            Assert.Equal("a\uFFFDb", await db.Observations.Where(o => o.Period == "2026-01" && o.MeasureKey == "calls").Select(o => o.Note).SingleAsync());
            Assert.Equal("Opera\uFFFDtions", await db.Scorecards.IgnoreQueryFilters().Select(s => s.Name).SingleAsync());
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(target);
        }
    }
}
