using System.Globalization;
using System.Net;
using System.Text;
using OpenBsc.Application.Features.ReportingCycle;
using OpenBsc.Application.Features.StrategyMaps;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.Reports;

/// <summary>The report as one printable HTML page (no script, styles inline, the strategy map as inline SVG).</summary>
public static class ReportHtml
{
    public static string Render(ScorecardReport report)
    {
        var html = Head(report.Name + " — " + report.PeriodLabel);
        Body(html, report);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>A briefing book: its cover naming the scorecards, then each scorecard's report with the book's parts.</summary>
    public static string RenderBook(string title, IReadOnlyList<ScorecardReport> reports)
    {
        var html = Head(title);
        html.Append("<section class=\"cover\"><p>Briefing book</p><h1>").Append(E(title)).Append("</h1><ul>");
        foreach (var report in reports)
        {
            var style = ScorecardReport.Style(report.Status, report.Score);
            html.Append("<li>").Append(E(report.Name)).Append(" — ").Append(E(report.PeriodLabel)).Append(report.PeriodNote is null ? "" : " (" + E(report.PeriodNote) + ")")
                .Append(": <strong>").Append(ScorecardReport.Percent(report.Score)).Append("</strong> <span class=\"status\" style=\"color:").Append(style.Ink).Append("\">")
                .Append(style.Icon).Append(' ').Append(style.Word).Append("</span></li>");
        }

        html.Append("</ul></section>\n");
        foreach (var report in reports)
        {
            html.Append("<article class=\"section\">");
            Body(html, report);
            html.Append("</article>\n");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static StringBuilder Head(string title)
    {
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>\n<style>")
            .Append("body{font-family:'DejaVu Sans',Arial,sans-serif;color:#1d2733;margin:2rem;font-size:11pt}h1{margin:0 0 .2rem}h2{margin-top:2rem;border-bottom:2px solid #1d2733}")
            .Append("table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #dde1e6;padding:3px 6px;text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}")
            .Append(".status{font-weight:600}.comment{color:#555;font-size:9pt}.commentary{font-size:10pt;margin:.3rem 0 .6rem}.commentary h3,.commentary h4{font-size:10pt;margin:.4rem 0 .1rem}.cover{page-break-after:always}.section{page-break-before:always}.map svg{max-width:100%;height:auto}")
            .Append("@media print{body{margin:0}a{color:inherit;text-decoration:none}}")
            // On a phone a wide table scrolls inside itself (so it takes the keyboard focus too); the page does not.
            .Append("@media (max-width:700px){body{margin:.6rem}table{display:block;overflow-x:auto}}</style></head><body>\n");
        return html;
    }

    /// <summary>Analysis and recommendations as sanitised HTML (docs/reporting-cycle.md: raw HTML is never passed through).</summary>
    private static void Commentary(StringBuilder html, ReportCommentary? commentary)
    {
        if (commentary is null)
        {
            return;
        }

        html.Append("<div class=\"commentary\">");
        if (commentary.Analysis.Length > 0)
        {
            html.Append("<p><strong>Analysis</strong></p>").Append(CommentaryText.ToHtml(commentary.Analysis));
        }

        if (commentary.Recommendations.Length > 0)
        {
            html.Append("<p><strong>Recommendations</strong></p>").Append(CommentaryText.ToHtml(commentary.Recommendations));
        }

        html.Append("</div>");
    }

    private static void Body(StringBuilder html, ScorecardReport report)
    {
        bool notes = report.Has(ReportParts.Commentary);
        html.Append(report.Has(ReportParts.Cover) ? "<section class=\"cover\">" : "<section>").Append("<p>").Append(E(report.Organisation)).Append("</p><h1>").Append(E(report.Name)).Append("</h1><p><strong>Period: ")
            .Append(E(report.PeriodLabel)).Append("</strong> (").Append(E(report.Period)).Append(')').Append(report.PeriodNote is null ? "" : " — " + E(report.PeriodNote)).Append("</p>");
        if (report.Mission is not null)
        {
            html.Append("<p><em>").Append(E(report.Mission)).Append("</em></p>");
        }

        var overall = ScorecardReport.Style(report.Status, report.Score);
        html.Append("<p>Overall score <strong>").Append(ScorecardReport.Percent(report.Score)).Append("</strong> <span class=\"status\" style=\"color:").Append(overall.Ink).Append("\">")
            .Append(overall.Icon).Append(' ').Append(overall.Word).Append("</span> ").Append(E(ScorecardReport.TrendWord(report.Trend))).Append("</p><p>Generated ")
            .Append(Organisations.OrganisationFormat.Current.Time(report.GeneratedAt)).Append(" by OpenBsc.</p>");
        if (notes)
        {
            Commentary(html, report.Commentary);
        }

        html.Append("</section>\n");
        if (report.Has(ReportParts.Map))
        {
            html.Append("<section class=\"map\"><h2>Strategy map</h2>").Append(StrategyMapSvg.Render(report.Map)).Append("</section>\n");
        }

        if (report.Has(ReportParts.Dashboard))
        {
            Dashboard(html, report);
        }

        foreach (var section in report.Sections.Where(s => report.Has(ReportParts.Dashboard) || (notes && (s.Commentary is not null || s.Rows.Any(r => r.Commentary is not null)))))
        {
            Section(html, report, section);
        }

        if (report.Has(ReportParts.Actions) && report.Actions is { } actions)
        {
            html.Append("<section class=\"section\"><h2>Open actions</h2>");
            if (actions.Count == 0)
            {
                html.Append("<p>No open actions.</p>");
            }
            else
            {
                html.Append("<table tabindex=\"0\"><thead><tr><th>Objective / measure</th><th>Action</th><th>Owner</th><th>Due</th></tr></thead><tbody>");
                foreach (var action in actions)
                {
                    html.Append("<tr><td>").Append(E(action.ItemName)).Append("</td><td>").Append(E(action.Title)).Append("</td><td>").Append(E(action.Owner)).Append("</td><td>")
                        .Append(action.Due is { } due ? Organisations.OrganisationFormat.Current.Date(due) : "").Append(action.Late ? " <strong>(late)</strong>" : "").Append("</td></tr>");
                }

                html.Append("</tbody></table>");
            }

            html.Append("</section>\n");
        }

        if (report.Has(ReportParts.Initiatives))
        {
            Initiatives(html, report);
        }

        if (report.Has(ReportParts.Risks))
        {
            Risks(html, report);
        }
    }

    private static void Dashboard(StringBuilder html, ScorecardReport report)
    {
        html.Append("<section><h2>Dashboard</h2><table tabindex=\"0\"><thead><tr><th>Perspective</th><th>Score</th><th>Status</th><th>Trend</th></tr></thead><tbody>");
        foreach (var section in report.Sections)
        {
            var style = ScorecardReport.Style(section.Status, section.Score);
            html.Append("<tr><td>").Append(E(section.Name)).Append("</td><td class=\"n\">").Append(ScorecardReport.Percent(section.Score)).Append("</td><td class=\"status\" style=\"color:")
                .Append(style.Ink).Append("\">").Append(style.Icon).Append(' ').Append(style.Word).Append("</td><td>").Append(E(ScorecardReport.TrendWord(section.Trend))).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
        foreach (var tension in report.Tensions)
        {
            html.Append("<p>Tension: ").Append(E(report.NameOf(tension.First))).Append(" ↔ ").Append(E(report.NameOf(tension.Second))).Append(tension.Note is null ? "" : " — " + E(tension.Note)).Append(" (both shown, never netted)</p>");
        }

        html.Append("</section>\n");
    }

    private static void Section(StringBuilder html, ScorecardReport report, ReportSection section)
    {
        bool notes = report.Has(ReportParts.Commentary);
        {
            html.Append("<section class=\"section\"><h2>").Append(E(section.Name)).Append(" — ").Append(ScorecardReport.Percent(section.Score)).Append("</h2><table tabindex=\"0\"><thead><tr><th>Objective / measure</th><th>Value</th><th>Target</th><th>Score</th><th>Status</th><th>Trend</th><th>Owner</th></tr></thead><tbody>");
            foreach (var row in section.Rows)
            {
                var style = ScorecardReport.Style(row.Status, row.Score);
                bool measure = row.Kind is NodeKind.Measure or NodeKind.Series;
                html.Append("<tr><td style=\"padding-left:").Append(6 + (row.Depth * 14)).Append("px\">").Append(measure ? "" : "<strong>").Append(E(row.Name)).Append(measure ? "" : "</strong>");
                foreach (string comment in row.Comments)
                {
                    html.Append("<div class=\"comment\">💬 ").Append(E(comment)).Append("</div>");
                }

                if (row.PeriodNote is not null)
                {
                    html.Append("<div class=\"comment\">").Append(E(row.PeriodNote)).Append("</div>");
                }

                if (notes)
                {
                    Commentary(html, row.Commentary);
                }

                html.Append("</td><td class=\"n\">").Append(measure ? E(ScorecardReport.Number(row.Value, row.Unit)) : "").Append("</td><td class=\"n\">").Append(measure ? E(ScorecardReport.Number(row.Target, row.Unit)) : "")
                    .Append("</td><td class=\"n\">").Append(ScorecardReport.Percent(row.Score)).Append("</td><td class=\"status\" style=\"color:").Append(style.Ink).Append("\">").Append(style.Icon).Append(' ').Append(style.Word)
                    .Append("</td><td>").Append(E(ScorecardReport.TrendWord(row.Trend))).Append("</td><td>").Append(E(row.Owner)).Append("</td></tr>");
            }

            html.Append("</tbody></table></section>\n");
        }
    }

    private static string Day(DateOnly? date) => date is { } d ? Organisations.OrganisationFormat.Current.Date(d) : "?";

    private static void Initiatives(StringBuilder html, ScorecardReport report)
    {
        var plan = report.Plan;
        html.Append("<section class=\"section\"><h2>Initiatives</h2>");
        if (plan.Initiatives.Count == 0)
        {
            html.Append("<p>No initiatives.</p>");
        }
        else
        {
            html.Append("<p>Status against plan on ").Append(Day(plan.At)).Append(".</p>");
            html.Append("<table tabindex=\"0\"><thead><tr><th>Initiative</th><th>Objectives</th><th>Owner</th><th>Dates</th><th>Complete / planned</th><th>Status</th><th>Budget</th><th>Actual</th><th>Variance</th><th>Milestones</th></tr></thead><tbody>");
            foreach (var line in plan.Initiatives)
            {
                var (color, word) = ScorecardReport.PlanStatus(line.Status);
                html.Append("<tr><td>").Append(E(line.Name)).Append("</td><td>").Append(E(report.NamesOf(line.Objectives))).Append("</td><td>").Append(E(line.Owner))
                    .Append("</td><td>").Append(Day(line.Start)).Append(" – ").Append(Day(line.End))
                    .Append("</td><td class=\"n\">").Append(ScorecardReport.Percent(line.Complete)).Append(" / ").Append(ScorecardReport.Percent(line.Planned))
                    .Append("</td><td class=\"status\" style=\"color:").Append(color).Append("\">").Append(E(word))
                    .Append("</td><td class=\"n\">").Append(E(ScorecardReport.Number(line.Budget, null))).Append("</td><td class=\"n\">").Append(E(ScorecardReport.Number(line.ActualCost, null)))
                    .Append("</td><td class=\"n\">").Append(E(ScorecardReport.VarianceText(line.Variance))).Append("</td><td>");
                foreach (var milestone in line.Milestones)
                {
                    html.Append("<div>").Append(E($"{milestone.Name} — due {Day(milestone.Due)}, {Charts.InitiativeTimelineSvg.MilestoneWord(milestone)}")).Append("</div>");
                }

                html.Append("</td></tr>");
            }

            html.Append("</tbody></table><h3>Initiative cost per perspective</h3><table tabindex=\"0\"><thead><tr><th>Perspective</th><th>Initiatives</th><th>Budget</th><th>Actual</th><th>Variance</th></tr></thead><tbody>");
            foreach (var cost in plan.Costs.Perspectives.Append(plan.Costs.Total with { Name = "All initiatives" }))
            {
                html.Append("<tr><td>").Append(E(cost.Name)).Append("</td><td class=\"n\">").Append(cost.Initiatives.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td class=\"n\">").Append(E(ScorecardReport.Number(cost.Budget, null))).Append("</td><td class=\"n\">").Append(E(ScorecardReport.Number(cost.Actual, null)))
                    .Append("</td><td class=\"n\">").Append(E(ScorecardReport.VarianceText(cost.Variance))).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</section>\n");
    }

    private static void Risks(StringBuilder html, ScorecardReport report)
    {
        html.Append("<section class=\"section\"><h2>Risks</h2>");
        if (report.Risks.Risks.Count == 0)
        {
            html.Append("<p>No risks.</p>");
        }
        else
        {
            html.Append("<p>Level = likelihood × impact (1–5 each): low 1–4, medium 5–9, high 10–16, critical 20–25.</p>");
            html.Append("<table tabindex=\"0\"><thead><tr><th>Risk</th><th>Objectives</th><th>Owner</th><th>Inherent</th><th>Residual</th><th>Target</th><th>Mitigations</th><th>Review</th></tr></thead><tbody>");
            foreach (var risk in report.Risks.Risks)
            {
                html.Append("<tr><td>").Append(E(risk.Name)).Append("</td><td>").Append(E(report.NamesOf(risk.Objectives))).Append("</td><td>").Append(E(risk.Owner))
                    .Append("</td><td>").Append(E(ScorecardReport.Level(risk.Inherent))).Append("</td><td>").Append(E(ScorecardReport.Level(risk.Residual)))
                    .Append("</td><td>").Append(E(ScorecardReport.Level(risk.Target))).Append(risk.AboveTarget ? " (above)" : "")
                    .Append("</td><td>").Append(E(report.NamesOf(risk.Mitigations))).Append("</td><td>").Append(risk.Review is null ? "—" : Day(risk.Review)).Append(risk.ReviewDue ? " (due)" : "").Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</section>\n");
    }
}
