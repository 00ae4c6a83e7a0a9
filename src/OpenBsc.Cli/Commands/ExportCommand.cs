using System.ComponentModel;
using OpenBsc.Application.Features.ScorecardFiles;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary><c>openbsc export|convert FILE --to json|yaml [-o OUT]</c>: the same scorecard in the other (or same) format.</summary>
public sealed class ExportCommand : Command<ExportCommand.Settings>
{
    public sealed class Settings : FileSettings
    {
        [CommandOption("--to <FORMAT>")]
        [Description("json or yaml (default: the other format than FILE's).")]
        public string? To { get; init; }

        [CommandOption("-o|--output <OUT>")]
        [Description("Write to this file instead of standard output.")]
        public string? Output { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        bool sourceIsJson = settings.File.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        string to = (settings.To ?? (sourceIsJson ? "yaml" : "json")).ToLowerInvariant();
        if (to is not ("json" or "yaml" or "yml"))
        {
            return Report.InvalidOption($"--to '{settings.To}' is not a format: expected json or yaml.");
        }

        var loaded = ScorecardFileLoader.Load(settings.File, resolveCascades: false);
        if (!loaded.Succeeded)
        {
            return Report.Errors(loaded);
        }

        var data = loaded.Bundle[0];
        string text = to == "json" ? ScorecardFileWriter.ToJson(data) : ScorecardFileWriter.ToYaml(data);
        return Report.Write(text, settings.Output, overwrite: true, done: $"wrote {settings.Output}");
    }
}
