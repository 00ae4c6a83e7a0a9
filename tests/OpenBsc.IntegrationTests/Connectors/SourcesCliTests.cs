using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Connectors;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.IntegrationTests.Cli;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Connectors;

/// <summary><c>openbsc sources list|test|run NAME</c> on the embedded database, reading a real SQLite file as the source.</summary>
public sealed class SourcesCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbsc-sourcescli-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task ListTestAndRun_StoreTheSourcesValuesOnce_AndAnUnknownNameIsAnError()
    {
        string file = Path.Combine(_dir, "finance.db");
        await using (var sqlite = new SqliteConnection($"Data Source={file}"))
        {
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = "CREATE TABLE kpi (measure TEXT, period TEXT, value REAL); INSERT INTO kpi VALUES ('calls', '2026-01', 120), ('calls', '2026-02', 130), ('csat', '2026-01', 4.5);";
            await command.ExecuteNonQueryAsync();
        }

        var options = DatabaseOptions.ForDataDirectory(_dir);
        DatabaseSetup.Prepare(options, create: true);
        await using (var services = new ServiceCollection().AddSingleton(new ConnectorSettings()).AddOpenBscData(options).BuildServiceProvider())
        {
            var card = new ScorecardBuilder().With(c => c with { Id = "ops", Name = "Operations" })
                .WithMeasures(ScorecardBuilder.Measure("calls"), ScorecardBuilder.Measure("csat")).Build();
            await services.GetRequiredService<ScorecardImport>().ImportAsync([card], new Dictionary<string, string>(), "Test org", "loader", "first load");
            Guid organisation;
            await using (var db = await services.GetRequiredService<SystemDbContexts>().CreateDbContextAsync())
            {
                organisation = await db.Organisations.Select(o => o.Id).SingleAsync();
            }

            using var scope = services.CreateScope();
            scope.ServiceProvider.GetRequiredService<RequestContext>().Set(organisation, "admin");
            var saved = await scope.ServiceProvider.GetRequiredService<DataSources>().SaveAsync(organisation, null, null,
                new SourceDefinition("Finance file", "sqlite", $"Data Source={file}", [new BindingDefinition("ops", null, "select measure, period, value from kpi")]), null, false, "admin");
            Assert.True(saved.Status == EditStatus.Saved, saved.Message);
        }

        var listed = OpenBscCli.Run("sources", "list", "--data", _dir);
        var tested = OpenBscCli.Run("sources", "test", "Finance file", "--data", _dir);
        var first = OpenBscCli.Run("sources", "run", "Finance file", "--data", _dir);
        var second = OpenBscCli.Run("sources", "run", "Finance file", "--data", _dir);
        var unknown = OpenBscCli.Run("sources", "run", "Nowhere", "--data", _dir);

        Assert.Equal(0, listed.ExitCode);
        Assert.StartsWith("Finance file\tsqlite\t", listed.Out, StringComparison.Ordinal);
        Assert.Equal(0, tested.ExitCode);
        Assert.Contains("Finance file: 3 rows read; a run would add 3, correct 0, leave 0 unchanged (nothing was stored).", tested.Out, StringComparison.Ordinal);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("3 rows read, 3 added, 0 corrected, 0 unchanged.", first.Out, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("3 rows read, 0 added, 0 corrected, 3 unchanged.", second.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("there is no source 'Nowhere'", unknown.Error, StringComparison.Ordinal);

        await using var check = new ServiceCollection().AddOpenBscData(options).BuildServiceProvider();
        await using var stored = await check.GetRequiredService<SystemDbContexts>().CreateDbContextAsync();
        Assert.Equal(3, await stored.Observations.CountAsync(o => o.SupersededAt == null));
    }
}
