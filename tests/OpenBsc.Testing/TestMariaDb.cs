using System.Diagnostics;
using MySqlConnector;

namespace OpenBsc.Testing;

/// <summary>
/// The throw-away MariaDB server connector tests read from as a source (./test.sh starts it with tests/mariadb.sh and
/// sets <c>OPENBSC_TEST_MARIADB</c>). Run outside test.sh, the first use starts it the same way or fails saying how;
/// it is never skipped. Each test gets its own database.
/// </summary>
public static class TestMariaDb
{
    public const string Variable = "OPENBSC_TEST_MARIADB";

    private static readonly Lazy<string> Server = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server's connection string, password included.</summary>
    public static string ServerConnection => Server.Value;

    /// <summary>Creates a database with a unique name, runs <paramref name="sql"/> in it, returns its connection string (password included).</summary>
    public static async Task<string> CreateDatabaseAsync(string sql)
    {
        string name = $"openbsc_t_{Guid.NewGuid():N}";
        await using (var connection = new MySqlConnection(ServerConnection))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name}";
            await command.ExecuteNonQueryAsync();
        }

        string database = new MySqlConnectionStringBuilder(ServerConnection) { Database = name }.ConnectionString;
        await ExecuteAsync(database, sql);
        return database;
    }

    public static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new MySqlConnection(database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task DropDatabaseAsync(string database)
    {
        string name = new MySqlConnectionStringBuilder(database).Database;
        MySqlConnection.ClearAllPools();
        await using var connection = new MySqlConnection(ServerConnection);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS {name}";
        await command.ExecuteNonQueryAsync();
    }

    private static string Locate()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenBsc.slnx")))
        {
            dir = dir.Parent;
        }

        string script = Path.Combine(dir?.FullName ?? ".", "tests", "mariadb.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || string.IsNullOrWhiteSpace(output))
        {
            throw new InvalidOperationException($"The connector tests need a MariaDB server and none could be started ({script} said: {error.Trim()}). Run ./test.sh, or tests/mariadb.sh and set {Variable}.");
        }

        return output.Trim();
    }
}
