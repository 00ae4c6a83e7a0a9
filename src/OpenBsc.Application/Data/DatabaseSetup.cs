using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace OpenBsc.Application.Data;

/// <summary>Why a database cannot be opened, in words that name the file and what to do.</summary>
public sealed class DatabaseUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Opens the database at start-up: checks it, applies migrations where that is the embedded default's job.</summary>
public static class DatabaseSetup
{
    public static DbContextOptions<OpenBscDbContext> ContextOptions(DatabaseOptions options)
    {
        var builder = new DbContextOptionsBuilder<OpenBscDbContext>();
        options.Configure(builder);
        return builder.Options;
    }

    /// <summary>
    /// Makes the database ready: creates the file when <paramref name="create"/> (first run), refuses a missing
    /// file otherwise, a file that is not a database, a locked one, or one written by a newer OpenBsc; then
    /// switches SQLite to WAL and applies pending migrations. Returns true when the database was created now.
    /// </summary>
    public static bool Prepare(DatabaseOptions options, bool create)
    {
        if (options.Provider == DatabaseProvider.Postgres)
        {
            return PreparePostgres(options);
        }

        string file = options.SqliteFile;
        bool existed = File.Exists(file);
        if (!existed && !create)
        {
            throw new DatabaseUnavailableException($"The database {file} does not exist. Start with --data DIR to create one, or check the path.");
        }

        try
        {
            if (!existed)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            }

            CheckNotLocked(options);
            // Known and applied migrations are read without building the EF model (which costs a second at
            // start-up); the model is built only when there is something to migrate.
            var known = KnownMigrations(DatabaseOptions.SqliteMigrationsAssembly);
            var applied = AppliedMigrations(options);
            string? unknown = applied.FirstOrDefault(m => !known.Contains(m));
            if (unknown is not null)
            {
                throw new DatabaseUnavailableException($"The database {file} was written by a newer version of OpenBsc (it has migration {unknown}, which this version does not know). Upgrade OpenBsc to open it.");
            }

            if (known.Any(m => !applied.Contains(m)))
            {
                using var context = new OpenBscDbContext(ContextOptions(options));
                context.Database.Migrate();
            }

            return !existed;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 26)
        {
            throw new DatabaseUnavailableException($"The file {file} is not an OpenBsc database (SQLite says: file is not a database).", e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            throw new DatabaseUnavailableException($"The database {file} is locked by another process. Stop the other OpenBsc (or the program holding the file) and try again.", e);
        }
        catch (SqliteException e)
        {
            throw new DatabaseUnavailableException($"The database {file} cannot be opened: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DatabaseUnavailableException($"The database {file} cannot be opened: {e.Message}", e);
        }
    }

    /// <summary>
    /// Creates or upgrades the schema on purpose (<c>openbsc db migrate</c>): creates the database when it does not
    /// exist (the SQLite file, or the PostgreSQL database when the user may create databases) and applies every
    /// pending migration. Returns the migrations applied now (empty when the schema was up to date).
    /// </summary>
    public static IReadOnlyList<string> Migrate(DatabaseOptions options)
    {
        try
        {
            if (options.Provider == DatabaseProvider.Sqlite)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.SqliteFile))!);
            }

            using var context = new OpenBscDbContext(ContextOptions(options));
            var pending = context.Database.GetPendingMigrations().ToList();
            string? unknown = context.Database.GetAppliedMigrations().FirstOrDefault(m => !context.Database.GetMigrations().Contains(m));
            if (unknown is not null)
            {
                throw new DatabaseUnavailableException($"The database {options.Description} was written by a newer version of OpenBsc (it has migration {unknown}, which this version does not know). Upgrade OpenBsc to migrate it.");
            }

            context.Database.Migrate();
            return pending;
        }
        catch (NpgsqlException e)
        {
            throw Unreachable(options, e);
        }
        catch (SqliteException e)
        {
            throw new DatabaseUnavailableException($"The database {options.Description} cannot be migrated: {e.Message}", e);
        }
    }

    /// <summary>
    /// PostgreSQL is shared by several nodes and its schema is upgraded on purpose: start-up checks that every
    /// migration is applied and refuses otherwise, naming the command that applies them. Returns true when the
    /// database holds no organisation yet (a new installation, where serve may load the demo).
    /// </summary>
    private static bool PreparePostgres(DatabaseOptions options)
    {
        try
        {
            using var connection = new NpgsqlConnection(options.ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL";
            var applied = new List<string>();
            if ((bool)command.ExecuteScalar()!)
            {
                command.CommandText = "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    applied.Add(reader.GetString(0));
                }
            }

            var known = KnownMigrations(DatabaseOptions.PostgresMigrationsAssembly);
            string? unknown = applied.FirstOrDefault(m => !known.Contains(m));
            if (unknown is not null)
            {
                throw new DatabaseUnavailableException($"The database {options.Description} was written by a newer version of OpenBsc (it has migration {unknown}, which this version does not know). Upgrade OpenBsc to open it.");
            }

            var pending = known.Where(m => !applied.Contains(m)).Order(StringComparer.Ordinal).ToList();
            if (pending.Count > 0)
            {
                throw new DatabaseUnavailableException(
                    $"The database {options.Description} needs {pending.Count} migration(s) ({string.Join(", ", pending)}). " +
                    "Apply them on purpose with: openbsc db migrate --db postgres --connection \"…\" (the schema is shared by every web node, so start-up never changes it).");
            }

            command.CommandText = "SELECT NOT EXISTS (SELECT 1 FROM organisations)";
            return (bool)command.ExecuteScalar()!;
        }
        catch (NpgsqlException e)
        {
            throw Unreachable(options, e);
        }
    }

    private static DatabaseUnavailableException Unreachable(DatabaseOptions options, NpgsqlException e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName }
            ? new DatabaseUnavailableException($"The database {options.Description} does not exist. Create it with: openbsc db migrate --db postgres --connection \"…\"", e)
            : new DatabaseUnavailableException($"The database {options.Description} cannot be reached: {e.Message}", e);

    private static HashSet<string> KnownMigrations(string assembly) =>
        [.. System.Reflection.Assembly.Load(assembly).GetTypes()
            .Select(t => t.GetCustomAttributes(typeof(MigrationAttribute), inherit: false).OfType<MigrationAttribute>().FirstOrDefault()?.Id)
            .OfType<string>()];

    private static List<string> AppliedMigrations(DatabaseOptions options)
    {
        using var connection = new SqliteConnection(options.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
        if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return [];
        }

        command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Takes and releases a write lock at once, so a locked file fails fast here rather than on the first write.</summary>
    private static void CheckNotLocked(DatabaseOptions options)
    {
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString) { DefaultTimeout = 1, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        // One statement per command: in a multi-statement batch a busy BEGIN IMMEDIATE was seen to pass silently.
        // WAL is set here too: it is a property of the file, kept once set.
        foreach (string sql in new[] { "BEGIN IMMEDIATE;", "ROLLBACK;", "PRAGMA journal_mode=WAL;" })
        {
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}
