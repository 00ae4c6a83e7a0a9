using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Application.Features.Scorecards;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary><c>openbsc import FILE</c>: stores a scorecard file (and the files it cascades from), all or nothing.</summary>
public sealed class ImportCommand : Command<ImportCommand.Settings>
{
    public sealed class Settings : DataSettings
    {
        [CommandArgument(0, "<FILE>")]
        [System.ComponentModel.Description("A scorecard file (.yaml, .yml or .json).")]
        public string File { get; init; } = string.Empty;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var loaded = ScorecardFileLoader.Load(settings.File);
        if (!loaded.Succeeded)
        {
            return Report.Errors(loaded);
        }

        int refused = ExitCodes.Success;
        int ran = Database.Run(settings, services =>
        {
            try
            {
                var summaries = services.GetRequiredService<ScorecardImport>()
                    .ImportAsync(loaded.Bundle, loaded.SourceAliases, null, Environment.UserName, $"import {Path.GetFileName(settings.File)}", cancellationToken)
                    .GetAwaiter().GetResult();
                foreach (var s in summaries)
                {
                    Console.Out.WriteLine($"{(s.Created ? "created" : "updated")} scorecard '{s.ScorecardKey}': {s.Added} observations added, {s.Corrected} corrected, {s.Unchanged} unchanged");
                }
            }
            catch (ScorecardKeyTakenException e)
            {
                Console.Error.WriteLine($"error: {settings.File}: {e.Message} Nothing was stored.");
                refused = ExitCodes.Conflict;
            }
            catch (OwnersRefusedException e)
            {
                Console.Error.WriteLine($"error: {settings.File}: {e.Message}. Nothing was stored.");
                refused = ExitCodes.InvalidInput;
            }
            catch (ObservationsRefusedException e)
            {
                Console.Error.WriteLine($"error: {settings.File}: observations: {e.Message}. Nothing was stored.");
                refused = ExitCodes.InvalidInput;
            }
        });
        return ran == ExitCodes.Success ? refused : ran;
    }
}
