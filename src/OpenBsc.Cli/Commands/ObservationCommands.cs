using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.Observations;
using Spectre.Console;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary><c>openbsc observations import FILE.csv|.xlsx --scorecard KEY</c>: all or nothing, every bad row listed.</summary>
public sealed class ImportObservationsCommand : Command<ImportObservationsCommand.Settings>
{
    public sealed class Settings : DataSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("Observations as .csv (header measure,period,value[,note][,segment]) or .xlsx (the same columns on the first sheet).")]
        public string File { get; init; } = string.Empty;

        [CommandOption("-s|--scorecard <KEY>")]
        [Description("The stored scorecard the observations belong to.")]
        public string? Scorecard { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Scorecard is null)
        {
            return Report.InvalidOption("--scorecard KEY is required: the stored scorecard the observations belong to.");
        }

        if (ObservationImport.FormatOf(settings.File) is not { } format)
        {
            return Report.InvalidOption($"{settings.File}: expected a .csv or .xlsx file.");
        }

        FileStream file;
        try
        {
            file = new FileStream(settings.File, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {settings.File} cannot be read: {e.Message}");
            return ExitCodes.EnvironmentFailure;
        }

        using (file)
        {
            int exit = ExitCodes.Success;
            int ran = Database.RunOnScorecard(settings, settings.Scorecard, services =>
            {
                var import = services.GetRequiredService<ObservationImport>();
                var result = WithProgress($"importing {Path.GetFileName(settings.File)}", file, progress =>
                    import.ImportAsync(settings.Scorecard, file, format, settings.File, Environment.UserName, progress, cancellationToken: cancellationToken));
                exit = Print(settings.File, result);
            }, create: false);
            return ran == ExitCodes.Success ? exit : ran;
        }
    }

    private static int Print(string file, ObservationImportResult result)
    {
        if (result.Summary is { } s)
        {
            Console.Out.WriteLine($"imported {s.Rows:N0} rows into scorecard '{s.Scorecard}': {s.Added:N0} observations added, {s.Corrected:N0} corrected, {s.Unchanged:N0} unchanged");
            return ExitCodes.Success;
        }

        if (result.Refusal is { } refusal)
        {
            Console.Error.WriteLine($"error: {file}: {refusal.Message} Nothing was stored.");
            return ExitCodes.InvalidInput;
        }

        foreach (var error in result.Errors)
        {
            Console.Error.WriteLine(error.Format(file));
        }

        if (result.More is { } more)
        {
            Console.Error.WriteLine(more);
        }

        Console.Error.WriteLine($"{result.ErrorCount:N0} bad row{(result.ErrorCount == 1 ? string.Empty : "s")}; nothing was stored.");
        return ExitCodes.InvalidInput;
    }

    /// <summary>Runs the import, with a progress bar (by bytes read) when standard error is a terminal.</summary>
    private static ObservationImportResult WithProgress(string label, FileStream file, Func<IProgress<long>?, Task<ObservationImportResult>> run)
    {
        if (Console.IsErrorRedirected || file.Length < (1 << 20))
        {
            return run(null).GetAwaiter().GetResult();
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(label, maxValue: file.Length);
                var result = run(new Progress<long>(_ => task.Value = file.Position)).GetAwaiter().GetResult();
                task.Value = file.Length;
                return result;
            });
    }
}

/// <summary><c>openbsc observations export --scorecard KEY -o FILE.csv|.xlsx [--history]</c>: streamed.</summary>
public sealed class ExportObservationsCommand : Command<ExportObservationsCommand.Settings>
{
    public sealed class Settings : DataSettings
    {
        [CommandOption("-s|--scorecard <KEY>")]
        [Description("The stored scorecard whose observations to write.")]
        public string? Scorecard { get; init; }

        [CommandOption("-o|--output <FILE>")]
        [Description("The file to write: .csv or .xlsx (the extension picks the format).")]
        public string? Output { get; init; }

        [CommandOption("--history")]
        [Description("Every value ever entered (superseded ones too), with who entered it, when, and why it was corrected.")]
        public bool History { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Scorecard is null || settings.Output is null)
        {
            return Report.InvalidOption("--scorecard KEY and -o FILE.csv|FILE.xlsx are required.");
        }

        if (ObservationImport.FormatOf(settings.Output) is not { } format)
        {
            return Report.InvalidOption($"-o {settings.Output}: expected a .csv or .xlsx file name.");
        }

        int exit = ExitCodes.Success;
        int ran = Database.RunOnScorecard(settings, settings.Scorecard, services =>
        {
            var export = services.GetRequiredService<ObservationExport>();
            if (!export.ExistsAsync(settings.Scorecard, cancellationToken).GetAwaiter().GetResult())
            {
                Console.Error.WriteLine($"error: there is no scorecard '{settings.Scorecard}'; nothing was written.");
                exit = ExitCodes.InvalidInput;
                return;
            }

            string temporary = settings.Output + ".partial";
            try
            {
                long? rows;
                using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                {
                    rows = export.ExportAsync(settings.Scorecard, file, format, settings.History, cancellationToken: cancellationToken).GetAwaiter().GetResult();
                }

                // Written beside, then moved: a failed export never leaves half a file under the asked name.
                File.Move(temporary, settings.Output, overwrite: true);
                Console.Out.WriteLine($"wrote {rows:N0} observations to {settings.Output}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                File.Delete(temporary);
                Console.Error.WriteLine($"error: {settings.Output} cannot be written: {e.Message}");
                exit = ExitCodes.EnvironmentFailure;
            }
        }, create: false);
        return ran == ExitCodes.Success ? exit : ran;
    }
}
