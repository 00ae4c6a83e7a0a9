using System.Diagnostics;
using MiniExcelLibs;

namespace OpenBsc.IntegrationTests.Cli;

/// <summary><c>openbsc report</c>: the PDF is real text (pdftotext) and renders (pdftoppm); the XLSX opens with a second library.</summary>
public sealed partial class ReportCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbsc-report-").FullName;

    private static string Example => Path.Combine(OpenBscCli.Examples, "customer-support.yaml");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Pdf_HoldsTheNameEveryPerspectiveAndThePeriod_AsText_AndRenders()
    {
        string pdf = Path.Combine(_dir, "q3.pdf");

        var result = OpenBscCli.Run("report", Example, "--at", "2026-Q3", "-o", pdf);

        Assert.Equal(0, result.ExitCode);
        string text = Tool("pdftotext", "-layout", pdf, "-");
        Assert.Contains("Customer Support Scorecard", text, StringComparison.Ordinal);
        foreach (string perspective in new[] { "Financial", "Customer", "Internal Process", "Learning & Growth" })
        {
            Assert.Contains(perspective, text, StringComparison.Ordinal);
        }

        Assert.Contains("2026-Q3", text, StringComparison.Ordinal);
        Assert.Contains("Strategy map", text, StringComparison.Ordinal);
        Assert.Contains("Initiatives", text, StringComparison.Ordinal);
        Tool("pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", pdf, Path.Combine(_dir, "page"));
        var pages = Directory.GetFiles(_dir, "page*.png");
        Assert.Equal(2, pages.Length);
        Assert.All(pages, p => Assert.True(new FileInfo(p).Length > 1000, $"{p} is blank"));
    }

    [Fact]
    public void Pdf_IsLaidOutForReading_NoMostlyBlankPage_NoCutText_NamesNotIds_MapLegend()
    {
        string pdf = Path.Combine(_dir, "reading.pdf");

        Assert.Equal(0, OpenBscCli.Run("report", Example, "--at", "2026-06", "-o", pdf).ExitCode);

        string text = Tool("pdftotext", "-layout", pdf, "-");
        string[] pages = text.Split('\f', StringSplitOptions.RemoveEmptyEntries);
        // Every page but the last is filled: its lowest word sits in the bottom third of the page.
        string boxes = Tool("pdftotext", "-bbox", pdf, "-");
        var filled = System.Text.RegularExpressions.Regex.Split(boxes, "<page ").Skip(1).Select(page =>
        {
            double height = double.Parse(System.Text.RegularExpressions.Regex.Match(page, @"height=""([\d.]+)""").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            double lowest = System.Text.RegularExpressions.Regex.Matches(page, @"yMax=""([\d.]+)""").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
            return lowest / height;
        }).ToList();
        Assert.True(filled.Count >= 2, "the report has pages");
        for (int i = 0; i < filled.Count - 1; i++)
        {
            Assert.True(filled[i] > 0.67, $"page {i + 1} of {filled.Count} is mostly blank: its text ends {filled[i]:P0} down the page");
        }

        Assert.DoesNotContain("…", text, StringComparison.Ordinal); // nothing cut to fit a column
        Assert.Contains("cause → effect", text, StringComparison.Ordinal); // the map's legend
        Assert.Contains("Lower the cost to serve ↔ Keep customers loyal", text, StringComparison.Ordinal); // the tension by names
        Assert.DoesNotContain("loyal-customers", text, StringComparison.Ordinal);
        Assert.Contains("Strategy map", pages[0], StringComparison.Ordinal); // the map is on the first page, with the perspectives
    }

    [Fact]
    public void Xlsx_HasASheetPerPerspective_WithNumbersAsNumbers()
    {
        string xlsx = Path.Combine(_dir, "q3.xlsx");

        var result = OpenBscCli.Run("report", Example, "--at", "2026-Q3", "--format", "xlsx", "-o", xlsx);

        Assert.Equal(0, result.ExitCode);
        var sheets = MiniExcel.GetSheetNames(xlsx);
        Assert.Equal(["Summary", "Financial", "Customer", "Internal Process", "Learning & Growth", "Initiatives", "Risks"], sheets);
        var rows = MiniExcel.Query(xlsx, sheetName: "Customer").Cast<IDictionary<string, object?>>().ToList();
        var nps = rows.Single(r => (r["A"] as string)?.Trim() == "Net Promoter Score");
        Assert.IsType<double>(nps["C"]); // value
        Assert.IsType<double>(nps["D"]); // target
        Assert.IsType<double>(nps["F"]); // score, a fraction formatted as a percentage
    }

    [Fact]
    public void Xlsx_LooksLikeTheDashboard_StatusFills_Widths_FrozenHeader_NumberFormats()
    {
        string xlsx = Path.Combine(_dir, "styled.xlsx");
        Assert.Equal(0, OpenBscCli.Run("report", Example, "--at", "2026-Q3", "--format", "xlsx", "-o", xlsx).ExitCode);

        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(xlsx, false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == "Customer");
        var worksheet = ((DocumentFormat.OpenXml.Packaging.WorksheetPart)workbook.GetPartById(sheet.Id!)).Worksheet;
        var formats = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<DocumentFormat.OpenXml.Spreadsheet.CellFormat>().ToList();
        var fills = workbook.WorkbookStylesPart.Stylesheet.Fills!.Elements<DocumentFormat.OpenXml.Spreadsheet.Fill>().ToList();
        var cells = worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().ToList();
        string Text(DocumentFormat.OpenXml.Spreadsheet.Cell c) => c.InlineString?.InnerText ?? "";

        var pane = Assert.Single(worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Pane>());
        Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.PaneStateValues.Frozen, pane.State!.Value);
        Assert.Equal(1.0, pane.VerticalSplit!.Value);
        Assert.True(worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Column>().Single(c => c.Min!.Value == 1).Width!.Value >= 20, "the name column is wide enough for names");
        // Every status cell of every perspective sheet is filled with its colour, and keeps its word.
        var statuses = workbook.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>()
            .Where(s => s.Name?.Value is not ("Summary" or "Initiatives" or "Risks"))
            .SelectMany(s => ((DocumentFormat.OpenXml.Packaging.WorksheetPart)workbook.GetPartById(s.Id!)).Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>())
            .Where(c => c.CellReference!.Value!.StartsWith('G') && Text(c) is "Green" or "Yellow" or "Red" or "No data").ToList();
        Assert.True(statuses.Select(Text).Distinct().Count() >= 2, "statuses of more than one colour in the report");
        Assert.All(statuses, status =>
            Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.PatternValues.Solid, fills[(int)formats[(int)status.StyleIndex!.Value].FillId!.Value].PatternFill!.PatternType!.Value));

        var score = cells.First(c => c.CellReference!.Value!.StartsWith('F') && c.DataType?.Value == DocumentFormat.OpenXml.Spreadsheet.CellValues.Number);
        Assert.Equal(10u, formats[(int)score.StyleIndex!.Value].NumberFormatId!.Value); // 0.00%
        var value = cells.First(c => c.CellReference!.Value!.StartsWith('C') && c.DataType?.Value == DocumentFormat.OpenXml.Spreadsheet.CellValues.Number);
        Assert.Equal(4u, formats[(int)value.StyleIndex!.Value].NumberFormatId!.Value); // #,##0.00
    }

    [Fact]
    public void Html_IsOnePrintablePage_AndBadInputSaysWhatToFix()
    {
        string html = Path.Combine(_dir, "q3.html");

        var ok = OpenBscCli.Run("report", Example, "--at", "2026-Q3", "-o", html);
        var badFormat = OpenBscCli.Run("report", Example, "--at", "2026-Q3", "--format", "docx", "-o", Path.Combine(_dir, "x.docx"));
        var exists = OpenBscCli.Run("report", Example, "--at", "2026-Q3", "-o", html);

        Assert.Equal(0, ok.ExitCode);
        string page = File.ReadAllText(html);
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        Assert.Contains("Customer Support Scorecard", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.Ordinal);
        Assert.Equal(1, badFormat.ExitCode);
        Assert.Contains("expected pdf, xlsx or html", badFormat.Error, StringComparison.Ordinal);
        Assert.Equal(3, exists.ExitCode);
    }

    private static string Tool(string name, params string[] args)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{name} failed: {process.StandardError.ReadToEnd()}");
        return output;
    }
}
