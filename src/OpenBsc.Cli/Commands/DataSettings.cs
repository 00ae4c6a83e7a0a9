using System.ComponentModel;
using OpenBsc.Application.Data;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary>Where the database is: <c>--data DIR</c> (created on first use), an existing <c>--database FILE</c>, or <c>--db postgres --connection …</c>.</summary>
public class DataSettings : CommandSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Folder of the embedded database (default: the user's data folder, e.g. ~/.local/share/openbsc).")]
    public string? Data { get; init; }

    [CommandOption("--database <FILE>")]
    [Description("An existing SQLite database file to use instead.")]
    public string? Database { get; init; }

    [CommandOption("--db <PROVIDER>")]
    [Description("sqlite (default) or postgres; also OpenBsc__Database__Provider.")]
    public string? Provider { get; init; }

    [CommandOption("--connection <CONNECTION>")]
    [Description("PostgreSQL connection string (\"Host=…;Database=…;Username=…\"); also OpenBsc__Database__Connection.")]
    public string? Connection { get; init; }

    /// <summary>The command line first, then the environment (the same keys the web host reads from configuration).</summary>
    public DatabaseOptions DatabaseOptions => DatabaseOptions.Resolve(
        Provider ?? Environment.GetEnvironmentVariable("OpenBsc__Database__Provider"),
        Connection ?? Environment.GetEnvironmentVariable("OpenBsc__Database__Connection"),
        Data,
        Database);

    /// <summary>A new database may be created only under --data (or the default folder), never at a mistyped --database path.</summary>
    public bool MayCreate => Database is null;
}
