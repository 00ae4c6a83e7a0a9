using OpenBsc.Application.Features.ScorecardFiles;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary><c>openbsc validate FILE</c>: "valid" with a summary, or every error; exit 1 when invalid.</summary>
public sealed class ValidateCommand : Command<FileSettings>
{
    public override int Execute(CommandContext context, FileSettings settings, CancellationToken cancellationToken)
    {
        var loaded = ScorecardFileLoader.Load(settings.File);
        if (!loaded.Succeeded)
        {
            return Report.Errors(loaded);
        }

        var card = loaded.Bundle[0].Scorecard;
        int measures = card.AllMeasures().Count();
        Console.Out.WriteLine($"valid: {settings.File} — scorecard '{card.Id}' ({card.Name}): {card.Perspectives.Count} perspectives, {card.AllObjectives().Count()} objectives, {measures} measures, {loaded.Bundle[0].Observations.Count} observations");
        var coverage = Domain.Customers.CustomerCoverage.Check(card);
        if (coverage.PerspectiveId is not null)
        {
            Console.Out.WriteLine($"customer perspective '{coverage.PerspectiveId}': concerns measured: {(coverage.Concerns.Count == 0 ? "none" : string.Join(", ", coverage.Concerns.Select(Domain.Customers.CustomerCoverage.Describe)))}");
        }

        // Coverage gaps are advice, not errors: the file stays valid (exit 0).
        foreach (string warning in loaded.Warnings.Concat(coverage.Warnings))
        {
            Console.Out.WriteLine($"warning: {warning}");
        }

        return ExitCodes.Success;
    }
}
