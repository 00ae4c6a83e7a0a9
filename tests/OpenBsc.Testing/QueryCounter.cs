using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OpenBsc.Testing;

/// <summary>
/// Counts the commands EF Core executes, per database (a PostgreSQL database's name, or a SQLite file's folder),
/// whichever app runs them: EF Core's diagnostic events, not a stand-in for the database.
/// </summary>
public sealed class QueryCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly IDisposable _all;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public QueryCounter() => _all = DiagnosticListener.AllListeners.Subscribe(this);

    /// <summary>Commands executed so far on <paramref name="database"/> (a PostgreSQL database name or a SQLite folder).</summary>
    public int On(string database) => _counts.GetValueOrDefault(database);

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == RelationalEventId.CommandExecuted.Name && value.Value is CommandExecutedEventData { Command.Connection: { } connection })
        {
            string database = connection is Microsoft.Data.Sqlite.SqliteConnection ? Path.TrimEndingDirectorySeparator(Path.GetDirectoryName(Path.GetFullPath(connection.DataSource))!) : connection.Database;
            _counts.AddOrUpdate(database, 1, (_, n) => n + 1);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _all.Dispose();
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
