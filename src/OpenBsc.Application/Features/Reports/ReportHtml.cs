using System.Globalization;
using System.Net;
using System.Text;
using OpenBsc.Application.Features.StrategyMaps;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.Reports;

/// <summary>The report as one printable HTML page (no script, styles inline, the strategy map as inline SVG).</summary>
public static class ReportHtml
{
    public static string Render(ScorecardReport report)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(report.Name)).Append(" — ").Append(E(report.PeriodLabel)).Append("</title>\n<style>")
            .Append("body{font-family:'DejaVu Sans',Arial,sans-serif;color:#1d2733;margin:2rem;font-size:11pt}h1{margin:0 0 .2rem}h2{margin-top:2rem;border-bottom:2px solid #1d2733}")
            .Append("table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #dde1e6;padding:3px 6px;text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}")
            .Append(".status{font-weight:600}.comment{color:#555;font-size:9pt}.cover{page-break-after:always}.section{page-break-before:always}.map svg{max-width:100%;height:auto}")
            .Append("@media print{body{margin:0}a{color:inherit;text-decoration:none}}</style></head><body>\n");

        html.Append("<section class=\"cover\"><p>").Append(E(report.Organisation)).Append("</p><h1>").Append(E(report.Name)).Append("</h1><p><strong>Period: ")
            .Append(E(report.PeriodLabel)).Append("</strong> (").Append(E(report.Period)).Append(")</p>");
        if (report.Mission is not null)
        {
            html.Append("<p><em>").Append(E(report.Mission)).Append("</em></p>");
        }

        var overall = ScorecardReport.Style(report.Status, report.Score);
        html.Append("<p>Overall score <strong>").Append(ScorecardReport.Percent(report.Score)).Append("</strong> <span class=\"status\" style=\"color:").Append(overall.Stroke).Append("\">")
            .Append(overall.Icon).Append(' ').Append(overall.Word).Append("</span> ").Append(E(ScorecardReport.TrendWord(report.Trend))).Append("</p><p>Generated ")
            .Append(report.GeneratedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(" UTC by OpenBsc.</p></section>\n");

        html.Append("<section class=\"map\"><h2>Strategy map</h2>").Append(StrategyMapSvg.Render(report.Map)).Append("</section>\n");

        html.Append("<section><h2>Dashboard</h2><table><thead><tr><th>Perspective</th><th>Score</th><th>Status</th><th>Trend</th></tr></thead><tbody>");
        foreach (var section in report.Sections)
        {
            var style = ScorecardReport.Style(section.Status, section.Score);
            html.Append("<tr><td>").Append(E(section.Name)).Append("</td><td class=\"n\">").Append(ScorecardReport.Percent(section.Score)).Append("</td><td class=\"status\" style=\"color:")
                .Append(style.Stroke).Append("\">").Append(style.Icon).Append(' ').Append(style.Word).Append("</td><td>").Append(E(ScorecardReport.TrendWord(section.Trend))).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
        foreach (var tension in report.Tensions)
        {
            html.Append("<p>Tension: ").Append(E(tension.First)).Append(" ↔ ").Append(E(tension.Second)).Append(tension.Note is null ? "" : " — " + E(tension.Note)).Append(" (both shown, never netted)</p>");
        }

        html.Append("</section>\n");
        foreach (var section in report.Sections)
        {
            html.Append("<section class=\"section\"><h2>").Append(E(section.Name)).Append(" — ").Append(ScorecardReport.Percent(section.Score)).Append("</h2><table><thead><tr><th>Objective / measure</th><th>Value</th><th>Target</th><th>Score</th><th>Status</th><th>Trend</th><th>Owner</th></tr></thead><tbody>");
            foreach (var row in section.Rows)
            {
                var style = ScorecardReport.Style(row.Status, row.Score);
                bool measure = row.Kind is NodeKind.Measure or NodeKind.Series;
                html.Append("<tr><td style=\"padding-left:").Append(6 + (row.Depth * 14)).Append("px\">").Append(measure ? "" : "<strong>").Append(E(row.Name)).Append(measure ? "" : "</strong>");
                foreach (string comment in row.Comments)
                {
                    html.Append("<div class=\"comment\">💬 ").Append(E(comment)).Append("</div>");
                }

                html.Append("</td><td class=\"n\">").Append(measure ? E(ScorecardReport.Number(row.Value, row.Unit)) : "").Append("</td><td class=\"n\">").Append(measure ? E(ScorecardReport.Number(row.Target, row.Unit)) : "")
                    .Append("</td><td class=\"n\">").Append(ScorecardReport.Percent(row.Score)).Append("</td><td class=\"status\" style=\"color:").Append(style.Stroke).Append("\">").Append(style.Icon).Append(' ').Append(style.Word)
                    .Append("</td><td>").Append(E(ScorecardReport.TrendWord(row.Trend))).Append("</td><td>").Append(E(row.Owner)).Append("</td></tr>");
            }

            html.Append("</tbody></table></section>\n");
        }

        html.Append("<section class=\"section\"><h2>Initiatives</h2>");
        if (report.Initiatives.Count == 0)
        {
            html.Append("<p>No initiatives.</p>");
        }
        else
        {
            html.Append("<table><thead><tr><th>Initiative</th><th>Objectives</th><th>Owner</th><th>Start</th><th>End</th><th>Budget</th><th>Complete</th></tr></thead><tbody>");
            foreach (var initiative in report.Initiatives)
            {
                html.Append("<tr><td>").Append(E(initiative.Name)).Append("</td><td>").Append(E(string.Join(", ", initiative.Objectives))).Append("</td><td>").Append(E(initiative.Owner))
                    .Append("</td><td>").Append(initiative.Start?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</td><td>").Append(initiative.End?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                    .Append("</td><td class=\"n\">").Append(E(ScorecardReport.Number(initiative.Budget, null))).Append("</td><td class=\"n\">").Append(ScorecardReport.Percent(initiative.Complete)).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</section>\n</body></html>\n");
        return html.ToString();
    }
}
