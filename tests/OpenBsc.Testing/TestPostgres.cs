using System.Diagnostics;
using Npgsql;
using OpenBsc.Application.Data;

namespace OpenBsc.Testing;

/// <summary>
/// The throw-away PostgreSQL server the tests share (./test.sh starts it and sets <c>OPENBSC_TEST_POSTGRES</c>).
/// Run outside test.sh, the first use starts it the same way (tests/postgres.sh) or fails saying how; it is never
/// skipped. Each test gets its own database, dropped when the test ends.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "OPENBSC_TEST_POSTGRES";

    private static readonly Lazy<string> Server = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server's maintenance connection (database <c>postgres</c>).</summary>
    public static string ServerConnection => Server.Value;

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        string name = $"openbsc_t_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ServerConnection);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {name}";
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ServerConnection) { Database = name }.ToString();
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing what still uses it.</summary>
    public static async Task DropDatabaseAsync(string databaseConnection)
    {
        string name = new NpgsqlConnectionStringBuilder(databaseConnection).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnection);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A new, migrated database for the application.</summary>
    public static async Task<DatabaseOptions> CreateMigratedAsync()
    {
        var options = DatabaseOptions.ForPostgres(await CreateDatabaseAsync());
        DatabaseSetup.Migrate(options);
        return options;
    }

    private static string Locate()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        string script = Path.Combine(RepositoryRoot(), "tests", "postgres.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || string.IsNullOrWhiteSpace(output))
        {
            throw new InvalidOperationException(
                $"The PostgreSQL tests need a server and none could be started ({script} said: {error.Trim()}). " +
                $"Run ./test.sh (it starts one), or start one with tests/postgres.sh and set {Variable}=\"Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres\".");
        }

        return output.Trim();
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenBsc.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"OpenBsc.slnx not found above {AppContext.BaseDirectory}; set {Variable} to a PostgreSQL connection string.");
    }
}

/// <summary>A new database of either provider for one test: a SQLite file in a temporary folder, or a PostgreSQL database.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(DatabaseOptions options, string? directory)
    {
        Options = options;
        Directory = directory;
    }

    public DatabaseOptions Options { get; }

    /// <summary>The temporary folder of a SQLite database (null on PostgreSQL).</summary>
    public string? Directory { get; }

    public DatabaseProvider Provider => Options.Provider;

    /// <summary>An empty database: SQLite not yet created (the app's first run creates it), PostgreSQL migrated.</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            return new TestDatabase(await TestPostgres.CreateMigratedAsync(), null);
        }

        string directory = System.IO.Directory.CreateTempSubdirectory("openbsc-db-").FullName;
        return new TestDatabase(DatabaseOptions.ForDataDirectory(directory), directory);
    }

    public async ValueTask DisposeAsync()
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            await TestPostgres.DropDatabaseAsync(Options.ConnectionString);
            return;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory!, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing request: the temp folder is cleaned by the OS.
        }
    }
}
