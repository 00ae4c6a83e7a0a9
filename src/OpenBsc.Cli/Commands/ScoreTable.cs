using System.Globalization;
using OpenBsc.Application.Features.Scoring;
using Spectre.Console;

namespace OpenBsc.Cli.Commands;

/// <summary>The readable tree table of <c>openbsc score</c>: status by colour, icon and word, and a legend.</summary>
internal static class ScoreTable
{
    /// <summary>Writes the table; <paramref name="periodNote"/> (e.g. "in progress — 2 of 3 months") follows the period in the title.</summary>
    public static void Write(IAnsiConsole console, ScoreReport report, string? periodNote = null)
    {
        // Piped or redirected output has no terminal width: use a wide page rather than wrapping every cell.
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 180;
        }

        var root = report.Scorecard;
        string view = (report.YearToDate ? $"{report.Period}, year to date" : report.Period) + (periodNote is null ? string.Empty : $" ({periodNote})");
        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title($"[bold]{Markup.Escape(root.Name)}[/] — {Markup.Escape(view)}")
            .AddColumn("Item")
            .AddColumn(new TableColumn("Value").RightAligned())
            .AddColumn(new TableColumn("Target").RightAligned())
            .AddColumn(new TableColumn("Progress").RightAligned())
            .AddColumn(new TableColumn("Score").RightAligned())
            .AddColumn("Status")
            .AddColumn("Trend")
            .AddColumn(new TableColumn("Data").RightAligned());

        foreach (var node in report.Nodes)
        {
            // Non-breaking spaces: leading ordinary spaces are trimmed by the table renderer.
            string indent = new('\u00A0', node.Depth * 3);
            string name = node.Kind is "measure" or "series" ? Markup.Escape(node.Name) : $"[bold]{Markup.Escape(node.Name)}[/]";
            string data = node.Kind is "measure" or "series" && node.ChildrenTotal == 0
                ? string.Join(", ", new[] { node.Inherited ? "inherited" : null, node.Incomplete && node.Value is not null ? "incomplete" : null }.OfType<string>())
                : $"{node.ChildrenWithData} of {node.ChildrenTotal}";
            table.AddRow(
                indent + name,
                Number(node.Value, node.Unit),
                Number(node.Target, node.Unit),
                Percent(node.Progress),
                Percent(node.Score),
                node is { Status: "Gray", Value: not null, Target: null, Score: null } ? "[grey]○ No target[/]" : Status(node.Status),
                Trend(node.Trend),
                data);
        }

        console.Write(table);
        console.MarkupLine("Status: [green]● Green[/] score ≥ target band · [yellow]▲ Yellow[/] watch · [red]■ Red[/] act · [grey]○ No data[/] (○ No target: a value without the target it is scored against) · – not scored (informational)");
        console.MarkupLine("Trend against the previous period: ↑ improving · ↓ worsening · → flat (change < 0.5 points). Scores are 0–100% of the way to target.");
    }

    /// <summary>2 decimals, half away from zero (SCORING.md: rounding is for display only).</summary>
    private static string Round(double x) => ScoreReport.Display(x);

    private static string Number(double? x, string? unit) =>
        x is double v ? Markup.Escape(unit is null or "" ? Round(v) : unit == "%" ? Round(v) + "%" : $"{Round(v)} {unit}") : "[grey]—[/]";

    private static string Percent(double? x) => x is double v ? Round(v * 100) + "%" : "[grey]—[/]";

    private static string Status(string? status) => status switch
    {
        "Green" => "[green]● Green[/]",
        "Yellow" => "[yellow]▲ Yellow[/]",
        "Red" => "[red]■ Red[/]",
        "Gray" => "[grey]○ No data[/]",
        _ => "[grey]– Not scored[/]",
    };

    private static string Trend(string? trend) => trend switch
    {
        "improving" => "[green]↑ improving[/]",
        "worsening" => "[red]↓ worsening[/]",
        "flat" => "→ flat",
        _ => "[grey]—[/]",
    };
}
