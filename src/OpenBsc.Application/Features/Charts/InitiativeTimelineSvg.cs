using System.Globalization;
using System.Text;
using OpenBsc.Application.Features.Initiatives;
using OpenBsc.Domain.Initiatives;

namespace OpenBsc.Application.Features.Charts;

/// <summary>
/// The initiatives' timeline as one SVG (no script): a bar per initiative from start to end across months, filled to
/// its fraction complete in the colour of its status against plan, milestones as diamonds (filled when done, red when
/// overdue), and a line at the date looked at. Initiatives without dates get a row saying so.
/// </summary>
public static class InitiativeTimelineSvg
{
    private const double Width = 960, LabelWidth = 250, Right = 20, Top = 34, RowHeight = 30, Bottom = 24;

    public static string Render(IReadOnlyList<InitiativeLine> initiatives, DateOnly at)
    {
        ArgumentNullException.ThrowIfNull(initiatives);
        var dates = initiatives.SelectMany(i => new[] { i.Start, i.End }.OfType<DateOnly>().Concat(i.Milestones.Select(m => m.Due))).Append(at).ToList();
        var first = new DateOnly(dates.Min().Year, dates.Min().Month, 1);
        var lastDate = dates.Max();
        var last = new DateOnly(lastDate.Year, lastDate.Month, 1).AddMonths(1); // exclusive
        double span = last.DayNumber - first.DayNumber;
        double x0 = LabelWidth, x1 = Width - Right;
        double X(DateOnly d) => x0 + ((x1 - x0) * (d.DayNumber - first.DayNumber) / span);
        double height = Top + (Math.Max(initiatives.Count, 1) * RowHeight) + Bottom;

        var svg = new StringBuilder();
        string F(double v) => SvgText.Number(v);
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 {F(Width)} {F(height)}\" width=\"100%\" role=\"img\" aria-labelledby=\"timeline-title\" font-family=\"{SvgText.FontFamily}\" font-size=\"12\">");
        svg.Append("<title id=\"timeline-title\">Initiatives timeline: a bar per initiative from start to end, filled to its part complete; diamonds are milestones; the red line is ")
            .Append(Day(at)).Append("</title>");

        // Months: a tick and label every k months so that labels do not collide.
        int months = ((last.Year - first.Year) * 12) + last.Month - first.Month;
        // About 60 px a label ("Jan 2026" at 12 px is ~50 px wide).
        int every = Math.Max(1, (int)Math.Ceiling(months * 62 / (x1 - x0)));
        int labelledYear = 0;
        for (var month = first; month < last; month = month.AddMonths(1))
        {
            int index = ((month.Year - first.Year) * 12) + month.Month - first.Month;
            double x = X(month);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{F(Top - 6)}\" x2=\"{F(x)}\" y2=\"{F(height - Bottom)}\" stroke=\"#e0e0e0\"/>");
            if (index % every == 0)
            {
                // The first label of each year carries the year.
                string label = month.Year != labelledYear ? month.ToString("MMM yyyy", CultureInfo.InvariantCulture) : month.ToString("MMM", CultureInfo.InvariantCulture);
                labelledYear = month.Year;
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + 3)}\" y=\"{F(Top - 12)}\" fill=\"#546e7a\">{SvgText.Escape(label)}</text>");
            }
        }

        for (int row = 0; row < initiatives.Count; row++)
        {
            var line = initiatives[row];
            double y = Top + (row * RowHeight);
            double mid = y + (RowHeight / 2);
            var (color, word) = Style(line.Status);
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"initiative\" data-id=\"{SvgText.Escape(line.Id)}\">");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"6\" y=\"{F(mid + 4)}\" fill=\"#263238\">{SvgText.Escape(SvgText.Truncate(line.Name, LabelWidth - 90, 12))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(LabelWidth - 8)}\" y=\"{F(mid + 4)}\" text-anchor=\"end\" fill=\"{color}\" font-weight=\"bold\">{SvgText.Escape(word)}</text>");
            if (line.Start is { } start && line.End is { } end)
            {
                double bx = X(start), bw = Math.Max(2, X(end.AddDays(1)) - bx);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(bx)}\" y=\"{F(y + 7)}\" width=\"{F(bw)}\" height=\"{F(RowHeight - 14)}\" rx=\"3\" fill=\"#eceff1\" stroke=\"{color}\">")
                    .Append("<title>").Append(SvgText.Escape($"{line.Name}: {Day(start)} to {Day(end)}, {Percent(line.Complete)} complete, {Percent(line.Planned)} planned — {word}")).Append("</title></rect>");
                if (line.Complete is { } complete && complete > 0)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(bx)}\" y=\"{F(y + 7)}\" width=\"{F(bw * complete)}\" height=\"{F(RowHeight - 14)}\" rx=\"3\" fill=\"{color}\" opacity=\"0.75\"/>");
                }
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x0 + 6)}\" y=\"{F(mid + 4)}\" fill=\"#78909c\" font-style=\"italic\">no start and end dates</text>");
            }

            foreach (var milestone in line.Milestones)
            {
                double mx = X(milestone.Due.AddDays(1)) - ((X(milestone.Due.AddDays(1)) - X(milestone.Due)) / 2);
                var (fill, stroke) = milestone.Status switch
                {
                    MilestoneStatus.Done => ("#1b5e20", "#1b5e20"),
                    MilestoneStatus.Overdue => ("#c62828", "#b71c1c"),
                    _ => ("#ffffff", "#263238"),
                };
                svg.Append(CultureInfo.InvariantCulture, $"<polygon class=\"milestone {milestone.Status.ToString().ToLowerInvariant()}\" points=\"{F(mx)},{F(mid - 7)} {F(mx + 7)},{F(mid)} {F(mx)},{F(mid + 7)} {F(mx - 7)},{F(mid)}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\">")
                    .Append("<title>").Append(SvgText.Escape($"{milestone.Name}: due {Day(milestone.Due)} — {MilestoneWord(milestone)}")).Append("</title></polygon>");
            }

            svg.Append("</g>");
        }

        if (initiatives.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x0 + 6)}\" y=\"{F(Top + 19)}\" fill=\"#78909c\">No initiatives.</text>");
        }

        double ax = X(at.AddDays(1));
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"at\" x1=\"{F(ax)}\" y1=\"{F(Top - 6)}\" x2=\"{F(ax)}\" y2=\"{F(height - Bottom + 4)}\" stroke=\"#c62828\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>");
        string anchor = ax > x1 - 40 ? "end" : ax < x0 + 40 ? "start" : "middle";
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(ax)}\" y=\"{F(height - 6)}\" text-anchor=\"{anchor}\" fill=\"#c62828\">{Day(at)}</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The colour and word of a status against plan (a word too, so that status never rests on colour alone).</summary>
    public static (string Color, string Word) Style(InitiativeStatus status) => status switch
    {
        InitiativeStatus.OnTrack => ("#2e7d32", "On track"),
        InitiativeStatus.Behind => ("#b26a00", "Behind"),
        InitiativeStatus.Late => ("#c62828", "Late"),
        InitiativeStatus.Done => ("#1565c0", "Done"),
        InitiativeStatus.NotStarted => ("#607d8b", "Not started"),
        _ => ("#607d8b", "Unplanned"),
    };

    public static string MilestoneWord(MilestoneLine milestone) => milestone.Status switch
    {
        MilestoneStatus.Done => milestone.DoneOn is { } on ? $"done {Day(on)}{(milestone.DoneLate ? " (late)" : "")}" : "done",
        MilestoneStatus.Overdue => "overdue",
        _ => "upcoming",
    };

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("0", CultureInfo.InvariantCulture) + " %" : "—";
}
