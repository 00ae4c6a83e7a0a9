using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using OpenBsc.Application.Data;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Database;

/// <summary>Migrations per provider: none pending, and both an empty database and one at the previous migration upgrade cleanly.</summary>
public sealed class SchemaTests
{
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_HasNoChangesMissingAMigration(DatabaseProvider provider)
    {
        // No connection is opened: the model is compared with the provider's last migration snapshot.
        var options = provider == DatabaseProvider.Postgres
            ? DatabaseOptions.ForPostgres("Host=127.0.0.1;Database=unused")
            : new DatabaseOptions(Path.Combine(Path.GetTempPath(), "unused.db"));
        using var db = new OpenBscDbContext(DatabaseSetup.ContextOptions(options));

        Assert.False(db.Database.HasPendingModelChanges(), $"The model has changes without a {provider} migration: see docs/database.md (Migrations).");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_EmptyDatabase_CreatesEverythingAndIsThenUpToDate(DatabaseProvider provider)
    {
        await using var test = await EmptyAsync(provider);

        var applied = DatabaseSetup.Migrate(test.Options);
        var again = DatabaseSetup.Migrate(test.Options);

        await using var db = new OpenBscDbContext(DatabaseSetup.ContextOptions(test.Options));
        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.Empty(again);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.ScorecardVersions.CountAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_DatabaseAtThePreviousMigrationWithData_UpgradesAndFillsTheOrganisation(DatabaseProvider provider)
    {
        await using var test = await EmptyAsync(provider);
        await using (var db = new OpenBscDbContext(DatabaseSetup.ContextOptions(test.Options)))
        {
            // The version before organisation ids were added to the history tables (ScaleOut).
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_ScaleOut", StringComparison.Ordinal)) - 1]);
        }

        // Rows written by the previous version: a scorecard with a saved version and an archived measure.
        var organisation = Guid.NewGuid();
        var scorecard = Guid.NewGuid();
        ExecuteOldSchema(test.Options, provider,
            $"INSERT INTO organisations (\"Id\", \"Name\", \"CreatedAt\") VALUES ({Id(provider, organisation)}, 'Old org', {Time(provider)})",
            $"INSERT INTO scorecards (\"Id\", \"OrganisationId\", \"Key\", \"Name\", \"Definition\", \"Version\", \"DataVersion\", \"UpdatedAt\") VALUES ({Id(provider, scorecard)}, {Id(provider, organisation)}, 'old', 'Old', '{{}}', 1, 0, {Time(provider)})",
            $"INSERT INTO scorecard_versions (\"ScorecardId\", \"Version\", \"Definition\", \"SavedAt\") VALUES ({Id(provider, scorecard)}, 1, '{{}}', {Time(provider)})",
            $"INSERT INTO archived_measures (\"ScorecardId\", \"MeasureKey\", \"Name\", \"ObjectiveKey\", \"Definition\", \"ArchivedAt\") VALUES ({Id(provider, scorecard)}, 'm', 'M', 'o', '{{}}', {Time(provider)})");

        var applied = DatabaseSetup.Migrate(test.Options);

        await using var after = new OpenBscDbContext(DatabaseSetup.ContextOptions(test.Options));
        Assert.Contains(applied, m => m.EndsWith("_ScaleOut", StringComparison.Ordinal));
        Assert.Equal(organisation, (await after.ScorecardVersions.SingleAsync()).OrganisationId);
        Assert.Equal(organisation, (await after.ArchivedMeasures.SingleAsync()).OrganisationId);
        Assert.Empty(await after.Database.GetPendingMigrationsAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_ObservationsBeforeLeanObservations_KeepsEveryRowAndIdAndDropsTheImportCosts(DatabaseProvider provider)
    {
        await using var test = await EmptyAsync(provider);
        await using (var db = new OpenBscDbContext(DatabaseSetup.ContextOptions(test.Options)))
        {
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_LeanObservations", StringComparison.Ordinal)) - 1]);
        }

        var organisation = Guid.NewGuid();
        var scorecard = Guid.NewGuid();
        string columns = "\"Id\", \"OrganisationId\", \"ScorecardId\", \"MeasureKey\", \"Period\", \"PeriodStart\", \"Value\", \"EnteredAt\", \"SupersededAt\", \"CorrectionReason\"";
        ExecuteOldSchema(test.Options, provider,
            $"INSERT INTO organisations (\"Id\", \"Name\", \"CreatedAt\") VALUES ({Id(provider, organisation)}, 'Old org', {Time(provider)})",
            $"INSERT INTO scorecards (\"Id\", \"OrganisationId\", \"Key\", \"Name\", \"Definition\", \"Version\", \"DataVersion\", \"UpdatedAt\") VALUES ({Id(provider, scorecard)}, {Id(provider, organisation)}, 'old', 'Old', '{{}}', 1, 0, {Time(provider)})",
            $"INSERT INTO observations ({columns}) VALUES (7, {Id(provider, organisation)}, {Id(provider, scorecard)}, 'csat', '2026-01', 739982, 81.5, {Time(provider)}, {Time(provider)}, 'typo')",
            $"INSERT INTO observations ({columns}) VALUES (9, {Id(provider, organisation)}, {Id(provider, scorecard)}, 'csat', '2026-01', 739982, 85, {Time(provider)}, NULL, NULL)");

        DatabaseSetup.Migrate(test.Options);

        await using var after = new OpenBscDbContext(DatabaseSetup.ContextOptions(test.Options));
        var rows = await after.Observations.AsNoTracking().OrderBy(o => o.Id).ToListAsync();
        Assert.Equal([7L, 9L], rows.Select(o => o.Id));
        Assert.Equal([81.5, 85.0], rows.Select(o => o.Value));
        Assert.Equal("typo", rows[0].CorrectionReason);
        Assert.NotNull(rows[0].SupersededAt);
        Assert.All(rows, o => Assert.Equal(scorecard, o.ScorecardId));

        // What each inserted row costs: one secondary index, no foreign key, no sqlite_sequence update (bench/README.md).
        Assert.Equal(["IX_observations_ScorecardId_MeasureKey_PeriodStart"], await ObservationIndexesAsync(after, provider));
        if (provider == DatabaseProvider.Sqlite)
        {
            string table = await after.Database.SqlQueryRaw<string>("SELECT sql AS \"Value\" FROM sqlite_master WHERE name = 'observations'").SingleAsync();
            Assert.DoesNotContain("AUTOINCREMENT", table, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("REFERENCES", table, StringComparison.OrdinalIgnoreCase);

            // A new row still comes after the newest: history ordering by id holds without AUTOINCREMENT.
            after.Observations.Add(new StoredObservation { OrganisationId = organisation, ScorecardId = scorecard, MeasureKey = "csat", Period = "2026-02", PeriodStart = 740013, Value = 90 });
            await after.SaveChangesAsync();
            Assert.Equal(10, await after.Observations.MaxAsync(o => o.Id));
        }
        else
        {
            Assert.Equal(0, await after.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM pg_constraint WHERE conrelid = 'observations'::regclass AND contype = 'f'").SingleAsync());
        }
    }

    private static async Task<List<string>> ObservationIndexesAsync(OpenBscDbContext db, DatabaseProvider provider) => provider == DatabaseProvider.Sqlite
        ? await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observations' AND sql IS NOT NULL ORDER BY name").ToListAsync()
        : await db.Database.SqlQueryRaw<string>("SELECT indexname AS \"Value\" FROM pg_indexes WHERE tablename = 'observations' AND indexname <> 'PK_observations' ORDER BY indexname").ToListAsync();

    /// <summary>How many migrations the provider's migrations project holds (a new database needs them all).</summary>
    private static int AllMigrations(DatabaseOptions options)
    {
        using var db = new OpenBscDbContext(DatabaseSetup.ContextOptions(options));
        return db.Database.GetMigrations().Count();
    }

    [Fact]
    public async Task Prepare_PostgresWithPendingMigrations_RefusesNamingTheCommand()
    {
        await using var test = await EmptyAsync(DatabaseProvider.Postgres);

        var error = Assert.Throws<DatabaseUnavailableException>(() => DatabaseSetup.Prepare(test.Options, create: true));

        Assert.Contains($"needs {AllMigrations(test.Options)} migration(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("openbsc db migrate --db postgres", error.Message, StringComparison.Ordinal);
        await using var db = new OpenBscDbContext(DatabaseSetup.ContextOptions(test.Options));
        Assert.Empty(await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Cli_ServeBeforeDbMigrate_RefusesWithExitTwo_ThenDbMigrateAppliesEverythingOnce()
    {
        await using var test = await EmptyAsync(DatabaseProvider.Postgres);
        string connection = test.Options.ConnectionString;

        var serve = Cli.OpenBscCli.Run("serve", "--db", "postgres", "--connection", connection, "--urls", "http://127.0.0.1:0");
        var migrate = Cli.OpenBscCli.Run("db", "migrate", "--db", "postgres", "--connection", connection);
        var again = Cli.OpenBscCli.Run("db", "migrate", "--db", "postgres", "--connection", connection);
        var import = Cli.OpenBscCli.Run("import", Path.Combine(Cli.OpenBscCli.Examples, "customer-support.yaml"), "--db", "postgres", "--connection", connection);

        Assert.Equal(2, serve.ExitCode);
        Assert.Contains("Apply them on purpose with: openbsc db migrate", serve.Error, StringComparison.Ordinal);
        Assert.Equal(0, migrate.ExitCode);
        Assert.Contains($"applied {AllMigrations(test.Options)} migration(s)", migrate.Out, StringComparison.Ordinal);
        Assert.Contains("the schema is up to date", again.Out, StringComparison.Ordinal);
        Assert.Equal(0, import.ExitCode);
        Assert.Contains("192 observations added", import.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_PostgresDatabaseMissing_SaysHowToCreateIt()
    {
        var options = DatabaseOptions.ForPostgres(new NpgsqlConnectionStringBuilder(TestPostgres.ServerConnection) { Database = "openbsc_never_created" }.ToString());

        var error = Assert.Throws<DatabaseUnavailableException>(() => DatabaseSetup.Prepare(options, create: true));

        Assert.Contains("openbsc_never_created does not exist. Create it with: openbsc db migrate", error.Message, StringComparison.Ordinal);
    }

    private static async Task<EmptyDatabase> EmptyAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            return new EmptyDatabase(DatabaseOptions.ForPostgres(await TestPostgres.CreateDatabaseAsync()), null);
        }

        string dir = Directory.CreateTempSubdirectory("openbsc-schema-").FullName;
        return new EmptyDatabase(DatabaseOptions.ForDataDirectory(dir), dir);
    }

    private static string Id(DatabaseProvider provider, Guid id) => provider == DatabaseProvider.Postgres ? $"'{id}'" : $"'{id.ToString().ToUpperInvariant()}'";

    private static string Time(DatabaseProvider provider) => provider == DatabaseProvider.Postgres ? "'2026-01-01T00:00:00Z'" : "'2026-01-01 00:00:00'";

    private static void ExecuteOldSchema(DatabaseOptions options, DatabaseProvider provider, params string[] statements)
    {
        using System.Data.Common.DbConnection connection = provider == DatabaseProvider.Postgres
            ? new NpgsqlConnection(options.ConnectionString)
            : new SqliteConnection(options.ConnectionString);
        connection.Open();
        foreach (string sql in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = provider == DatabaseProvider.Postgres ? sql : sql.Replace("\"", "", StringComparison.Ordinal);
            command.ExecuteNonQuery();
        }
    }

    private sealed record EmptyDatabase(DatabaseOptions Options, string? Directory) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (Options.Provider == DatabaseProvider.Postgres)
            {
                await TestPostgres.DropDatabaseAsync(Options.ConnectionString);
            }
            else
            {
                SqliteConnection.ClearAllPools();
                System.IO.Directory.Delete(Directory!, recursive: true);
            }
        }
    }
}
