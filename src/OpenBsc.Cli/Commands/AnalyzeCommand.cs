using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenBsc.Application.Features.Scoring;
using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using Spectre.Console;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary>
/// <c>openbsc analyze FILE --at PERIOD [--forecast-to PERIOD] [--top N] [--json]</c>: forecasts, cause-effect
/// checks, detected tensions, best and worst performers and absolute weights (docs/analytics.md).
/// </summary>
public sealed class AnalyzeCommand : Command<AnalyzeCommand.Settings>
{
    /// <summary>Rows shown per long section of the text output; <c>--json</c> lists everything.</summary>
    private const int TextRows = 20;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Enums as their names ("Supported", "NotEnoughData", "Green"), like the statuses of score --json.
        Converters = { new JsonStringEnumConverter() },
    };

    public sealed class Settings : SourceSettings
    {
        [CommandOption("--at <PERIOD>")]
        [Description("The period analysed: 2026, 2026-H1, 2026-Q1, 2026-03, 2026-W07 or 2026-03-15. Links and tensions use the 24 periods of this kind ending with it.")]
        public string? At { get; init; }

        [CommandOption("--forecast-to <PERIOD>")]
        [Description("Project forecasts to this period (default: the end of the fiscal year holding the day after --at's period: this fiscal year's end, or the next one's when the period closes a year).")]
        public string? ForecastTo { get; init; }

        [CommandOption("--top <N>")]
        [Description("How many best and worst performers to list (default 5).")]
        public int Top { get; init; } = 5;

        [CommandOption("--json")]
        [Description("Print one JSON object (every forecast, link, tension, performer and weight) instead of the tables.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!Report.TryPeriod(settings.At, "--at", out var period, out int invalid))
        {
            return invalid;
        }

        Period? forecastTo = null;
        if (settings.ForecastTo is not null)
        {
            if (!Report.TryPeriod(settings.ForecastTo, "--forecast-to", out var to, out int invalidTo))
            {
                return invalidTo;
            }

            forecastTo = to;
        }

        if (settings.Top < 0)
        {
            return Report.InvalidOption($"--top {settings.Top.ToString(CultureInfo.InvariantCulture)} is negative: expected a count of 0 or more.");
        }

        var (model, code) = ScorecardSource.Load(settings, cancellationToken);
        if (model is null)
        {
            return code;
        }

        var options = AnalysisOptions.Default with { ForecastTo = forecastTo, Performers = settings.Top };
        var analysis = ScorecardAnalysis.Run(model, model.Scorecard, period, options);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(analysis, Json));
        }
        else
        {
            Write(AnsiConsole.Console, model.Scorecard, analysis);
        }

        return ExitCodes.Success;
    }

    private static void Write(IAnsiConsole console, Scorecard scorecard, ScorecardAnalysis analysis)
    {
        // Piped or redirected output has no terminal width: use a wide page rather than wrapping every cell.
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 180;
        }

        console.MarkupLine($"[bold]{Markup.Escape(scorecard.Name)}[/] — analysis at {Markup.Escape(analysis.Period)}; links and tensions over {Markup.Escape(analysis.WindowStart)} to {Markup.Escape(analysis.Period)}");
        console.WriteLine();
        WriteForecasts(console, analysis.Forecasts);
        WriteHealth(console, analysis.Health);
        WriteLinks(console, analysis.Links);
        WriteTensions(console, analysis.Tensions);
        WritePerformers(console, "Best performers", analysis.Best);
        WritePerformers(console, "Worst performers", analysis.Worst);
        WriteWeights(console, analysis.Weights);
        console.MarkupLine("Status: [green]● Green[/] · [yellow]▲ Yellow[/] · [red]■ Red[/] · [grey]○ No data[/]. Verdicts: ✔ supported (r ≥ 0.5) · ~ weak · ✘ contradicted (r ≤ −0.5) · ? not enough data (< 8 pairs).");
    }

    private static void WriteForecasts(IAnsiConsole console, IReadOnlyList<MeasureForecast> forecasts)
    {
        var missing = forecasts.Where(f => f.Forecast.OnTrack == false).ToList();
        int onTrack = forecasts.Count(f => f.Forecast.OnTrack == true);
        int noData = forecasts.Count(f => f.Forecast.Reason is not null);
        int noTarget = forecasts.Count - missing.Count - onTrack - noData;
        console.MarkupLine($"[bold]Forecasts[/]: {forecasts.Count} measures with a target — {onTrack} on track, {missing.Count} predicted to miss, {noData} not enough data (fewer than 4 values in the last 8 periods){(noTarget > 0 ? $", {noTarget} without a target at the forecast period" : string.Empty)}.");
        if (missing.Count == 0)
        {
            console.WriteLine();
            return;
        }

        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title("Forecasts predicted to miss the target (least squares, 80% prediction interval)")
            .AddColumn("Measure")
            .AddColumn("At")
            .AddColumn(new TableColumn("Projected").RightAligned())
            .AddColumn(new TableColumn("80% interval").RightAligned())
            .AddColumn(new TableColumn("Target").RightAligned())
            .AddColumn(new TableColumn("Per period").RightAligned())
            .AddColumn(new TableColumn("Points").RightAligned())
            .AddColumn("Forecast");
        foreach (var item in missing.Take(TextRows))
        {
            var f = item.Forecast;
            table.AddRow(
                Markup.Escape(item.Name),
                Markup.Escape(item.TargetPeriod),
                Number(f.Projected, item.Unit),
                f.Low is double low && f.High is double high ? Markup.Escape($"{Round(low)} … {Round(high)}") : "[grey]—[/]",
                Number(f.Target, item.Unit),
                f.Slope is double slope ? Markup.Escape((slope > 0 ? "+" : string.Empty) + Round(slope)) : "[grey]—[/]",
                f.Points.ToString(CultureInfo.InvariantCulture),
                "[red]✘ predicted to miss[/]");
        }

        console.Write(table);
        More(console, missing.Count);
    }

    private static void WriteLinks(IAnsiConsole console, IReadOnlyList<LinkCheck> links)
    {
        if (links.Count == 0)
        {
            console.MarkupLine("[bold]Cause-effect links[/]: none in the strategy map.");
            console.WriteLine();
            return;
        }

        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title("Cause-effect links: score of the cause at p against the effect at p + lag (lags 0–3)")
            .AddColumn("Cause → effect")
            .AddColumn(new TableColumn("Best lag").RightAligned())
            .AddColumn(new TableColumn("r").RightAligned())
            .AddColumn(new TableColumn("Pairs").RightAligned())
            .AddColumn("Verdict");
        foreach (var link in links)
        {
            table.AddRow(
                Markup.Escape($"{link.FromName ?? link.From} → {link.ToName ?? link.To}"),
                link.BestLag is int lag ? lag.ToString(CultureInfo.InvariantCulture) : "[grey]—[/]",
                link.R is double r ? Markup.Escape(Signed(r)) : "[grey]—[/]",
                link.Pairs.ToString(CultureInfo.InvariantCulture),
                Verdict(link.Verdict));
        }

        console.Write(table);
        console.WriteLine();
    }

    private static void WriteTensions(IAnsiConsole console, IReadOnlyList<DetectedTension> tensions)
    {
        if (tensions.Count == 0)
        {
            console.MarkupLine("[bold]Detected tensions[/]: none (no undeclared pair with r ≤ −0.5 over at least 8 periods).");
            console.WriteLine();
            return;
        }

        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title("Detected tensions: scores moving against each other (r ≤ −0.5), not declared")
            .AddColumn("First")
            .AddColumn("Second")
            .AddColumn(new TableColumn("r").RightAligned())
            .AddColumn(new TableColumn("Pairs").RightAligned());
        foreach (var tension in tensions.Take(TextRows))
        {
            table.AddRow(
                Markup.Escape(tension.FirstName ?? tension.First),
                Markup.Escape(tension.SecondName ?? tension.Second),
                Markup.Escape(Signed(tension.R)),
                tension.Pairs.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
        More(console, tensions.Count);
    }

    private static void WritePerformers(IAnsiConsole console, string title, IReadOnlyList<Performer> performers)
    {
        if (performers.Count == 0)
        {
            console.MarkupLine($"[bold]{title}[/]: no measure has a score.");
            console.WriteLine();
            return;
        }

        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title(title)
            .AddColumn("Measure")
            .AddColumn(new TableColumn("Score").RightAligned())
            .AddColumn("Status")
            .AddColumn(new TableColumn("Value").RightAligned())
            .AddColumn(new TableColumn("Target").RightAligned());
        foreach (var p in performers)
        {
            table.AddRow(Markup.Escape(p.Name), Round(p.Score * 100) + "%", Status(p.Status), Number(p.Value, p.Unit), Number(p.Target, p.Unit));
        }

        console.Write(table);
        console.WriteLine();
    }

    private static void WriteWeights(IAnsiConsole console, IReadOnlyList<AbsoluteWeight> weights)
    {
        var ranked = weights.OrderByDescending(w => w.Weight).ToList();
        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title("Absolute weights: each measure's share of the scorecard score")
            .AddColumn("Measure")
            .AddColumn(new TableColumn("Share").RightAligned());
        foreach (var w in ranked.Take(TextRows))
        {
            table.AddRow(Markup.Escape(w.Name), Round(w.Weight * 100) + "%");
        }

        console.Write(table);
        More(console, ranked.Count);
        int zero = weights.Count(w => w.Weight == 0);
        console.MarkupLine($"{weights.Count} measures; shares sum to {Round(weights.Sum(w => w.Weight) * 100)}%{(zero > 0 ? $"; {zero} not counted (weight 0, under a weight-0 item, or not scored)" : string.Empty)}.");
        console.WriteLine();
    }

    private static void WriteHealth(IAnsiConsole console, IReadOnlyList<MeasureHealth> health)
    {
        if (health.Count == 0)
        {
            return;
        }

        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title("Expected progress: where measures with a plan should be by now")
            .AddColumn("Measure")
            .AddColumn(new TableColumn("Expected now").RightAligned())
            .AddColumn(new TableColumn("Actual progress").RightAligned())
            .AddColumn(new TableColumn("Expected progress").RightAligned())
            .AddColumn(new TableColumn("Health").RightAligned())
            .AddColumn("Due");
        foreach (var h in health)
        {
            table.AddRow(
                Markup.Escape(h.Name),
                Number(h.Health.Expected, h.Unit),
                h.Health.ActualProgress is double a ? Round(a * 100) + "%" : "—",
                Round(h.Health.ExpectedProgress * 100) + "%",
                h.Health.Health is double x ? Round(x * 100) + "%" : "—",
                h.Due);
        }

        console.Write(table);
        console.WriteLine();
    }

    private static void More(IAnsiConsole console, int count)
    {
        if (count > TextRows)
        {
            console.MarkupLine($"… and {count - TextRows} more (--json lists all).");
        }

        console.WriteLine();
    }

    /// <summary>2 decimals, half away from zero (SCORING.md: rounding is for display only).</summary>
    private static string Round(double x) => ScoreReport.Display(x);

    private static string Signed(double r) => Math.Round(r, 2, MidpointRounding.AwayFromZero).ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture);

    private static string Number(double? x, string? unit) =>
        x is double v ? Markup.Escape(unit is null or "" ? Round(v) : unit == "%" ? Round(v) + "%" : $"{Round(v)} {unit}") : "[grey]—[/]";

    private static string Status(Domain.Scorecards.Status? status) => status switch
    {
        Domain.Scorecards.Status.Green => "[green]● Green[/]",
        Domain.Scorecards.Status.Yellow => "[yellow]▲ Yellow[/]",
        Domain.Scorecards.Status.Red => "[red]■ Red[/]",
        Domain.Scorecards.Status.Gray => "[grey]○ No data[/]",
        _ => Markup.Escape(ScoreReport.StatusLabel(status)),
    };

    private static string Verdict(LinkVerdict verdict) => verdict switch
    {
        LinkVerdict.Supported => "[green]✔ supported[/]",
        LinkVerdict.Contradicted => "[red]✘ contradicted[/]",
        LinkVerdict.Weak => "[yellow]~ weak[/]",
        _ => "[grey]? not enough data[/]",
    };
}
