using System.Globalization;
using OpenBsc.Application.Features.ReportingCycle;
using OpenBsc.Application.Features.StrategyMaps;
using OpenBsc.Domain.Scoring;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace OpenBsc.Application.Features.Reports;

/// <summary>
/// The report as a PDF (A4): a cover, the strategy map drawn from its layout, the dashboard table, one section per
/// perspective with a chart of its measures' scores and their comments, and the initiatives. Text is real text in
/// the DejaVu Sans font shipped with the project (embedded, so the PDF is searchable and looks the same everywhere).
/// </summary>
public static class ReportPdf
{
    private const string Family = "DejaVu Sans";
    private const double Margin = 40;

    static ReportPdf()
    {
        // One resolver for the process: PDFsharp needs font files on Linux, and reads them from ours only.
        GlobalFontSettings.FontResolver ??= new EmbeddedFonts();
    }

    public static void Write(ScorecardReport report, Stream output)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"{report.Name} — {report.PeriodLabel}";
        document.Info.Creator = "OpenBsc";
        Append(new PageWriter(document), report);
        document.Save(output, closeStream: false);
    }

    /// <summary>
    /// A briefing book: a cover naming the book and its scorecards, then each scorecard's report with the parts the book
    /// chose, in one document.
    /// </summary>
    public static void WriteBook(string title, IReadOnlyList<ScorecardReport> reports, Stream output)
    {
        using var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Creator = "OpenBsc";
        var writer = new PageWriter(document);
        writer.NewPage();
        writer.Text("Briefing book", 12);
        writer.Wrapped(title, 22, bold: true);
        writer.Gap(10);
        foreach (var report in reports)
        {
            var style = ScorecardReport.Style(report.Status, report.Score);
            writer.Text($"{report.Name} — {report.PeriodLabel}{(report.PeriodNote is null ? "" : $" ({report.PeriodNote})")}: {ScorecardReport.Percent(report.Score)} {style.Icon} {style.Word}", 11, color: style.Stroke);
        }

        writer.Gap(6);
        writer.Text($"Generated {(reports.Count > 0 ? reports[0].GeneratedAt : default).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC by OpenBsc", 9);
        foreach (var report in reports)
        {
            Append(writer, report);
        }

        document.Save(output, closeStream: false);
    }

    private static void Append(PageWriter writer, ScorecardReport report)
    {
        writer.NewPage();
        string period = $"{report.PeriodLabel}{(report.PeriodNote is null ? "" : $" ({report.PeriodNote})")}";
        if (report.Has(ReportParts.Cover))
        {
            Cover(writer, report);
        }
        else
        {
            writer.Text($"{report.Name} — {period}", 18, bold: true);
        }

        if (report.Has(ReportParts.Commentary) && report.Commentary is { } overview)
        {
            writer.Gap(8);
            writer.Text("Commentary on the scorecard", 14, bold: true);
            Commentary(writer, overview, 10);
        }

        if (report.Has(ReportParts.Map))
        {
            writer.NewPage();
            writer.Text("Strategy map", 16, bold: true);
            writer.Map(report.Map);
        }

        if (report.Has(ReportParts.Dashboard))
        {
            Dashboard(writer, report);
        }

        foreach (var section in report.Sections)
        {
            Section(writer, report, section);
        }

        if (report.Has(ReportParts.Actions) && report.Actions is { } actions)
        {
            Actions(writer, actions);
        }

        if (report.Has(ReportParts.Initiatives))
        {
            writer.NewPage();
            Initiatives(writer, report);
        }

        if (report.Has(ReportParts.Risks))
        {
            writer.Gap(12);
            Risks(writer, report);
        }
    }

    private static void Cover(PageWriter writer, ScorecardReport report)
    {
        writer.Text(report.Organisation ?? string.Empty, 12);
        writer.Text(report.Name, 24, bold: true);
        writer.Text($"Scorecard report — {report.PeriodLabel} ({report.Period})", 14);
        if (report.PeriodNote is not null)
        {
            writer.Text($"Period {report.PeriodNote}: sums are compared with their targets to date.", 11);
        }

        if (report.Mission is not null)
        {
            writer.Wrapped("Mission: " + report.Mission, 11);
        }

        var overall = ScorecardReport.Style(report.Status, report.Score);
        writer.Gap(10);
        writer.Text($"Overall score {ScorecardReport.Percent(report.Score)}   {overall.Icon} {overall.Word}   {ScorecardReport.TrendWord(report.Trend)}", 14, bold: true, color: overall.Stroke);
        writer.Text($"Generated {report.GeneratedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC by OpenBsc", 9);
    }

    private static void Dashboard(PageWriter writer, ScorecardReport report)
    {
        writer.NewPage();
        writer.Text("Dashboard", 16, bold: true);
        writer.Row(["Perspective", "Score", "Status", "Trend"], [0, 240, 320, 420], bold: true);
        foreach (var section in report.Sections)
        {
            var style = ScorecardReport.Style(section.Status, section.Score);
            writer.Row([section.Name, ScorecardReport.Percent(section.Score), $"{style.Icon} {style.Word}", ScorecardReport.TrendWord(section.Trend)], [0, 240, 320, 420], statusColumn: 2, statusColor: style.Stroke);
        }

        foreach (var tension in report.Tensions)
        {
            writer.Wrapped($"Tension: {tension.First} ↔ {tension.Second}{(tension.Note is null ? "" : " — " + tension.Note)} (both shown, never netted)", 10);
        }
    }

    /// <summary>A perspective: its commentary, chart and table, as far as the report's parts ask for them.</summary>
    private static void Section(PageWriter writer, ScorecardReport report, ReportSection section)
    {
        bool commentary = report.Has(ReportParts.Commentary) && HasCommentary(section);
        if (!report.Has(ReportParts.Dashboard) && !report.Has(ReportParts.Charts) && !commentary)
        {
            return;
        }

        writer.NewPage();
        writer.Text($"{section.Name} — {ScorecardReport.Percent(section.Score)}", 16, bold: true);
        if (report.Has(ReportParts.Commentary) && section.Commentary is { } perspective)
        {
            Commentary(writer, perspective, 9);
        }

        if (report.Has(ReportParts.Charts))
        {
            writer.ScoreChart([.. section.Rows.Where(r => r.Kind == NodeKind.Measure)]);
        }

        if (!report.Has(ReportParts.Dashboard))
        {
            foreach (var row in section.Rows.Where(r => r.Commentary is not null && commentary))
            {
                writer.Text(row.Name, 10, bold: true);
                Commentary(writer, row.Commentary!, 9);
            }

            return;
        }

        double[] columns = [0, 215, 285, 355, 400, 470];
        writer.Row(["Objective / measure", "Value", "Target", "Score", "Status", "Trend"], columns, bold: true);
        foreach (var row in section.Rows)
        {
            var style = ScorecardReport.Style(row.Status, row.Score);
            bool measure = row.Kind is NodeKind.Measure or NodeKind.Series;
            writer.Row(
                [new string(' ', row.Depth * 2) + row.Name, measure ? ScorecardReport.Number(row.Value, row.Unit) : "", measure ? ScorecardReport.Number(row.Target, row.Unit) : "", ScorecardReport.Percent(row.Score), $"{style.Icon} {style.Word}", ScorecardReport.TrendWord(row.Trend)],
                columns, bold: !measure, statusColumn: 4, statusColor: style.Stroke);
            if (row.PeriodNote is not null)
            {
                writer.Wrapped("    " + row.PeriodNote, 8);
            }

            foreach (string comment in row.Comments)
            {
                writer.Wrapped("    Comment: " + comment, 8);
            }

            if (report.Has(ReportParts.Commentary) && row.Commentary is { } note)
            {
                Commentary(writer, note, 8, "    ");
            }
        }
    }

    private static void Actions(PageWriter writer, IReadOnlyList<ReportAction> actions)
    {
        writer.NewPage();
        writer.Text("Open actions", 16, bold: true);
        if (actions.Count == 0)
        {
            writer.Text("No open actions.", 10);
            return;
        }

        double[] columns = [0, 140, 330, 430];
        writer.Row(["Objective / measure", "Action", "Owner", "Due"], columns, bold: true);
        foreach (var action in actions)
        {
            writer.Row([action.ItemName, action.Title, action.Owner ?? "", (action.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "") + (action.Late ? " (late)" : "")], columns,
                statusColumn: action.Late ? 3 : -1, statusColor: action.Late ? "#b3261e" : null);
        }
    }

    private static void Initiatives(PageWriter writer, ScorecardReport report)
    {
        writer.Text("Initiatives", 16, bold: true);
        var plan = report.Plan;
        if (plan.Initiatives.Count == 0)
        {
            writer.Text("No initiatives.", 10);
        }
        else
        {
            writer.Text($"Status against plan on {plan.At.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.", 9);
            double[] columns = [0, 150, 225, 290, 345, 400, 450];
            writer.Row(["Initiative", "Status", "Done / plan", "Budget", "Actual", "Variance", "Milestones"], columns, bold: true);
            foreach (var line in plan.Initiatives)
            {
                var (color, word) = ScorecardReport.PlanStatus(line.Status);
                int done = line.Milestones.Count(m => m.Status == Domain.Initiatives.MilestoneStatus.Done);
                int overdue = line.Milestones.Count(m => m.Status == Domain.Initiatives.MilestoneStatus.Overdue);
                string milestones = line.Milestones.Count == 0 ? "" : $"{done}/{line.Milestones.Count}{(overdue > 0 ? $", {overdue} late" : "")}";
                writer.Row([line.Name, word, $"{ScorecardReport.Percent(line.Complete)} / {ScorecardReport.Percent(line.Planned)}", ScorecardReport.Number(line.Budget, null),
                    ScorecardReport.Number(line.ActualCost, null), ScorecardReport.VarianceText(line.Variance), milestones], columns, statusColumn: 1, statusColor: color);
            }

            writer.Gap(8);
            writer.Text("Initiative cost per perspective", 11, bold: true);
            double[] costColumns = [0, 190, 260, 340, 420];
            writer.Row(["Perspective", "Initiatives", "Budget", "Actual", "Variance"], costColumns, bold: true);
            foreach (var cost in plan.Costs.Perspectives.Append(plan.Costs.Total with { Name = "All initiatives" }))
            {
                writer.Row([cost.Name, cost.Initiatives.ToString(CultureInfo.InvariantCulture), ScorecardReport.Number(cost.Budget, null), ScorecardReport.Number(cost.Actual, null), ScorecardReport.VarianceText(cost.Variance)], costColumns);
            }
        }
    }

    private static void Risks(PageWriter writer, ScorecardReport report)
    {
        writer.Text("Risks", 16, bold: true);
        if (report.Risks.Risks.Count == 0)
        {
            writer.Text("No risks.", 10);
        }
        else
        {
            writer.Text("Level = likelihood × impact (1–5 each): low 1–4, medium 5–9, high 10–16, critical 20–25.", 9);
            double[] columns = [0, 175, 265, 355, 430];
            writer.Row(["Risk", "Inherent", "Residual", "Target", "Owner"], columns, bold: true);
            foreach (var risk in report.Risks.Risks)
            {
                writer.Row([risk.Name, ScorecardReport.Level(risk.Inherent), ScorecardReport.Level(risk.Residual), ScorecardReport.Level(risk.Target), risk.Owner ?? ""], columns);
            }
        }
    }

    private static bool HasCommentary(ReportSection section) => section.Commentary is not null || section.Rows.Any(r => r.Commentary is not null);

    /// <summary>Analysis and recommendations as plain text (the PDF prints words, not Markdown marks).</summary>
    private static void Commentary(PageWriter writer, ReportCommentary commentary, double size, string indent = "")
    {
        if (commentary.Analysis.Length > 0)
        {
            writer.Wrapped($"{indent}Analysis: {CommentaryText.ToPlainText(commentary.Analysis).ReplaceLineEndings(" ")}", size);
        }

        if (commentary.Recommendations.Length > 0)
        {
            writer.Wrapped($"{indent}Recommendations: {CommentaryText.ToPlainText(commentary.Recommendations).ReplaceLineEndings(" ")}", size);
        }
    }

    /// <summary>Writes top to bottom, starting a new page when the next line would not fit.</summary>
    private sealed class PageWriter(PdfDocument document)
    {
        private XGraphics? _graphics;
        private PdfPage? _page;
        private double _y;

        private XGraphics G => _graphics!;

        private double Width => _page!.Width.Point - (2 * Margin);

        public void NewPage()
        {
            _graphics?.Dispose();
            _page = document.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _graphics = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }

        private void Ensure(double height)
        {
            if (_y + height > _page!.Height.Point - Margin)
            {
                NewPage();
            }
        }

        public void Gap(double height) => _y += height;

        public void Text(string text, double size, bool bold = false, string? color = null)
        {
            var font = new XFont(Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
            Ensure(size * 1.5);
            G.DrawString(text, font, new XSolidBrush(color is null ? XColors.Black : XColor.FromArgb(Argb(color))), new XRect(Margin, _y, Width, size * 1.5), XStringFormats.TopLeft);
            _y += size * 1.5;
        }

        public void Wrapped(string text, double size, bool bold = false)
        {
            var font = new XFont(Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
            var line = new System.Text.StringBuilder();
            foreach (string word in text.Split(' '))
            {
                string candidate = line.Length == 0 ? word : line + " " + word;
                if (G.MeasureString(candidate, font).Width > Width && line.Length > 0)
                {
                    Text(line.ToString(), size, bold);
                    line.Clear().Append(word);
                }
                else
                {
                    line.Clear().Append(candidate);
                }
            }

            if (line.Length > 0)
            {
                Text(line.ToString(), size, bold);
            }
        }

        public void Row(string[] cells, double[] columns, bool bold = false, int statusColumn = -1, string? statusColor = null)
        {
            const double size = 8.5;
            var font = new XFont(Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
            Ensure(size * 1.7);
            for (int i = 0; i < cells.Length; i++)
            {
                double right = i + 1 < columns.Length ? columns[i + 1] : Width;
                string text = Fit(cells[i], font, right - columns[i] - 4);
                var brush = i == statusColumn && statusColor is not null ? new XSolidBrush(XColor.FromArgb(Argb(statusColor))) : XBrushes.Black;
                G.DrawString(text, font, brush, new XRect(Margin + columns[i], _y, right - columns[i], size * 1.7), XStringFormats.TopLeft);
            }

            G.DrawLine(new XPen(XColor.FromArgb(unchecked((int)0xFFDDE1E6)), 0.5), Margin, _y + (size * 1.6), Margin + Width, _y + (size * 1.6));
            _y += size * 1.7;
        }

        private string Fit(string text, XFont font, double width)
        {
            if (G.MeasureString(text, font).Width <= width)
            {
                return text;
            }

            while (text.Length > 1 && G.MeasureString(text + "…", font).Width > width)
            {
                text = text[..^1];
            }

            return text + "…";
        }

        /// <summary>A horizontal bar per measure: its score against 100%, coloured and labelled by status.</summary>
        public void ScoreChart(IReadOnlyList<ReportRow> measures)
        {
            if (measures.Count == 0)
            {
                return;
            }

            const double bar = 10, label = 200;
            var font = new XFont(Family, 8, XFontStyleEx.Regular);
            Ensure(Math.Min(measures.Count, 20) * (bar + 4) + 20);
            double plot = Width - label - 60;
            foreach (var row in measures)
            {
                Ensure(bar + 4);
                var style = ScorecardReport.Style(row.Status, row.Score);
                G.DrawString(Fit(row.Name, font, label - 6), font, XBrushes.Black, new XRect(Margin, _y, label, bar), XStringFormats.TopLeft);
                G.DrawRectangle(new XPen(XColor.FromArgb(unchecked((int)0xFFB0B7C0)), 0.5), Margin + label, _y, plot, bar);
                double fraction = Math.Clamp(row.Score ?? 0, 0, 1);
                if (row.Score is not null)
                {
                    G.DrawRectangle(new XSolidBrush(XColor.FromArgb(Argb(style.Stroke))), Margin + label, _y, plot * fraction, bar);
                }

                G.DrawString($"{ScorecardReport.Percent(row.Score)} {style.Icon}", font, XBrushes.Black, new XRect(Margin + label + plot + 4, _y, 60, bar), XStringFormats.TopLeft);
                _y += bar + 4;
            }

            _y += 10;
        }

        /// <summary>The strategy map from its layout, scaled to the page width: bands, nodes coloured by status, arrows.</summary>
        public void Map(MapLayout layout)
        {
            double scale = Math.Min(Width / layout.Width, (_page!.Height.Point - _y - Margin) / layout.Height);
            double ox = Margin, oy = _y;
            XPoint P(MapPoint p) => new(ox + (p.X * scale), oy + (p.Y * scale));
            XRect R(MapRect r) => new(ox + (r.X * scale), oy + (r.Y * scale), r.Width * scale, r.Height * scale);
            var bandFont = new XFont(Family, Math.Max(6, 11 * scale), XFontStyleEx.Bold);
            var nodeFont = new XFont(Family, Math.Max(5, 10 * scale), XFontStyleEx.Regular);
            foreach (var band in layout.Bands)
            {
                G.DrawRectangle(new XPen(XColor.FromArgb(unchecked((int)0xFFDDE1E6)), 0.5), new XSolidBrush(XColor.FromArgb(unchecked((int)0xFFF7F8FA))), R(band.Bounds));
                var at = R(band.Bounds);
                for (int i = 0; i < band.NameLines.Count; i++)
                {
                    G.DrawString(band.NameLines[i], bandFont, XBrushes.Black, new XPoint(at.X + 6, at.Y + 14 + (i * bandFont.Size * 1.3)));
                }
            }

            foreach (var edge in layout.Edges)
            {
                var pen = new XPen(edge.Kind == MapEdgeKind.Tension ? XColor.FromArgb(unchecked((int)0xFFC62828)) : XColor.FromArgb(unchecked((int)0xFF455A64)), 1);
                if (edge.Kind == MapEdgeKind.Tension)
                {
                    pen.DashStyle = XDashStyle.Dash;
                }

                if (edge.Path.Count >= 4)
                {
                    G.DrawBeziers(pen, [.. edge.Path.Take(1 + ((edge.Path.Count - 1) / 3 * 3)).Select(P)]);
                }
            }

            foreach (var node in layout.Objectives)
            {
                var style = Charts.StatusStyle.Of(node.Objective.Status, node.Objective.Score is not null);
                var rect = R(node.Bounds);
                G.DrawRoundedRectangle(new XPen(XColor.FromArgb(Argb(style.Stroke)), 1.2), new XSolidBrush(XColor.FromArgb(Argb(style.Fill))), rect, new XSize(6 * scale, 6 * scale));
                for (int i = 0; i < node.NameLines.Count; i++)
                {
                    G.DrawString(node.NameLines[i], nodeFont, XBrushes.Black, new XPoint(rect.X + 4, rect.Y + nodeFont.Size + 2 + (i * nodeFont.Size * 1.25)));
                }

                G.DrawString($"{ScorecardReport.Percent(node.Objective.Score)} {style.Icon} {style.Word}", nodeFont, new XSolidBrush(XColor.FromArgb(Argb(style.Ink))), new XPoint(rect.X + 4, rect.Bottom - 4));
            }

            _y += layout.Height * scale + 10;
        }

        private static int Argb(string hex) => unchecked((int)(0xFF000000 | uint.Parse(hex.TrimStart('#'), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
    }

    /// <summary>The shipped DejaVu Sans (regular and bold), read from the assembly.</summary>
    private sealed class EmbeddedFonts : IFontResolver
    {
        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

        public byte[]? GetFont(string faceName)
        {
            using var stream = typeof(ReportPdf).Assembly.GetManifestResourceStream($"OpenBsc.Fonts.{faceName}.ttf")
                ?? throw new InvalidOperationException($"Font {faceName} is not embedded.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
