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

        if (settings.Output is null)
        {
            Console.Out.Write(text);
            return ExitCodes.Success;
        }

        if (File.Exists(settings.Output))
        {
            Console.Error.WriteLine($"error: {settings.Output} exists; nothing was written (choose another file or remove it first).");
            return ExitCodes.Conflict;
        }

        try
        {
            File.WriteAllText(settings.Output, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot write {settings.Output}: {e.Message}");
            return ExitCodes.EnvironmentFailure;
        }

        Console.Error.WriteLine($"wrote {settings.Output} from template '{settings.Template}'; next: openbsc validate {settings.Output}");
        return ExitCodes.Success;
    }
}
