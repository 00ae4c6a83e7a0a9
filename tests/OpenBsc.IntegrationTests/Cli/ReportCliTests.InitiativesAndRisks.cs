using MiniExcelLibs;

namespace OpenBsc.IntegrationTests.Cli;

public sealed partial class ReportCliTests
{
    /// <summary>The example with actual costs, a milestone and two risks added (the scores stay the same).</summary>
    private string ExampleWithRisks()
    {
        string text = File.ReadAllText(Example)
            .Replace("budget: 120000, complete: 0.8", "budget: 120000, actualCost: 130000, complete: 0.8,\n        milestones: [{ name: Pilot live, due: 2026-03-31 }]", StringComparison.Ordinal)
            .Replace("\nobservations:\n", """

              risks:
                - { id: support-backlog, name: Support backlog during the portal launch, objectives: [fast-answers], owner: carla@example.org, likelihood: 4, impact: 3, residual: { likelihood: 3, impact: 3 }, mitigations: [self-service] }
                - { id: dealer-churn, name: Churn of dealer partners, objectives: [loyal-customers], likelihood: 4, impact: 5 }

            observations:

            """.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("actualCost: 130000", text, StringComparison.Ordinal);
        string path = Path.Combine(_dir, "with-risks.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Html_InitiativesAndRisks_ShowStatusVarianceAndLevels()
    {
        string html = Path.Combine(_dir, "risks.html");

        var result = OpenBscCli.Run("report", ExampleWithRisks(), "--at", "2026-Q3", "-o", html);

        Assert.Equal(0, result.ExitCode);
        string page = System.Net.WebUtility.HtmlDecode(File.ReadAllText(html));
        Assert.Contains("<h2>Risks</h2>", page, StringComparison.Ordinal);
        Assert.Contains("<td>12 high (4 × 3)</td><td>9 medium (3 × 3)</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>20 critical (4 × 5)</td>", page, StringComparison.Ordinal);
        Assert.Contains("-10,000", page, StringComparison.Ordinal);
        Assert.Contains("Pilot live — due 2026-03-31, overdue", page, StringComparison.Ordinal);
        Assert.Contains("Status against plan on 2026-09-30.", page, StringComparison.Ordinal);
        Assert.Contains("Initiative cost per perspective", page, StringComparison.Ordinal);
    }

    [Fact]
    public void PdfAndXlsx_InitiativesAndRisks_AreListed()
    {
        string pdf = Path.Combine(_dir, "risks.pdf");
        string xlsx = Path.Combine(_dir, "risks.xlsx");
        string file = ExampleWithRisks();

        Assert.Equal(0, OpenBscCli.Run("report", file, "--at", "2026-Q3", "-o", pdf).ExitCode);
        Assert.Equal(0, OpenBscCli.Run("report", file, "--at", "2026-Q3", "--format", "xlsx", "-o", xlsx).ExitCode);

        string text = Tool("pdftotext", "-layout", pdf, "-");
        Assert.Contains("Support backlog during the", text, StringComparison.Ordinal); // the PDF column fits it with an ellipsis
        Assert.Contains("20 critical (4 × 5)", text, StringComparison.Ordinal);
        Assert.Contains("Initiative cost per perspective", text, StringComparison.Ordinal);
        var risks = MiniExcel.Query(xlsx, sheetName: "Risks").Cast<IDictionary<string, object?>>().ToList();
        var churn = risks.Single(r => (r["A"] as string) == "Churn of dealer partners");
        Assert.Equal((20.0, "critical"), ((double)churn["D"]!, churn["G"] as string));
        var initiatives = MiniExcel.Query(xlsx, sheetName: "Initiatives").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(-10000.0, initiatives.Single(r => (r["A"] as string) == "Self-service portal")["K"]);
    }

    [Fact]
    public void Xlsx_DatesAreDateCells_CountsAndLevelsWholeNumbers()
    {
        string xlsx = Path.Combine(_dir, "dates.xlsx");
        var before = TimeProvider.System.GetUtcNow().UtcDateTime;
        Assert.Equal(0, OpenBscCli.Run("report", ExampleWithRisks(), "--at", "2026-Q3", "--format", "xlsx", "-o", xlsx).ExitCode);

        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(xlsx, false);
        var workbook = document.WorkbookPart!;
        var stylesheet = workbook.WorkbookStylesPart!.Stylesheet;
        DocumentFormat.OpenXml.Spreadsheet.Cell Cell(string sheet, string reference) =>
            ((DocumentFormat.OpenXml.Packaging.WorksheetPart)workbook.GetPartById(workbook.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == sheet).Id!))
            .Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().Single(c => c.CellReference == reference);
        string Code(DocumentFormat.OpenXml.Spreadsheet.Cell cell)
        {
            Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.CellValues.Number, cell.DataType!.Value);
            uint id = stylesheet.CellFormats!.Elements<DocumentFormat.OpenXml.Spreadsheet.CellFormat>().ElementAt((int)cell.StyleIndex!.Value).NumberFormatId!.Value;
            return stylesheet.NumberingFormats?.Elements<DocumentFormat.OpenXml.Spreadsheet.NumberingFormat>().SingleOrDefault(f => f.NumberFormatId!.Value == id)?.FormatCode?.Value ?? $"built-in {id}";
        }

        double Number(DocumentFormat.OpenXml.Spreadsheet.Cell cell) => double.Parse(cell.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture);

        // The initiative "Self-service portal" runs 2026-01-01 to 2026-09-30: date cells in the organisation's (here the invariant) format.
        Assert.Equal("Self-service portal", Cell("Initiatives", "A2").InnerText);
        Assert.Equal(("yyyy-mm-dd", new DateTime(2026, 1, 1)), (Code(Cell("Initiatives", "D2")), DateTime.FromOADate(Number(Cell("Initiatives", "D2")))));
        Assert.Equal(("yyyy-mm-dd", new DateTime(2026, 9, 30)), (Code(Cell("Initiatives", "E2")), DateTime.FromOADate(Number(Cell("Initiatives", "E2")))));
        // When the report was made, to the minute, in UTC for a report made from a file.
        Assert.Equal("Generated", Cell("Summary", "A6").InnerText);
        var generated = Cell("Summary", "B6");
        Assert.Equal("yyyy-mm-dd hh:mm", Code(generated));
        var at = DateTime.FromOADate(Number(generated));
        Assert.True(at >= before.AddSeconds(-1) && at <= TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(1), $"generated {at:O}, between {before:O} and now");
        // Counts and risk levels are whole numbers (#,##0).
        var churn = ((DocumentFormat.OpenXml.Packaging.WorksheetPart)workbook.GetPartById(workbook.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == "Risks").Id!))
            .Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().Single(c => c.InnerText == "Churn of dealer partners");
        var risk = Cell("Risks", "D" + churn.CellReference!.Value![1..]);
        Assert.Equal(("built-in 3", 20.0), (Code(risk), Number(risk)));
    }
}
