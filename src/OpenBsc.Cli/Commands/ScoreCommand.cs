using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenBsc.Application.Features.Scoring;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;
using Spectre.Console;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary><c>openbsc score FILE --at PERIOD [--ytd] [--json]</c>.</summary>
public sealed class ScoreCommand : Command<ScoreCommand.Settings>
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public sealed class Settings : SourceSettings
    {
        [CommandOption("--at <PERIOD>")]
        [Description("The period: 2026, 2026-H1, 2026-Q1, 2026-03, 2026-W07 or 2026-03-15.")]
        public string? At { get; init; }

        [CommandOption("--today <DATE>")]
        [Description("The date a period is judged against (YYYY-MM-DD): a period ending after it is in progress. Default: today.")]
        public string? Today { get; init; }

        [CommandOption("--ytd")]
        [Description("Year to date: aggregate from the start of the fiscal year to the end of PERIOD.")]
        public bool YearToDate { get; init; }

        [CommandOption("--json")]
        [Description("Print JSON (the contract of docs/score-json.md) instead of the table.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!Report.TryPeriod(settings.At, "--at", out var period, out int invalid) || !Report.TryToday(settings.Today, out var today, out invalid))
        {
            return invalid;
        }

        var (model, code) = ScorecardSource.Load(settings, cancellationToken);
        if (model is null)
        {
            return code;
        }

        var evaluation = model.Evaluate(new PeriodView(period, settings.YearToDate, today));
        var report = ScoreReport.From(evaluation);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, Json));
        }
        else
        {
            ScoreTable.Write(AnsiConsole.Console, report, PeriodNotes.State(evaluation[0].Coverage, model.Scorecard.ReportingFrequency()));
        }

        return ExitCodes.Success;
    }
}
