using System.ComponentModel;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Transfer;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary><c>openbsc db migrate</c>: creates or upgrades the schema on purpose (PostgreSQL never migrates at start-up).</summary>
public sealed class DbMigrateCommand : Command<DataSettings>
{
    public override int Execute(CommandContext context, DataSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var options = settings.DatabaseOptions;
            var applied = DatabaseSetup.Migrate(options);
            Console.Out.WriteLine(applied.Count == 0
                ? $"{options.Description}: the schema is up to date."
                : $"{options.Description}: applied {applied.Count} migration(s): {string.Join(", ", applied)}.");
            return ExitCodes.Success;
        }
        catch (DatabaseUnavailableException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.EnvironmentFailure;
        }
    }
}

/// <summary><c>openbsc db copy --from sqlite:FILE --to postgres:CONN</c>: moves an installation, then compares counts and scores.</summary>
public sealed class DbCopyCommand : Command<DbCopyCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--from <DATABASE>")]
        [Description("The database to copy: sqlite:FILE or postgres:CONNECTION-STRING.")]
        public string From { get; init; } = "";

        [CommandOption("--to <DATABASE>")]
        [Description("A new, empty database to copy into (migrated first): postgres:CONNECTION-STRING or sqlite:FILE.")]
        public string To { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.From.Length == 0 || settings.To.Length == 0)
        {
            Console.Error.WriteLine("error: --from and --to are both required, e.g. --from sqlite:openbsc.db --to \"postgres:Host=…;Database=…\"");
            return ExitCodes.InvalidInput;
        }

        try
        {
            var from = DatabaseOptions.ParseLocation(settings.From);
            var to = DatabaseOptions.ParseLocation(settings.To);
            // The source is opened as it would be served (a SQLite file is brought to this version's schema first).
            DatabaseSetup.Prepare(from, create: false);
            DatabaseSetup.Migrate(to);
            var report = DatabaseCopy.CopyAsync(from, to, cancellationToken).GetAwaiter().GetResult();
            Console.Out.WriteLine($"copied {from.Description} to {to.Description}");
            foreach (var table in report.Tables)
            {
                Console.Out.WriteLine($"  {table.Table,-24} {table.Source,10} → {table.Target,10}  {(table.Same ? "same" : "DIFFERENT")}");
            }

            foreach (var score in report.Scores)
            {
                Console.Out.WriteLine($"  scores of '{score.Scorecard}' at {score.Period} ({score.Nodes} nodes): {(score.Same ? "same" : "DIFFERENT")}");
            }

            if (report.NulCharactersReplaced > 0)
            {
                Console.Out.WriteLine($"note: {report.NulCharactersReplaced:N0} NUL character(s) (U+0000) in text were written as U+FFFD: PostgreSQL cannot store them.");
            }

            if (!report.Identical)
            {
                Console.Error.WriteLine("error: the copy differs from the source (see above).");
                return ExitCodes.EnvironmentFailure;
            }

            Console.Out.WriteLine("nothing lost: every count and every score is the same.");
            return ExitCodes.Success;
        }
        catch (DatabaseUnavailableException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.EnvironmentFailure;
        }
        catch (CopyRefusedException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Conflict;
        }
    }
}
