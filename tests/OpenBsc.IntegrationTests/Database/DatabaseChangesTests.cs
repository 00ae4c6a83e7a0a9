using Microsoft.Data.Sqlite;
using OpenBsc.Application.Data;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Database;

/// <summary>
/// The "anything committed since?" signal that lets a node keep each user's request check in memory
/// (<see cref="DatabaseChanges"/>): steady while nobody writes, changed by every commit made through another
/// connection, and absent on PostgreSQL, where only the server knows about other nodes' commits.
/// </summary>
public sealed class DatabaseChangesTests
{
    [Fact]
    public async Task Sqlite_VersionHoldsUntilAnotherConnectionCommits()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var changes = new DatabaseChanges(database.Options);
        Assert.Null(changes.Version());

        using var writer = new SqliteConnection(database.Options.ConnectionString);
        writer.Open();
        Execute(writer, "CREATE TABLE t (v INTEGER)");
        long first = changes.Version()!.Value;
        Assert.Equal(first, changes.Version());

        Execute(writer, "INSERT INTO t VALUES (1)");
        long second = changes.Version()!.Value;
        Assert.NotEqual(first, second);
        Assert.Equal(second, changes.Version());

        // A transaction still open is not a change yet; its commit is.
        using (var transaction = writer.BeginTransaction())
        {
            using var insert = writer.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO t VALUES (2)";
            insert.ExecuteNonQuery();
            Assert.Equal(second, changes.Version());
            transaction.Commit();
        }

        Assert.NotEqual(second, changes.Version());
    }

    [Fact]
    public void Postgres_HasNoLocalSignal()
    {
        using var changes = new DatabaseChanges(DatabaseOptions.ForPostgres("Host=127.0.0.1;Database=unused"));
        Assert.Null(changes.Version());
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
