using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Application.Features.Scorecards;
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

    public sealed class Settings : DataSettings
    {
        [CommandArgument(0, "<FILE-OR-SCORECARD>")]
        [Description("A scorecard file (.yaml, .yml, .json), or the id of a scorecard stored in the database.")]
        public string File { get; init; } = string.Empty;

        [CommandOption("--at <PERIOD>")]
        [Description("The period: 2026, 2026-H1, 2026-Q1, 2026-03, 2026-W07 or 2026-03-15.")]
        public string? At { get; init; }

        [CommandOption("--ytd")]
        [Description("Year to date: aggregate from the start of the fiscal year to the end of PERIOD.")]
        public bool YearToDate { get; init; }

        [CommandOption("--json")]
        [Description("Print JSON (the contract of docs/score-json.md) instead of the table.")]
        public bool Json { get; init; }
    }

    /// <summary>An id such as <c>customer-support</c> that is not a file names a stored scorecard.</summary>
    private static bool IsStoredScorecard(string argument) =>
        !System.IO.File.Exists(argument) && Domain.Validation.ScorecardValidator.IsValidId(argument);

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.At is null)
        {
            return Report.InvalidOption($"--at PERIOD is required: expected {Period.AcceptedForms}.");
        }

        if (!Period.TryParse(settings.At, out var period))
        {
            return Report.InvalidOption($"--at '{settings.At}' is not a period: expected {Period.AcceptedForms}.");
        }

        var view = new PeriodView(period, settings.YearToDate);
        ScoreReport report;
        if (IsStoredScorecard(settings.File))
        {
            ScoreReport? stored = null;
            int code = Database.Run(settings, services =>
            {
                var snapshot = services.GetRequiredService<ScorecardSnapshots>().GetAsync(settings.File, cancellationToken).GetAwaiter().GetResult();
                stored = snapshot is null ? null : ScoreReport.From(snapshot.Evaluate(view));
            }, create: false);
            if (code != ExitCodes.Success)
            {
                return code;
            }

            if (stored is null)
            {
                return Report.InvalidOption($"'{settings.File}' is neither a scorecard file nor a scorecard stored in {settings.DatabaseOptions.SqliteFile}.");
            }

            report = stored;
        }
        else
        {
            var loaded = ScorecardFileLoader.Load(settings.File);
            if (!loaded.Succeeded)
            {
                return Report.Errors(loaded);
            }

            report = ScoreReport.From(ScorecardModel.Build(loaded.Bundle, loaded.SourceAliases).Evaluate(view));
        }

        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, Json));
        }
        else
        {
            ScoreTable.Write(AnsiConsole.Console, report);
        }

        return ExitCodes.Success;
    }
}
