using Microsoft.Data.Sqlite;
using OpenBsc.Application.Data;

namespace OpenBsc.IntegrationTests.Web;

/// <summary>A database that is missing, not a database, locked or from a newer version: a clear error naming the file.</summary>
public sealed class DatabaseStartupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbsc-db-").FullName;

    private string File(string name) => Path.Combine(_dir, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Prepare_NewFile_CreatesAMigratedDatabaseInWalMode()
    {
        var options = new DatabaseOptions(File("new.db"));

        Assert.True(DatabaseSetup.Prepare(options, create: true));
        Assert.False(DatabaseSetup.Prepare(options, create: true));
        using var connection = new SqliteConnection(options.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void Prepare_MissingFileWhenNotCreating_NamesTheFile()
    {
        string path = File("missing.db");

        var error = Assert.Throws<DatabaseUnavailableException>(() => DatabaseSetup.Prepare(new DatabaseOptions(path), create: false));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_NotADatabase_NamesTheFile()
    {
        string path = File("notes.db");
        System.IO.File.WriteAllText(path, new string('x', 4096));

        var error = Assert.Throws<DatabaseUnavailableException>(() => DatabaseSetup.Prepare(new DatabaseOptions(path), create: false));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not an OpenBsc database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_LockedByAnotherWriter_NamesTheFile()
    {
        var options = new DatabaseOptions(File("locked.db"));
        DatabaseSetup.Prepare(options, create: true);
        using var holder = new SqliteConnection(options.ConnectionString + ";Pooling=False");
        holder.Open();
        using var begin = holder.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE;";
        begin.ExecuteNonQuery();

        var error = Assert.Throws<DatabaseUnavailableException>(() => DatabaseSetup.Prepare(options, create: false));

        Assert.Contains(options.SqliteFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("locked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_FromANewerVersion_SaysToUpgrade()
    {
        var options = new DatabaseOptions(File("newer.db"));
        DatabaseSetup.Prepare(options, create: true);
        using (var connection = new SqliteConnection(options.ConnectionString))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('29991231000000_FromTheFuture', '99.0.0');";
            insert.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var error = Assert.Throws<DatabaseUnavailableException>(() => DatabaseSetup.Prepare(options, create: false));

        Assert.Contains(options.SqliteFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("newer version", error.Message, StringComparison.Ordinal);
        Assert.Contains("29991231000000_FromTheFuture", error.Message, StringComparison.Ordinal);
    }
}
