using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Domain.Validation;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary>Settings of verbs that take a scorecard file or the id of a stored scorecard.</summary>
public class SourceSettings : DataSettings
{
    [CommandArgument(0, "<FILE-OR-SCORECARD>")]
    [Description("A scorecard file (.yaml, .yml, .json), or the id of a scorecard stored in the database (with --data or --database).")]
    public string File { get; init; } = string.Empty;
}

/// <summary>Loads the scorecard a verb works on, from its file or from the database, as an evaluation model.</summary>
internal static class ScorecardSource
{
    /// <summary>The model, or null with the exit code to return (errors already printed).</summary>
    public static (ScorecardModel? Model, int ExitCode) Load(SourceSettings settings, CancellationToken cancellationToken)
    {
        var (model, _, code) = LoadWithData(settings, cancellationToken);
        return (model, code);
    }

    /// <summary>The model and the root scorecard's observations (for their notes), or null with the exit code to return.</summary>
    public static (ScorecardModel? Model, IReadOnlyList<Domain.Scorecards.Observation> Observations, int ExitCode) LoadWithData(SourceSettings settings, CancellationToken cancellationToken)
    {
        var (model, data, code) = LoadBundle(settings, settings.File, cancellationToken);
        return (model, data?.Observations ?? [], code);
    }

    /// <summary>Whether <paramref name="file"/> names a scorecard stored in the database rather than a file.</summary>
    public static bool IsStored(string file) => !System.IO.File.Exists(file) && ScorecardValidator.IsValidId(file);

    /// <summary>The model and the root scorecard's data (observations and, for a file, its commentary), or null with the exit code to return.</summary>
    public static (ScorecardModel? Model, Domain.Scorecards.ScorecardData? Data, int ExitCode) LoadBundle(DataSettings settings, string file, CancellationToken cancellationToken)
    {
        // An id such as customer-support that is not a file names a stored scorecard.
        if (IsStored(file))
        {
            ScorecardSnapshot? stored = null;
            int code = Database.RunOnScorecard(settings, file, services =>
            {
                stored = services.GetRequiredService<ScorecardSnapshots>().GetAsync(file, cancellationToken).GetAwaiter().GetResult();
            }, create: false);
            if (code != ExitCodes.Success)
            {
                return (null, null, code);
            }

            return stored is null
                ? (null, null, Report.InvalidOption($"'{file}' is neither a scorecard file nor a scorecard stored in {settings.DatabaseOptions.Description}."))
                : (stored.Model, stored.Bundle[0], ExitCodes.Success);
        }

        var loaded = ScorecardFileLoader.Load(file);
        return loaded.Succeeded
            ? (ScorecardModel.Build(loaded.Bundle, loaded.SourceAliases), loaded.Bundle[0], ExitCodes.Success)
            : (null, null, Report.Errors(loaded));
    }
}
