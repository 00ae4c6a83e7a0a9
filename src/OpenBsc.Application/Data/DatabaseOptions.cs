using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace OpenBsc.Application.Data;

/// <summary>Which database engine holds the data.</summary>
public enum DatabaseProvider
{
    /// <summary>One SQLite file (the embedded default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (company-wide, several web nodes).</summary>
    Postgres,
}

/// <summary>Where the data lives: an embedded SQLite file (the default) or a PostgreSQL database.</summary>
public sealed record DatabaseOptions
{
    public const string SqliteMigrationsAssembly = "OpenBsc.Migrations.Sqlite";

    public const string PostgresMigrationsAssembly = "OpenBsc.Migrations.Postgres";

    public const string FileName = "openbsc.db";

    /// <summary>The configuration keys (environment: <c>OpenBsc__Database__Provider</c>, <c>OpenBsc__Database__Connection</c>).</summary>
    public const string ProviderKey = "OpenBsc:Database:Provider";

    public const string ConnectionKey = "OpenBsc:Database:Connection";

    /// <summary>An embedded SQLite database in <paramref name="sqliteFile"/>.</summary>
    public DatabaseOptions(string sqliteFile)
    {
        Provider = DatabaseProvider.Sqlite;
        SqliteFile = sqliteFile;
    }

    private DatabaseOptions(string postgresConnection, DatabaseProvider provider)
    {
        Provider = provider;
        SqliteFile = "";
        PostgresConnection = postgresConnection;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>The SQLite file (empty on PostgreSQL).</summary>
    public string SqliteFile { get; }

    /// <summary>The Npgsql connection string (null on SQLite).</summary>
    public string? PostgresConnection { get; }

    /// <summary>A PostgreSQL database (an Npgsql connection string: <c>Host=…;Database=…;Username=…</c>).</summary>
    public static DatabaseOptions ForPostgres(string connection) => new(connection, DatabaseProvider.Postgres);

    /// <summary>The SQLite file under <paramref name="dataDirectory"/>, or under the user's data folder.</summary>
    public static DatabaseOptions ForDataDirectory(string? dataDirectory) =>
        new(Path.Combine(dataDirectory ?? DefaultDataDirectory, FileName));

    public static string DefaultDataDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "openbsc");

    /// <summary>Reads a provider name as written on the command line or in configuration (<c>sqlite</c>, <c>postgres</c>).</summary>
    public static bool TryParseProvider(string? text, out DatabaseProvider provider)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "sqlite":
                provider = DatabaseProvider.Sqlite;
                return true;
            case "postgres" or "postgresql" or "npgsql":
                provider = DatabaseProvider.Postgres;
                return true;
            default:
                provider = default;
                return false;
        }
    }

    /// <summary>
    /// The database named by a provider and connection (command line first, then configuration); without a
    /// provider, the SQLite file <paramref name="sqliteFile"/> or the one under <paramref name="dataDirectory"/>.
    /// </summary>
    public static DatabaseOptions Resolve(string? provider, string? connection, string? dataDirectory, string? sqliteFile)
    {
        if (provider is null && connection is null)
        {
            return sqliteFile is { } file ? new DatabaseOptions(file) : ForDataDirectory(dataDirectory);
        }

        if (!TryParseProvider(provider ?? "sqlite", out var parsed))
        {
            throw new DatabaseUnavailableException($"Unknown database provider '{provider}': expected sqlite or postgres.");
        }

        return parsed switch
        {
            DatabaseProvider.Postgres => string.IsNullOrWhiteSpace(connection)
                ? throw new DatabaseUnavailableException("--db postgres needs --connection \"Host=…;Database=…;Username=…\" (or OpenBsc__Database__Connection).")
                : ForPostgres(connection),
            _ => connection is { } path ? new DatabaseOptions(path) : sqliteFile is { } file ? new DatabaseOptions(file) : ForDataDirectory(dataDirectory),
        };
    }

    /// <summary>Reads <c>sqlite:FILE</c> or <c>postgres:CONNECTION</c> (the form <c>openbsc db copy</c> takes).</summary>
    public static DatabaseOptions ParseLocation(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && TryParseProvider(text[..colon], out var provider))
        {
            string rest = text[(colon + 1)..];
            return provider == DatabaseProvider.Postgres ? ForPostgres(rest) : new DatabaseOptions(rest);
        }

        throw new DatabaseUnavailableException($"'{text}' names no database: write sqlite:FILE or postgres:CONNECTION-STRING.");
    }

    /// <summary>
    /// How long a statement waits for a lock another writer holds before it gives up (a web request then answers 503,
    /// try again): SQLite's busy timeout, PostgreSQL's <c>lock_timeout</c>. Null: SQLite waits 30 s, PostgreSQL as
    /// long as it takes (the command line, which has no one to answer).
    /// </summary>
    public int? WaitSeconds { get; init; }

    public string ConnectionString => Provider == DatabaseProvider.Postgres
        ? PostgresWithWait()
        : new SqliteConnectionStringBuilder { DataSource = SqliteFile, Pooling = true, DefaultTimeout = WaitSeconds ?? 30 }.ToString();

    private string PostgresWithWait()
    {
        if (WaitSeconds is not { } seconds)
        {
            return PostgresConnection!;
        }

        var builder = new NpgsqlConnectionStringBuilder(PostgresConnection);
        builder.Options = $"{builder.Options} -c lock_timeout={seconds * 1000}".Trim();
        return builder.ToString();
    }

    /// <summary>The database in words for messages: the file, or the PostgreSQL server and database (never the password).</summary>
    public string Description
    {
        get
        {
            if (Provider == DatabaseProvider.Sqlite)
            {
                return SqliteFile;
            }

            try
            {
                var builder = new NpgsqlConnectionStringBuilder(PostgresConnection);
                return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
            }
            catch (ArgumentException)
            {
                return "PostgreSQL (unreadable connection string)";
            }
        }
    }

    public void Configure(DbContextOptionsBuilder builder)
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            builder.UseNpgsql(ConnectionString, npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly));
        }
        else
        {
            builder.UseSqlite(ConnectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));
        }
    }
}
