using System.ComponentModel;
using OpenBsc.Application.Features.Reports;
using OpenBsc.Domain.Scoring;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary><c>openbsc report FILE-OR-SCORECARD --at PERIOD --format pdf|xlsx|html -o FILE</c>.</summary>
public sealed class ReportCommand : Command<ReportCommand.Settings>
{
    public sealed class Settings : SourceSettings
    {
        [CommandOption("--at <PERIOD>")]
        [Description("The period: 2026, 2026-H1, 2026-Q1, 2026-03, 2026-W07 or 2026-03-15.")]
        public string? At { get; init; }

        [CommandOption("--today <DATE>")]
        [Description("The date a period is judged against (YYYY-MM-DD): a period ending after it is in progress. Default: today.")]
        public string? Today { get; init; }

        [CommandOption("--ytd")]
        [Description("Year to date: from the start of the fiscal year to the end of PERIOD.")]
        public bool YearToDate { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("pdf, xlsx or html (default: from the output file's extension).")]
        public string? Format { get; init; }

        [CommandOption("-o|--output <FILE>")]
        [Description("Where to write the report (required).")]
        public string? Output { get; init; }

        [CommandOption("--force")]
        [Description("Overwrite the output file if it exists.")]
        public bool Force { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!Report.TryPeriod(settings.At, "--at", out var period, out int invalid) || !Report.TryToday(settings.Today, out var today, out invalid))
        {
            return invalid;
        }

        if (string.IsNullOrWhiteSpace(settings.Output))
        {
            return Report.InvalidOption("-o FILE is required: where to write the report (e.g. -o report.pdf).");
        }

        string format = (settings.Format ?? Path.GetExtension(settings.Output).TrimStart('.')).ToLowerInvariant();
        if (format is not ("pdf" or "xlsx" or "html"))
        {
            return Report.InvalidOption($"--format '{format}' is not a report format: expected pdf, xlsx or html.");
        }

        if (!settings.Force && File.Exists(settings.Output))
        {
            Console.Error.WriteLine($"error: {settings.Output} exists; nothing was written (choose another file, remove it, or add --force).");
            return ExitCodes.Conflict;
        }

        var (model, observations, code) = ScorecardSource.LoadWithData(settings, cancellationToken);
        if (model is null)
        {
            return code;
        }

        var report = ScorecardReport.Build(model, observations, new PeriodView(period, settings.YearToDate, today), TimeProvider.System.GetUtcNow().UtcDateTime);
        string partial = settings.Output + ".partial";
        try
        {
            using (var file = File.Create(partial))
            {
                ReportFiles.Write(report, format, file);
            }

            File.Move(partial, settings.Output, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(partial);
            Console.Error.WriteLine($"error: cannot write {settings.Output}: {e.Message}");
            return ExitCodes.EnvironmentFailure;
        }

        Console.Error.WriteLine($"wrote {settings.Output} ({format}, {report.Name}, {report.PeriodLabel})");
        return ExitCodes.Success;
    }
}
