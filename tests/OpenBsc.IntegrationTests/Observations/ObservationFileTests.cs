using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using OpenBsc.Application.Features.Observations;

namespace OpenBsc.IntegrationTests.Observations;

/// <summary>XLSX import (and its zip-bomb guard) and export in both formats: read back by an independent reader.</summary>
public abstract class ObservationFileTests(ObservationsApp fixture)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite(SqliteObservationsApp app) : ObservationFileTests(app), IClassFixture<SqliteObservationsApp>;

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres(PostgresObservationsApp app) : ObservationFileTests(app), IClassFixture<PostgresObservationsApp>;

    [Fact]
    public async Task ImportAsync_GoodXlsx_StoresEveryRow()
    {
        string key = await fixture.NewScorecardAsync();
        // Shared strings, an inline string, numeric cells, a skipped empty cell and an empty row, as Excel writes them.
        byte[] xlsx = Workbook(
            ["measure", "period", "value", "note", "segment"],
            ["share", "2026-03", 42.5, null, "enterprise"],
            [],
            ["csat", "2026-Q2", 80d, "from the survey", null],
            ["csat", 2027d, 81d, null, null]);

        var result = await fixture.Import.ImportAsync(key, new MemoryStream(xlsx), ObservationFileFormat.Xlsx, "values.xlsx", "tester");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Format("values.xlsx"))) + result.Refusal?.Message);
        Assert.Equal(3, result.Summary!.Added);
        var rows = await fixture.RowsAsync(key);
        Assert.Contains(rows, r => r is { MeasureKey: "share", Period: "2026-03", Value: 42.5, Segment: "enterprise", Note: null });
        Assert.Contains(rows, r => r is { MeasureKey: "csat", Period: "2026-Q2", Value: 80, Note: "from the survey" });
        Assert.Contains(rows, r => r is { MeasureKey: "csat", Period: "2027", Value: 81 });
    }

    [Fact]
    public async Task ImportAsync_XlsxBadRow_NamesTheSpreadsheetRow()
    {
        string key = await fixture.NewScorecardAsync();
        byte[] xlsx = Workbook(["measure", "period", "value"], ["csat", "2026-02", 1d], ["csat", "2026-03", "n/a"]);

        var result = await fixture.Import.ImportAsync(key, new MemoryStream(xlsx), ObservationFileFormat.Xlsx, "values.xlsx", "tester");

        var error = Assert.Single(result.Errors);
        Assert.Equal((3L, "value", "n/a"), (error.Row, error.Column, error.Value));
        Assert.Single(await fixture.RowsAsync(key));
    }

    [Fact]
    public async Task ImportAsync_ZipBomb_IsRefusedBeforeInflating()
    {
        string key = await fixture.NewScorecardAsync();
        // 64 MB of one character deflates to ~64 KB: a ratio of ~1000, ten times the limit.
        var bomb = new MemoryStream();
        using (var zip = new ZipArchive(bomb, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var block = Encoding.ASCII.GetBytes(new string(' ', 1 << 20));
            for (int i = 0; i < 64; i++)
            {
                sheet.Write(block);
            }
        }

        bomb.Position = 0;
        long before = GC.GetTotalAllocatedBytes();
        var result = await fixture.Import.ImportAsync(key, bomb, ObservationFileFormat.Xlsx, "bomb.xlsx", "tester");
        long allocated = GC.GetTotalAllocatedBytes() - before;

        Assert.Equal(ObservationFileRefusal.Kinds.TooLarge, result.Refusal?.Kind);
        Assert.Contains("zip bomb", result.Refusal!.Message, StringComparison.Ordinal);
        Assert.Contains("xl/worksheets/sheet1.xml", result.Refusal.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16 << 20, $"refusing allocated {allocated:N0} bytes: the part was inflated");
        Assert.Single(await fixture.RowsAsync(key));
    }

    [Fact]
    public async Task ImportAsync_TooManyZipEntries_IsRefused()
    {
        string key = await fixture.NewScorecardAsync();
        var many = new MemoryStream();
        using (var zip = new ZipArchive(many, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (int i = 0; i < 1_500; i++)
            {
                zip.CreateEntry($"part{i}.xml");
            }
        }

        many.Position = 0;
        var result = await fixture.Import.ImportAsync(key, many, ObservationFileFormat.Xlsx, "many.xlsx", "tester");

        Assert.Equal(ObservationFileRefusal.Kinds.TooLarge, result.Refusal?.Kind);
        Assert.Contains("1,500 parts: expected at most 1,000", result.Refusal!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "not a zip archive")]
    [InlineData(new byte[0], "not a zip archive")]
    public async Task ImportAsync_NotAnXlsx_IsRefusedAsUnreadable(byte[] bytes, string expected)
    {
        string key = await fixture.NewScorecardAsync();

        var result = await fixture.Import.ImportAsync(key, new MemoryStream(bytes), ObservationFileFormat.Xlsx, "fake.xlsx", "tester");

        Assert.Equal(ObservationFileRefusal.Kinds.Unreadable, result.Refusal?.Kind);
        Assert.Contains(expected, result.Refusal!.Message, StringComparison.Ordinal);
    }

    private static readonly string[] Payloads = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"];

    [Fact]
    public async Task ExportAsync_Csv_NeutralisesFormulasAndImportsBackUnchanged()
    {
        string key = await fixture.NewScorecardAsync();
        var csv = new StringBuilder("measure,period,value,note\n");
        string[] payloads = Payloads;
        for (int i = 0; i < payloads.Length; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"nps,2026-{i + 1:00},-{i}.5,\"{payloads[i].Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n");
        }

        Assert.True((await fixture.ImportCsvAsync(key, csv.ToString())).Succeeded);

        var exported = new MemoryStream();
        long? count = await fixture.Export.ExportAsync(key, exported, ObservationFileFormat.Csv, history: false);
        string text = Encoding.UTF8.GetString(exported.ToArray());

        Assert.Equal(7, count);
        Assert.StartsWith("\uFEFFmeasure,period,value,note,segment\r\n", text, StringComparison.Ordinal);
        Assert.Contains("nps,2026-01,-0.5,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",\r\n", text, StringComparison.Ordinal);
        Assert.Contains("nps,2026-02,-1.5,'+1+1,\r\n", text, StringComparison.Ordinal);
        Assert.Contains("nps,2026-04,-3.5,'@SUM(A1),\r\n", text, StringComparison.Ordinal);
        Assert.Contains("nps,2026-05,-4.5,'\tcmd,\r\n", text, StringComparison.Ordinal);
        // Values stay numbers: a negative value is written as a number, not neutralised text.
        Assert.Contains("nps,2026-03,-2.5,'-2+3,\r\n", text, StringComparison.Ordinal);

        // The export imports into another scorecard with the very same notes (the apostrophe is removed again).
        string copy = await fixture.NewScorecardAsync();
        exported.Position = 0;
        var back = await fixture.Import.ImportAsync(copy, exported, ObservationFileFormat.Csv, "export.csv", "tester");
        Assert.True(back.Succeeded, string.Join("; ", back.Errors));
        var notes = (await fixture.RowsAsync(copy)).Where(r => r.MeasureKey == "nps").OrderBy(r => r.PeriodStart).Select(r => r.Note).OfType<string>().ToList();
        Assert.Equal(payloads, notes);
    }

    [Fact]
    public async Task ExportAsync_Xlsx_NumbersAreNumericCellsAndFormulasAreText()
    {
        string key = await fixture.NewScorecardAsync();
        Assert.True((await fixture.ImportCsvAsync(key, "measure,period,value,note,segment\nshare,2026-02,12.25,\"=1+1\",smb\n")).Succeeded);

        var exported = new MemoryStream();
        await fixture.Export.ExportAsync(key, exported, ObservationFileFormat.Xlsx, history: false);
        var rows = ReadWorkbook(exported.ToArray());

        Assert.Equal(["measure", "period", "value", "note", "segment"], rows[0].Select(c => c.Text));
        var nps = rows.Single(r => r[0].Text == "share");
        Assert.Equal(("12.25", true), (nps[2].Text, nps[2].IsNumber));
        Assert.Equal(("'=1+1", false, false), (nps[3].Text, nps[3].IsNumber, nps[3].IsFormula));
        Assert.Equal("smb", nps[4].Text);
        // And the XLSX imports back with the same values.
        string copy = await fixture.NewScorecardAsync();
        var back = await fixture.Import.ImportAsync(copy, new MemoryStream(exported.ToArray()), ObservationFileFormat.Xlsx, "export.xlsx", "tester");
        Assert.True(back.Succeeded, string.Join("; ", back.Errors));
        Assert.Contains(await fixture.RowsAsync(copy), r => r is { MeasureKey: "share", Value: 12.25, Note: "=1+1", Segment: "smb" });
    }

    [Fact]
    public async Task ExportAsync_History_IncludesSupersededValuesWithWhoAndWhy()
    {
        string key = await fixture.NewScorecardAsync();
        await fixture.ImportCsvAsync(key, "measure,period,value\ncsat,2026-01,75\n", "fix.csv");

        var exported = new MemoryStream();
        await fixture.Export.ExportAsync(key, exported, ObservationFileFormat.Csv, history: true);
        var lines = Encoding.UTF8.GetString(exported.ToArray()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("measure,period,value,note,segment,entered_by,entered_at,superseded_at,superseded_by,correction_reason", lines[0]);
        Assert.StartsWith("csat,2026-01,70,,,setup,", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",tester,import fix.csv", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("csat,2026-01,75,,,tester,", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(",,,", lines[2], StringComparison.Ordinal);
    }

    /// <summary>A workbook as Excel writes one: strings in the shared-string table, except an inline one for notes; numbers as numbers.</summary>
    internal static byte[] Workbook(params object?[][] rows)
    {
        var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var shared = workbook.AddNewPart<SharedStringTablePart>();
            shared.SharedStringTable = new SharedStringTable();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            uint number = 0;
            foreach (var values in rows)
            {
                var row = new Row { RowIndex = ++number };
                for (int i = 0; i < values.Length; i++)
                {
                    string reference = $"{(char)('A' + i)}{number}";
                    switch (values[i])
                    {
                        case double d:
                            row.Append(new Cell { CellReference = reference, CellValue = new CellValue(d) });
                            break;
                        case string s when i == 3:
                            row.Append(new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(s)) });
                            break;
                        case string s:
                            shared.SharedStringTable.Append(new SharedStringItem(new Text(s)));
                            row.Append(new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(shared.SharedStringTable.Count() - 1) });
                            break;
                    }
                }

                data.Append(row);
            }

            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Data" }));
        }

        return stream.ToArray();
    }

    internal sealed record ReadCell(string Text, bool IsNumber, bool IsFormula);

    /// <summary>Reads the first sheet with the Open XML SDK's DOM (an independent reader, not the importer's).</summary>
    internal static List<List<ReadCell>> ReadWorkbook(byte[] xlsx)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().First();
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
        return part.Worksheet.Descendants<Row>()
            .Select(r => r.Elements<Cell>().Select(c => new ReadCell(
                c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText : c.CellValue?.Text ?? string.Empty,
                c.DataType is null || c.DataType.Value == CellValues.Number,
                c.CellFormula is not null)).ToList())
            .ToList();
    }
}
