using System.ComponentModel;
using OpenBsc.Application.Data;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary>Where the embedded database is: <c>--data DIR</c> (created on first use) or an existing <c>--database FILE</c>.</summary>
public class DataSettings : CommandSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Folder of the embedded database (default: the user's data folder, e.g. ~/.local/share/openbsc).")]
    public string? Data { get; init; }

    [CommandOption("--database <FILE>")]
    [Description("An existing SQLite database file to use instead.")]
    public string? Database { get; init; }

    public DatabaseOptions DatabaseOptions =>
        Database is { } file ? new DatabaseOptions(file) : DatabaseOptions.ForDataDirectory(Data);

    /// <summary>A new database may be created only under --data (or the default folder), never at a mistyped --database path.</summary>
    public bool MayCreate => Database is null;
}
