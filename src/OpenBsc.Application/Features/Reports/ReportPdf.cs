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
        writer.Text("Briefing book", 10, color: "#55616F");
        writer.Wrapped(title, 22, bold: true);
        writer.Gap(8);
        foreach (var report in reports)
        {
            var style = ScorecardReport.Style(report.Status, report.Score);
            writer.Wrapped($"{report.Name} — {report.PeriodLabel}{(report.PeriodNote is null ? "" : $" ({report.PeriodNote})")}: {ScorecardReport.Percent(report.Score)} {style.Icon} {style.Word}", 11, color: style.Ink);
        }

        writer.Gap(6);
        writer.Text($"Generated {Organisations.OrganisationFormat.Current.Time(reports.Count > 0 ? reports[0].GeneratedAt : default)} by OpenBsc", 8, color: "#55616F");
        foreach (var report in reports)
        {
            writer.NewPage();
            Append(writer, report);
        }

        document.Save(output, closeStream: false);
    }

    /// <summary>One scorecard's report, with the parts it asks for (a report prints them all; a briefing book chooses).</summary>
    private static void Append(PageWriter writer, ScorecardReport report)
    {
        // Page 1 is the one an executive reads: who, when, the overall score, the perspectives and the map.
        writer.StartBlock(200);
        if (report.Organisation is not null)
        {
            writer.Text(report.Organisation, 10, color: "#55616F");
        }

        writer.Wrapped(report.Name, 22, bold: true);
        writer.Text($"Scorecard report — {report.PeriodLabel}", 13);
        if (report.PeriodNote is not null)
        {
            writer.Text($"Period {report.PeriodNote}: sums are compared with their targets to date.", 9, color: "#55616F");
        }

        if (report.Has(ReportParts.Cover) && report.Mission is not null)
        {
            writer.Wrapped(report.Mission, 10, color: "#55616F");
        }

        var overall = ScorecardReport.Style(report.Status, report.Score);
        writer.Gap(6);
        writer.Text($"Overall score {ScorecardReport.Percent(report.Score)}   {overall.Icon} {overall.Word}   {ScorecardReport.TrendWord(report.Trend)}", 14, bold: true, color: overall.Ink);
        if (report.Has(ReportParts.Commentary) && report.Commentary is { } overview)
        {
            Commentary(writer, overview, 9, 0);
        }

        if (report.Has(ReportParts.Dashboard))
        {
            writer.Gap(6);
            double[] perspectiveColumns = [0, 250, 320, 410];
            writer.Row(["Perspective", "Score", "Status", "Trend"], perspectiveColumns, bold: true);
            foreach (var section in report.Sections)
            {
                var style = ScorecardReport.Style(section.Status, section.Score);
                writer.Row([section.Name, ScorecardReport.Percent(section.Score), $"{style.Icon} {style.Word}", ScorecardReport.TrendWord(section.Trend)], perspectiveColumns, statusColumn: 2, statusColor: style.Ink);
            }

            foreach (var tension in report.Tensions)
            {
                writer.Wrapped($"Tension: {report.NameOf(tension.First)} ↔ {report.NameOf(tension.Second)}{(tension.Note is null ? "" : " — " + tension.Note)} (both shown, never netted)", 9);
            }
        }

        if (report.Has(ReportParts.Map))
        {
            writer.Gap(10);
            writer.Text("Strategy map", 14, bold: true);
            writer.Map(report.Map);
            writer.MapLegend();
        }

        writer.Text($"Period {report.Period} · generated {Organisations.OrganisationFormat.Current.Time(report.GeneratedAt)} by OpenBsc", 8, color: "#55616F");

        // The perspectives follow one another: a new page only when the next block would not fit.
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
            Initiatives(writer, report);
        }

        if (report.Has(ReportParts.Risks))
        {
            Risks(writer, report);
        }
    }

    /// <summary>A perspective: its commentary, chart and table, as far as the report's parts ask for them.</summary>
    private static void Section(PageWriter writer, ScorecardReport report, ReportSection section)
    {
        bool notes = report.Has(ReportParts.Commentary);
        bool table = report.Has(ReportParts.Dashboard);
        if (!table && !report.Has(ReportParts.Charts) && !(notes && (section.Commentary is not null || section.Rows.Any(r => r.Commentary is not null))))
        {
            return;
        }

        writer.StartBlock(140);
        writer.Text($"{section.Name} — {ScorecardReport.Percent(section.Score)}", 14, bold: true);
        if (notes && section.Commentary is { } perspective)
        {
            Commentary(writer, perspective, 9, 0);
        }

        if (report.Has(ReportParts.Charts))
        {
            writer.ScoreChart([.. section.Rows.Where(r => r.Kind == NodeKind.Measure)]);
        }

        if (!table)
        {
            foreach (var row in section.Rows.Where(r => notes && r.Commentary is not null))
            {
                writer.Wrapped(row.Name, 10, bold: true);
                Commentary(writer, row.Commentary!, 9, 0);
            }

            writer.Gap(14);
            return;
        }

        double[] columns = [0, 190, 255, 320, 365, 440];
        writer.Row(["Objective / measure", "Value", "Target", "Score", "Status", "Trend"], columns, bold: true);
        foreach (var row in section.Rows)
        {
            var style = ScorecardReport.Style(row.Status, row.Score);
            bool measure = row.Kind is NodeKind.Measure or NodeKind.Series;
            writer.Row(
                [row.Name, measure ? ScorecardReport.Number(row.Value, row.Unit) : "", measure ? ScorecardReport.Number(row.Target, row.Unit) : "", ScorecardReport.Percent(row.Score), $"{style.Icon} {style.Word}", ScorecardReport.TrendWord(row.Trend)],
                columns, bold: !measure, statusColumn: 4, statusColor: style.Ink, indent: row.Depth * 8);
            if (row.PeriodNote is not null)
            {
                writer.Wrapped(row.PeriodNote, 8, color: "#55616F", indent: 12 + (row.Depth * 8));
            }

            foreach (string comment in row.Comments)
            {
                writer.Wrapped("Comment: " + comment, 8, indent: 12 + (row.Depth * 8));
            }

            if (notes && row.Commentary is { } note)
            {
                Commentary(writer, note, 8, 12 + (row.Depth * 8));
            }
        }

        writer.Gap(14);
    }

    /// <summary>Analysis and recommendations as plain text (the PDF prints words, not Markdown marks).</summary>
    private static void Commentary(PageWriter writer, ReportCommentary commentary, double size, double indent)
    {
        if (commentary.Analysis.Length > 0)
        {
            writer.Wrapped("Analysis: " + CommentaryText.ToPlainText(commentary.Analysis).ReplaceLineEndings(" "), size, indent: indent);
        }

        if (commentary.Recommendations.Length > 0)
        {
            writer.Wrapped("Recommendations: " + CommentaryText.ToPlainText(commentary.Recommendations).ReplaceLineEndings(" "), size, indent: indent);
        }
    }

    private static void Actions(PageWriter writer, IReadOnlyList<ReportAction> actions)
    {
        writer.StartBlock(100);
        writer.Text("Open actions", 14, bold: true);
        if (actions.Count == 0)
        {
            writer.Text("No open actions.", 10);
        }
        else
        {
            double[] columns = [0, 150, 340, 440];
            writer.Row(["Objective / measure", "Action", "Owner", "Due"], columns, bold: true);
            foreach (var action in actions)
            {
                writer.Row([action.ItemName, action.Title, action.Owner ?? "", (action.Due is { } due ? Organisations.OrganisationFormat.Current.Date(due) : "") + (action.Late ? " (late)" : "")], columns,
                    statusColumn: action.Late ? 3 : -1, statusColor: action.Late ? "#B3261E" : null);
            }
        }

        writer.Gap(12);
    }

    private static void Initiatives(PageWriter writer, ScorecardReport report)
    {
        writer.StartBlock(120);
        writer.Text("Initiatives", 14, bold: true);
        var plan = report.Plan;
        if (plan.Initiatives.Count == 0)
        {
            writer.Text("No initiatives.", 10);
        }
        else
        {
            writer.Text($"Status against plan on {Organisations.OrganisationFormat.Current.Date(plan.At)}.", 9);
            double[] columns = [0, 140, 215, 285, 340, 395, 455];
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
        writer.Gap(12);
        writer.StartBlock(100);
        writer.Text("Risks", 14, bold: true);
        if (report.Risks.Risks.Count == 0)
        {
            writer.Text("No risks.", 10);
        }
        else
        {
            writer.Text("Level = likelihood × impact (1–5 each): low 1–4, medium 5–9, high 10–16, critical 20–25.", 9);
            double[] columns = [0, 150, 232, 314, 396];
            writer.Row(["Risk", "Inherent", "Residual", "Target", "Owner"], columns, bold: true);
            foreach (var risk in report.Risks.Risks)
            {
                writer.Row([risk.Name, ScorecardReport.Level(risk.Inherent), ScorecardReport.Level(risk.Residual), ScorecardReport.Level(risk.Target), risk.Owner ?? ""], columns);
            }
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

        /// <summary>Starts a block of about <paramref name="height"/> points: on this page when it fits, else on the next.</summary>
        public void StartBlock(double height)
        {
            if (_page is null || _y + height > _page.Height.Point - Margin)
            {
                NewPage();
            }
        }

        public void Text(string text, double size, bool bold = false, string? color = null, double indent = 0)
        {
            var font = new XFont(Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
            Ensure(size * 1.45);
            G.DrawString(text, font, new XSolidBrush(color is null ? XColors.Black : XColor.FromArgb(Argb(color))), new XRect(Margin + indent, _y, Width - indent, size * 1.45), XStringFormats.TopLeft);
            _y += size * 1.45;
        }

        public void Wrapped(string text, double size, bool bold = false, string? color = null, double indent = 0)
        {
            var font = new XFont(Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
            foreach (string line in Lines(text, font, Width - indent))
            {
                Text(line, size, bold, color, indent);
            }
        }

        /// <summary>The words of <paramref name="text"/> in lines no wider than <paramref name="width"/> (a word longer than a line is cut).</summary>
        private List<string> Lines(string text, XFont font, double width)
        {
            var lines = new List<string>();
            var line = new System.Text.StringBuilder();
            foreach (string word in text.Split(' '))
            {
                string candidate = line.Length == 0 ? word : line + " " + word;
                if (G.MeasureString(candidate, font).Width > width && line.Length > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear().Append(word);
                }
                else
                {
                    line.Clear().Append(candidate);
                }
            }

            if (line.Length > 0)
            {
                lines.Add(line.ToString());
            }

            return [.. lines.Select(l => Fit(l, font, width))];
        }

        /// <summary>A table row: the first cell wraps onto as many lines as it needs (never cut); the others fit their column.</summary>
        public void Row(string[] cells, double[] columns, bool bold = false, int statusColumn = -1, string? statusColor = null, double indent = 0)
        {
            const double size = 8.5, line = size * 1.45;
            var font = new XFont(Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
            var first = Lines(cells[0], font, columns[1] - indent - 6);
            double height = (first.Count * line) + 3;
            Ensure(height);
            for (int n = 0; n < first.Count; n++)
            {
                G.DrawString(first[n], font, XBrushes.Black, new XRect(Margin + indent, _y + (n * line), columns[1] - indent, line), XStringFormats.TopLeft);
            }

            for (int i = 1; i < cells.Length; i++)
            {
                double right = i + 1 < columns.Length ? columns[i + 1] : Width;
                string text = Fit(cells[i], font, right - columns[i] - 4);
                var brush = i == statusColumn && statusColor is not null ? new XSolidBrush(XColor.FromArgb(Argb(statusColor))) : XBrushes.Black;
                G.DrawString(text, font, brush, new XRect(Margin + columns[i], _y, right - columns[i], line), XStringFormats.TopLeft);
            }

            G.DrawLine(new XPen(XColor.FromArgb(unchecked((int)0xFFDDE1E6)), 0.5), Margin, _y + height - 1, Margin + Width, _y + height - 1);
            _y += height;
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
            // On this page when it fits at a readable size (at least 60% of its own), else at the top of the next.
            double room = _page!.Height.Point - _y - Margin - 40;
            if (Math.Min(Width / layout.Width, room / layout.Height) < 0.6 * Math.Min(1, Width / layout.Width))
            {
                NewPage();
                room = _page!.Height.Point - _y - Margin - 40;
            }

            double scale = Math.Min(Width / layout.Width, room / layout.Height);
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
                    var points = edge.Path.Take(1 + ((edge.Path.Count - 1) / 3 * 3)).Select(P).ToArray();
                    G.DrawBeziers(pen, points);
                    if (edge.Kind == MapEdgeKind.Link)
                    {
                        Arrowhead(points[^2], points[^1], pen.Color);
                    }
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

        /// <summary>A filled arrowhead at <paramref name="tip"/>, pointing from <paramref name="from"/> (the last control point).</summary>
        private void Arrowhead(XPoint from, XPoint tip, XColor color)
        {
            double dx = tip.X - from.X, dy = tip.Y - from.Y, length = Math.Sqrt((dx * dx) + (dy * dy));
            if (length < 0.001)
            {
                return;
            }

            const double size = 6;
            double ux = dx / length, uy = dy / length;
            var back = new XPoint(tip.X - (ux * size), tip.Y - (uy * size));
            G.DrawPolygon(new XSolidBrush(color), [tip, new XPoint(back.X - (uy * size * 0.5), back.Y + (ux * size * 0.5)), new XPoint(back.X + (uy * size * 0.5), back.Y - (ux * size * 0.5))], XFillMode.Winding);
        }

        /// <summary>What the map's colours, icons and lines mean.</summary>
        public void MapLegend()
        {
            var font = new XFont(Family, 8, XFontStyleEx.Regular);
            Ensure(16);
            double x = Margin;
            foreach (var (status, score) in new (string?, bool)[] { ("Green", true), ("Yellow", true), ("Red", true), ("Gray", false) })
            {
                var style = Charts.StatusStyle.Of(status, score);
                G.DrawRoundedRectangle(new XPen(XColor.FromArgb(Argb(style.Stroke)), 1), new XSolidBrush(XColor.FromArgb(Argb(style.Fill))), new XRect(x, _y + 1, 12, 9), new XSize(2, 2));
                string label = $"{style.Icon} {style.Word}";
                G.DrawString(label, font, new XSolidBrush(XColor.FromArgb(Argb(style.Ink))), new XPoint(x + 16, _y + 9));
                x += 24 + G.MeasureString(label, font).Width + 10;
            }

            var link = new XPen(XColor.FromArgb(unchecked((int)0xFF455A64)), 1);
            G.DrawLine(link, x, _y + 6, x + 22, _y + 6);
            Arrowhead(new XPoint(x, _y + 6), new XPoint(x + 24, _y + 6), link.Color);
            G.DrawString("cause → effect", font, XBrushes.Black, new XPoint(x + 28, _y + 9));
            x += 28 + G.MeasureString("cause → effect", font).Width + 14;
            var tension = new XPen(XColor.FromArgb(unchecked((int)0xFFC62828)), 1) { DashStyle = XDashStyle.Dash };
            G.DrawLine(tension, x, _y + 6, x + 24, _y + 6);
            G.DrawString("tension", font, XBrushes.Black, new XPoint(x + 28, _y + 9));
            _y += 16;
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
