using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.Reports;

/// <summary>
/// The report as a workbook: a Summary sheet, then one sheet per perspective. Values, targets and scores are
/// numeric cells (scores as fractions, formatted as percentages) so they can be charted and summed; text is
/// neutralised against formula injection.
/// </summary>
public static class ReportXlsx
{
    private const uint PercentStyle = 1;
    private const uint BoldStyle = 2;

    public static void Write(ScorecardReport report, Stream output)
    {
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook(new Sheets());
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new Fonts(new Font(), new Font(new Bold())),
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
            new Borders(new Border()),
            new CellFormats(
                new CellFormat(),
                new CellFormat { NumberFormatId = 9, ApplyNumberFormat = true },
                new CellFormat { FontId = 1, ApplyFont = true }));

        var summary = new List<object?[]>
        {
            new object?[] { report.Name },
            new object?[] { "Organisation", report.Organisation },
            new object?[] { "Period", report.Period },
            new object?[] { "Score", report.Score },
            new object?[] { "Status", ScorecardReport.Style(report.Status, report.Score).Word },
            Array.Empty<object?>(),
            new object?[] { "Perspective", "Score", "Status", "Trend" },
        };
        summary.AddRange(report.Sections.Select(s => new object?[] { s.Name, s.Score, ScorecardReport.Style(s.Status, s.Score).Word, ScorecardReport.TrendWord(s.Trend) }));
        AddSheet(workbook, "Summary", summary, headerRows: [0, 6], percentColumns: [1]);

        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Summary" };
        foreach (var section in report.Sections)
        {
            var rows = new List<object?[]> { new object?[] { "Objective / measure", "Kind", "Value", "Target", "Unit", "Score", "Status", "Trend", "Owner", "Comments" } };
            rows.AddRange(section.Rows.Select(r => new object?[]
            {
                new string(' ', r.Depth * 2) + r.Name,
                r.Kind == NodeKind.Series ? "segment" : r.Kind.ToString().ToLowerInvariant(),
                r.Value,
                r.Target,
                r.Unit,
                r.Score,
                ScorecardReport.Style(r.Status, r.Score).Word,
                ScorecardReport.TrendWord(r.Trend),
                r.Owner,
                r.Comments.Count == 0 ? null : string.Join(" | ", r.Comments),
            }));
            AddSheet(workbook, SheetName(section.Name, used), rows, headerRows: [0], percentColumns: [5]);
        }

        var initiatives = new List<object?[]> { new object?[] { "Initiative", "Objectives", "Owner", "Start", "End", "Complete", "Planned", "Status", "Budget", "Actual", "Variance", "Milestones" } };
        initiatives.AddRange(report.Plan.Initiatives.Select(i => new object?[]
        {
            i.Name, string.Join(", ", i.Objectives), i.Owner, i.Start?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            i.End?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), i.Complete, i.Planned, ScorecardReport.PlanStatus(i.Status).Word,
            i.Budget, i.ActualCost, i.Variance,
            string.Join(" | ", i.Milestones.Select(m => $"{m.Name}: due {m.Due:yyyy-MM-dd}, {Charts.InitiativeTimelineSvg.MilestoneWord(m)}")),
        }));
        initiatives.Add([]);
        initiatives.Add(["Perspective", "Initiatives", "Budget", "Actual", "Variance"]);
        initiatives.AddRange(report.Plan.Costs.Perspectives.Append(report.Plan.Costs.Total with { Name = "All initiatives" })
            .Select(c => new object?[] { c.Name, (double)c.Initiatives, c.Budget, c.Actual, c.Variance }));
        AddSheet(workbook, SheetName("Initiatives", used), initiatives, headerRows: [0, report.Plan.Initiatives.Count + 2], percentColumns: [5, 6]);

        var risks = new List<object?[]> { new object?[] { "Risk", "Objectives", "Owner", "Inherent", "Residual", "Target", "Current band", "Mitigations", "Review" } };
        risks.AddRange(report.Risks.Risks.Select(r => new object?[]
        {
            r.Name, string.Join(", ", r.Objectives), r.Owner, (double)r.Inherent.Level, (double?)r.Residual?.Level, (double?)r.Target?.Level, r.Current.Band.ToString().ToLowerInvariant(),
            string.Join(", ", r.Mitigations), r.Review?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }));
        AddSheet(workbook, SheetName("Risks", used), risks, headerRows: [0]);

        workbook.Workbook.Save();
    }

    /// <summary>Excel's rules: at most 31 characters, none of []:*?/\, unique (case-insensitive).</summary>
    private static string SheetName(string name, HashSet<string> used)
    {
        string clean = new([.. name.Select(c => "[]:*?/\\".Contains(c, StringComparison.Ordinal) ? '-' : c)]);
        clean = clean.Length > 31 ? clean[..31] : clean;
        string candidate = clean.Length == 0 ? "Perspective" : clean;
        for (int n = 2; !used.Add(candidate); n++)
        {
            string suffix = $" ({n})";
            candidate = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }

        return candidate;
    }

    private static void AddSheet(WorkbookPart workbook, string name, List<object?[]> rows, int[] headerRows, int[]? percentColumns = null)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        for (int r = 0; r < rows.Count; r++)
        {
            var row = new Row { RowIndex = (uint)(r + 1) };
            for (int c = 0; c < rows[r].Length; c++)
            {
                object? value = rows[r][c];
                if (value is null)
                {
                    continue;
                }

                var cell = new Cell { CellReference = Column(c) + (r + 1) };
                if (value is double number)
                {
                    cell.CellValue = new CellValue(number);
                    cell.DataType = CellValues.Number;
                    if (percentColumns?.Contains(c) ?? false)
                    {
                        cell.StyleIndex = PercentStyle;
                    }
                }
                else
                {
                    cell.InlineString = new InlineString(new Text(FormulaGuard.Neutralise((string)value)) { Space = SpaceProcessingModeValues.Preserve });
                    cell.DataType = CellValues.InlineString;
                }

                if (headerRows.Contains(r))
                {
                    cell.StyleIndex = BoldStyle;
                }

                row.Append(cell);
            }

            data.Append(row);
        }

        part.Worksheet = new Worksheet(data);
        var sheets = workbook.Workbook.Sheets!;
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = (uint)(sheets.Count() + 1), Name = name });
    }

    private static string Column(int index) => index < 26 ? ((char)('A' + index)).ToString() : string.Concat((char)('A' + (index / 26) - 1), (char)('A' + (index % 26)));
}
