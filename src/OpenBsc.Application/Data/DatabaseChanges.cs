using Microsoft.Data.Sqlite;

namespace OpenBsc.Application.Data;

/// <summary>
/// A cheap answer to "has anything been committed since?", so that the checks every signed-in request makes (the
/// user's stamps and the data stamp) can be kept in memory between commits instead of read from the database each
/// time. On SQLite it is <c>PRAGMA data_version</c> on a connection of its own, which changes whenever any other
/// connection commits — this process's pool, the command line (<c>openbsc users reset</c>) or another process — so
/// a revocation still takes effect at the next request. On PostgreSQL there is no such in-process signal (another
/// web node's commit is only seen by asking the server), so <see cref="Version"/> is null and every request asks.
/// </summary>
public sealed class DatabaseChanges(DatabaseOptions database) : IDisposable
{
    private readonly Lock _lock = new();
    private SqliteConnection? _connection;
    private SqliteCommand? _command;
    private bool _disposed;

    /// <summary>A number that differs after every commit made elsewhere; null when not known (PostgreSQL, no file yet).</summary>
    public long? Version()
    {
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return null;
        }

        lock (_lock)
        {
            if (_disposed)
            {
                return null;
            }

            try
            {
                if (_command is null)
                {
                    if (!File.Exists(database.SqliteFile))
                    {
                        return null;
                    }

                    // Its own connection, never pooled and never written through: data_version counts the others' commits.
                    _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database.SqliteFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
                    _connection.Open();
                    _command = _connection.CreateCommand();
                    _command.CommandText = "PRAGMA data_version";
                    _command.Prepare();
                }

                return (long)_command.ExecuteScalar()!;
            }
            catch (SqliteException)
            {
                // Not knowing is always safe: the caller then reads the database.
                Close();
                return null;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            Close();
        }
    }

    private void Close()
    {
        _command?.Dispose();
        _connection?.Dispose();
        _command = null;
        _connection = null;
    }
}
