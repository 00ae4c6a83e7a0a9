using System.ComponentModel;
using OpenBsc.Application.Features.Templates;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary><c>openbsc new --template NAME [-o FILE]</c>: a complete scorecard file to start from.</summary>
public sealed class NewCommand : Command<NewCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--template <NAME>")]
        [Description("for-profit, nonprofit, municipality, customer-support or loyalty-retention.")]
        public string? Template { get; init; }

        [CommandOption("-o|--output <FILE>")]
        [Description("Write the scorecard file here (refused if the file exists) instead of to standard output.")]
        public string? Output { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string? text = settings.Template is null ? null : ScorecardTemplates.Text(settings.Template);
        if (text is null)
        {
            string given = settings.Template is null ? "--template NAME is required" : $"there is no template '{settings.Template}'";
            return Report.InvalidOption($"{given}; the templates are: {string.Join(", ", ScorecardTemplates.Names)}.");
        }

        return Report.Write(text, settings.Output, overwrite: false, done: $"wrote {settings.Output} from template '{settings.Template}'; next: openbsc validate {settings.Output}");
    }
}
