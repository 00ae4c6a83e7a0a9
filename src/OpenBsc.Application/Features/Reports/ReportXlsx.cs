using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.Reports;

/// <summary>
/// The report as a workbook: a Summary sheet, then one sheet per perspective. Values, targets and scores are
/// numeric cells (scores as fractions, formatted as percentages) so they can be charted and summed; counts and risk
/// levels are whole numbers; dates are date cells (the generation time in the organisation's time zone) in the
/// organisation's date format, so they sort and filter as dates; text is neutralised against formula injection.
/// </summary>
public static class ReportXlsx
{
    // Cell formats (indexes into CellFormats below).
    private const uint PercentStyle = 1;
    private const uint HeaderStyle = 2;
    private const uint NumberStyle = 3;
    private const uint GreenStyle = 4, YellowStyle = 5, RedStyle = 6, GrayStyle = 7;
    private const uint BoldStyle = 8, BoldPercentStyle = 9, BoldNumberStyle = 10;
    private const uint DateStyle = 11, DateTimeStyle = 12, IntegerStyle = 13;

    public static void Write(ScorecardReport report, Stream output)
    {
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook(new Sheets());
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        // Looks like the dashboard: a banded bold header, status cells filled with the status colour (and the word
        // in them: colour is never alone), numbers with thousands separators, scores as percentages.
        static Fill Solid(string rgb) => new(new PatternFill(new ForegroundColor { Rgb = "FF" + rgb }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid });
        var format = Organisations.OrganisationFormat.Current;
        styles.Stylesheet = new Stylesheet(
            new NumberingFormats(
                new NumberingFormat { NumberFormatId = 164, FormatCode = XlsxDates.DateCode(format.DateFormat) },
                new NumberingFormat { NumberFormatId = 165, FormatCode = XlsxDates.TimeCode(format.DateFormat, seconds: false) }),
            new Fonts(new Font(), new Font(new Bold()), new Font(new Bold(), new Color { Rgb = "FFFFFFFF" }), new Font(new Bold(), new Color { Rgb = "FF3B2F00" })),
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                Solid("E8EDF3"), Solid("2E7D32"), Solid("F9D65C"), Solid("B3261E"), Solid("616161")),
            new Borders(new Border(), new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(new Color { Rgb = "FF8A96A3" }) { Style = BorderStyleValues.Thin }, new DiagonalBorder())),
            new CellFormats(
                new CellFormat(),
                new CellFormat { NumberFormatId = 10, ApplyNumberFormat = true },
                new CellFormat { FontId = 1, FillId = 2, BorderId = 1, ApplyFont = true, ApplyFill = true, ApplyBorder = true },
                new CellFormat { NumberFormatId = 4, ApplyNumberFormat = true },
                new CellFormat { FontId = 2, FillId = 3, ApplyFont = true, ApplyFill = true },
                new CellFormat { FontId = 3, FillId = 4, ApplyFont = true, ApplyFill = true },
                new CellFormat { FontId = 2, FillId = 5, ApplyFont = true, ApplyFill = true },
                new CellFormat { FontId = 2, FillId = 6, ApplyFont = true, ApplyFill = true },
                new CellFormat { FontId = 1, ApplyFont = true },
                new CellFormat { FontId = 1, NumberFormatId = 10, ApplyFont = true, ApplyNumberFormat = true },
                new CellFormat { FontId = 1, NumberFormatId = 4, ApplyFont = true, ApplyNumberFormat = true },
                new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
                new CellFormat { NumberFormatId = 165, ApplyNumberFormat = true },
                new CellFormat { NumberFormatId = 3, ApplyNumberFormat = true }));

        var summary = new List<object?[]>
        {
            new object?[] { report.Name },
            new object?[] { "Organisation", report.Organisation },
            new object?[] { "Period", report.Period },
            new object?[] { "Score", report.Score },
            new object?[] { "Status", ScorecardReport.Style(report.Status, report.Score).Word },
            new object?[] { "Generated", DateTime.SpecifyKind(report.GeneratedAt, DateTimeKind.Utc) },
            Array.Empty<object?>(),
            new object?[] { "Perspective", "Score", "Status", "Trend" },
        };
        summary.AddRange(report.Sections.Select(s => new object?[] { s.Name, s.Score, ScorecardReport.Style(s.Status, s.Score).Word, ScorecardReport.TrendWord(s.Trend) }));
        AddSheet(workbook, "Summary", summary, headerRows: [7], percentColumns: [1], statusColumns: [2], boldRows: [0], freezeRows: 0);

        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Summary" };
        foreach (var section in report.Sections)
        {
            var rows = new List<object?[]> { new object?[] { "Objective / measure", "Kind", "Value", "Target", "Unit", "Score", "Status", "Trend", "Owner", "Comments" } };
            var bold = new HashSet<int>(section.Rows.Select((r, i) => (r, i)).Where(x => x.r.Kind is not (NodeKind.Measure or NodeKind.Series)).Select(x => x.i + 1));
            rows.AddRange(section.Rows.Select(r => new object?[]
            {
                new string(' ', r.Depth * 3) + r.Name,
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
            AddSheet(workbook, SheetName(section.Name, used), rows, headerRows: [0], percentColumns: [5], statusColumns: [6], boldRows: bold);
        }

        var initiatives = new List<object?[]> { new object?[] { "Initiative", "Objectives", "Owner", "Start", "End", "Complete", "Planned", "Status", "Budget", "Actual", "Variance", "Milestones" } };
        initiatives.AddRange(report.Plan.Initiatives.Select(i => new object?[]
        {
            i.Name, report.NamesOf(i.Objectives), i.Owner, i.Start, i.End, i.Complete, i.Planned, ScorecardReport.PlanStatus(i.Status).Word,
            i.Budget, i.ActualCost, i.Variance,
            string.Join(" | ", i.Milestones.Select(m => $"{m.Name}: due {m.Due:yyyy-MM-dd}, {Charts.InitiativeTimelineSvg.MilestoneWord(m)}")),
        }));
        initiatives.Add([]);
        initiatives.Add(["Perspective", "Initiatives", "Budget", "Actual", "Variance"]);
        initiatives.AddRange(report.Plan.Costs.Perspectives.Append(report.Plan.Costs.Total with { Name = "All initiatives" })
            .Select(c => new object?[] { c.Name, c.Initiatives, c.Budget, c.Actual, c.Variance }));
        AddSheet(workbook, SheetName("Initiatives", used), initiatives, headerRows: [0, report.Plan.Initiatives.Count + 2], percentColumns: [5, 6]);

        var risks = new List<object?[]> { new object?[] { "Risk", "Objectives", "Owner", "Inherent", "Residual", "Target", "Current band", "Mitigations", "Review" } };
        risks.AddRange(report.Risks.Risks.Select(r => new object?[]
        {
            r.Name, report.NamesOf(r.Objectives), r.Owner, r.Inherent.Level, r.Residual?.Level, r.Target?.Level, r.Current.Band.ToString().ToLowerInvariant(),
            report.NamesOf(r.Mitigations), r.Review,
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

    private static void AddSheet(WorkbookPart workbook, string name, List<object?[]> rows, int[] headerRows, int[]? percentColumns = null, int[]? statusColumns = null,
        HashSet<int>? boldRows = null, int freezeRows = 1)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        var widths = new Dictionary<int, double>();
        var format = Organisations.OrganisationFormat.Current;
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
                bool strong = boldRows?.Contains(r) ?? false;
                bool percent = percentColumns?.Contains(c) ?? false;
                string shown;
                if (value is double number)
                {
                    cell.CellValue = new CellValue(number);
                    cell.DataType = CellValues.Number;
                    cell.StyleIndex = percent ? (strong ? BoldPercentStyle : PercentStyle) : (strong ? BoldNumberStyle : NumberStyle);
                    shown = percent ? "100.00%" : number.ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (value is int whole)
                {
                    cell.CellValue = new CellValue(whole);
                    cell.DataType = CellValues.Number;
                    cell.StyleIndex = IntegerStyle;
                    shown = whole.ToString("#,##0", System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (value is DateOnly day)
                {
                    cell.CellValue = new CellValue(XlsxDates.Serial(day));
                    cell.DataType = CellValues.Number;
                    cell.StyleIndex = DateStyle;
                    shown = format.Date(day);
                }
                else if (value is DateTime at)
                {
                    cell.CellValue = new CellValue(XlsxDates.Serial(at, format.Zone));
                    cell.DataType = CellValues.Number;
                    cell.StyleIndex = DateTimeStyle;
                    shown = format.Time(at);
                }
                else
                {
                    shown = (string)value;
                    cell.InlineString = new InlineString(new Text(FormulaGuard.Neutralise(shown)) { Space = SpaceProcessingModeValues.Preserve });
                    cell.DataType = CellValues.InlineString;
                    if (strong)
                    {
                        cell.StyleIndex = BoldStyle;
                    }

                    if (!headerRows.Contains(r) && (statusColumns?.Contains(c) ?? false) && StatusStyle(shown) is { } status)
                    {
                        cell.StyleIndex = status;
                    }
                }

                if (headerRows.Contains(r))
                {
                    cell.StyleIndex = HeaderStyle;
                }

                widths[c] = Math.Max(widths.GetValueOrDefault(c), Math.Min(60, shown.Length + 2));

                row.Append(cell);
            }

            data.Append(row);
        }

        // The header stays in view while scrolling; columns as wide as what they hold (within reason).
        var views = new SheetViews(new SheetView { WorkbookViewId = 0 });
        if (freezeRows > 0)
        {
            views.GetFirstChild<SheetView>()!.Append(new Pane { VerticalSplit = freezeRows, TopLeftCell = "A" + (freezeRows + 1), ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
                new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A" + (freezeRows + 1), SequenceOfReferences = new ListValue<StringValue> { InnerText = "A" + (freezeRows + 1) } });
        }

        var columns = new Columns(widths.OrderBy(w => w.Key).Select(w => new DocumentFormat.OpenXml.Spreadsheet.Column { Min = (uint)(w.Key + 1), Max = (uint)(w.Key + 1), Width = Math.Max(8, w.Value), CustomWidth = true }));
        part.Worksheet = columns.HasChildren ? new Worksheet(views, columns, data) : new Worksheet(views, data);
        var sheets = workbook.Workbook.Sheets!;
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = (uint)(sheets.Count() + 1), Name = name });
    }

    /// <summary>The fill of a status word, as on the dashboard.</summary>
    private static uint? StatusStyle(string word) => word switch
    {
        "Green" => GreenStyle,
        "Yellow" => YellowStyle,
        "Red" => RedStyle,
        "No data" or "Gray" => GrayStyle,
        _ => null,
    };

    private static string Column(int index) => index < 26 ? ((char)('A' + index)).ToString() : string.Concat((char)('A' + (index / 26) - 1), (char)('A' + (index % 26)));
}
