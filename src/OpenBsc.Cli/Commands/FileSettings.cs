using System.ComponentModel;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary>Settings of verbs that read one scorecard file.</summary>
public class FileSettings : CommandSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("A scorecard file (.yaml, .yml or .json).")]
    public string File { get; init; } = string.Empty;
}
