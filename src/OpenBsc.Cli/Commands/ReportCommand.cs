using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.ReportingCycle;
using OpenBsc.Application.Features.Reports;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Scoring;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary>
/// <c>openbsc report FILE-OR-SCORECARD --at PERIOD --format pdf|xlsx|html -o FILE</c>, and
/// <c>openbsc report --book NAME --at PERIOD -o FILE</c> for a briefing book of the database.
/// </summary>
public sealed class ReportCommand : Command<ReportCommand.Settings>
{
    public sealed class Settings : DataSettings
    {
        [CommandArgument(0, "[FILE-OR-SCORECARD]")]
        [Description("A scorecard file (.yaml, .yml, .json), or the id of a scorecard stored in the database (with --data or --database). Not with --book.")]
        public string? File { get; init; }

        [CommandOption("--book <NAME>")]
        [Description("A briefing book of the database, by name: its scorecards and sections in one PDF or HTML.")]
        public string? Book { get; init; }

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

        if (!settings.Force && System.IO.File.Exists(settings.Output))
        {
            Console.Error.WriteLine($"error: {settings.Output} exists; nothing was written (choose another file, remove it, or add --force).");
            return ExitCodes.Conflict;
        }

        if (settings.Book is not null)
        {
            return settings.File is not null
                ? Report.InvalidOption("give either a scorecard or --book NAME, not both.")
                : WriteBook(settings, period, format, cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(settings.File))
        {
            return Report.InvalidOption("FILE-OR-SCORECARD is required (or --book NAME): the scorecard file or stored scorecard to report on.");
        }

        var view = new PeriodView(period, settings.YearToDate, today);
        ScorecardReport? report = null;
        int code = ExitCodes.Success;
        if (ScorecardSource.IsStored(settings.File))
        {
            // A stored scorecard's report carries the period's commentary and open actions, as the web's does.
            code = Database.RunOnScorecard(settings, settings.File, services =>
            {
                if (services.GetRequiredService<ScorecardSnapshots>().GetAsync(settings.File, cancellationToken).GetAwaiter().GetResult() is { } stored)
                {
                    report = services.GetRequiredService<ScorecardReports>().BuildAsync(stored, view, ReportParts.All, cancellationToken).GetAwaiter().GetResult();
                }
            }, create: false);
            if (code == ExitCodes.Success && report is null)
            {
                code = Report.InvalidOption($"'{settings.File}' is neither a scorecard file nor a scorecard stored in {settings.DatabaseOptions.Description}.");
            }
        }
        else
        {
            var (model, data, loaded) = ScorecardSource.LoadBundle(settings, settings.File, cancellationToken);
            code = loaded;
            if (model is not null)
            {
                // A file's commentary of the period is printed like stored commentary.
                var notes = data!.Commentary.Where(c => c.Period == period)
                    .ToDictionary(c => c.Item == data.Scorecard.Id ? "" : c.Item, c => new CommentaryEntry(c.Item, c.Period.ToString(), c.Analysis, c.Recommendations, null, default, 0), StringComparer.Ordinal);
                report = ScorecardReport.Build(model, data.Observations, view, TimeProvider.System.GetUtcNow().UtcDateTime);
                report = notes.Count == 0 ? report : report.WithCycle(ReportParts.All, notes, [], today) with { Actions = null };
            }
        }

        if (report is null)
        {
            return code;
        }

        string partial = settings.Output + ".partial";
        try
        {
            using (var file = System.IO.File.Create(partial))
            {
                ReportFiles.Write(report, format, file);
            }

            System.IO.File.Move(partial, settings.Output, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            System.IO.File.Delete(partial);
            Console.Error.WriteLine($"error: cannot write {settings.Output}: {e.Message}");
            return ExitCodes.EnvironmentFailure;
        }

        Console.Error.WriteLine($"wrote {settings.Output} ({format}, {report.Name}, {report.PeriodLabel})");
        return ExitCodes.Success;
    }

    private static int WriteBook(Settings settings, Domain.Periods.Period period, string format, CancellationToken cancellationToken)
    {
        if (format == "xlsx")
        {
            return Report.InvalidOption("a briefing book is written as pdf or html, not xlsx.");
        }

        (byte[] Content, string Title)? rendered = null;
        string? missing = null;
        int code = Database.Run(settings, services =>
        {
            var books = services.GetRequiredService<BriefingBooks>();
            if (books.FindAsync(null, settings.Book!, cancellationToken).GetAwaiter().GetResult() is not { } book)
            {
                missing = $"there is no briefing book named '{settings.Book}' in {settings.DatabaseOptions.Description}.";
                return;
            }

            Guid organisation;
            using (var db = services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContext())
            {
                organisation = db.BriefingBooks.AsNoTracking().Where(b => b.Id == book.Id).Select(b => b.OrganisationId).Single();
            }

            rendered = books.RenderAsync(organisation, book, period, format, cancellationToken).GetAwaiter().GetResult();
            missing = rendered is null ? $"briefing book '{book.Definition.Name}' names a scorecard that is gone; edit the book." : null;
        }, create: false);
        if (code != ExitCodes.Success)
        {
            return code;
        }

        if (rendered is not { } done)
        {
            return Report.InvalidOption(missing!);
        }

        string partial = settings.Output + ".partial";
        try
        {
            System.IO.File.WriteAllBytes(partial, done.Content);
            System.IO.File.Move(partial, settings.Output!, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            System.IO.File.Delete(partial);
            Console.Error.WriteLine($"error: cannot write {settings.Output}: {e.Message}");
            return ExitCodes.EnvironmentFailure;
        }

        Console.Error.WriteLine($"wrote {settings.Output} ({format}, {done.Title})");
        return ExitCodes.Success;
    }
}
