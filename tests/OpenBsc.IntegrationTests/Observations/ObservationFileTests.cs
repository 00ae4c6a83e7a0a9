using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Application.Features.Organisations;

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

    [Fact]
    public async Task ExportAsync_XlsxHistory_TimesAreDateCellsInTheOrganisationsZoneAndFormat()
    {
        string key = await fixture.NewScorecardAsync();
        await fixture.ImportCsvAsync(key, "measure,period,value\ncsat,2026-01,75\n", "fix.csv");
        var contexts = fixture.App.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>();
        Guid organisation;
        string zone, dateFormat;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            organisation = await db.Scorecards.Where(s => s.Key == key).Select(s => s.OrganisationId).SingleAsync();
            var settings = await db.Organisations.Where(o => o.Id == organisation).Select(o => new { o.TimeZone, o.DateFormat }).SingleAsync();
            (zone, dateFormat) = (settings.TimeZone, settings.DateFormat);
            // UTC+05:30 all year: a time that is not UTC and not a whole hour off it.
            await db.Organisations.Where(o => o.Id == organisation).ExecuteUpdateAsync(o => o.SetProperty(x => x.TimeZone, "Asia/Kolkata").SetProperty(x => x.DateFormat, "dd.MM.yyyy"));
        }

        var clock = fixture.App.Services.GetRequiredService<OrganisationClock>();
        clock.Forget(organisation);
        var exported = new MemoryStream();
        try
        {
            await fixture.Export.ExportAsync(key, exported, ObservationFileFormat.Xlsx, history: true);
        }
        finally
        {
            await using var db = await contexts.CreateDbContextAsync();
            await db.Organisations.Where(o => o.Id == organisation).ExecuteUpdateAsync(o => o.SetProperty(x => x.TimeZone, zone).SetProperty(x => x.DateFormat, dateFormat));
            clock.Forget(organisation);
        }

        using var document = SpreadsheetDocument.Open(new MemoryStream(exported.ToArray()), false);
        var workbook = document.WorkbookPart!;
        var cells = ((WorksheetPart)workbook.GetPartById(workbook.Workbook.Sheets!.Elements<Sheet>().First().Id!.Value!)).Worksheet.Descendants<Cell>().ToList();
        var stylesheet = workbook.WorkbookStylesPart!.Stylesheet;
        var stored = (await fixture.RowsAsync(key)).OrderBy(r => r.Id).ToList();
        // Row 2 is the superseded 70 (entered, then superseded by the import); row 3 the current 75.
        foreach (var (reference, expected) in new[] { ("G2", stored[0].EnteredAt), ("H2", stored[0].SupersededAt!.Value), ("G3", stored[1].EnteredAt) })
        {
            var cell = cells.Single(c => c.CellReference == reference);
            Assert.True(cell.DataType is null || cell.DataType.Value == CellValues.Number, $"{reference} is a number, not text");
            var format = stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)cell.StyleIndex!.Value);
            string code = stylesheet.NumberingFormats!.Elements<NumberingFormat>().Single(f => f.NumberFormatId!.Value == format.NumberFormatId!.Value).FormatCode!.Value!;
            Assert.Equal("dd.mm.yyyy hh:mm:ss", code);
            var local = DateTime.FromOADate(double.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture));
            var want = DateTime.SpecifyKind(expected, DateTimeKind.Utc).AddHours(5.5);
            Assert.True(Math.Abs((local - want).TotalSeconds) < 1, $"{reference}: {local:O} is {want:O} in Kolkata");
        }

        Assert.Equal(["20", "20"], workbook.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Column>().Select(c => c.Width!.Value.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task ImportAsync_DateCells_ReadAsTheyShow_AndTheValuesExportRoundTrips()
    {
        string key = await fixture.NewScorecardAsync();
        // What Excel stores when a user types 2026-06 (a date shown mmm-yy, built-in format 17), 2026-03-15 (built-in 14)
        // or a date and time in a note (a custom format): numbers shown through a date format.
        byte[] xlsx = Workbook(
            ["measure", "period", "value", "note"],
            ["nps", (46174.0, 2u), 12d, "typed as 2026-06"],
            ["csat", (46096.0, 1u), 81d, (46175.75, 3u)]);

        var result = await fixture.Import.ImportAsync(key, new MemoryStream(xlsx), ObservationFileFormat.Xlsx, "dated.xlsx", "tester");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Format("dated.xlsx"))) + result.Refusal?.Message);
        var rows = await fixture.RowsAsync(key);
        Assert.Contains(rows, r => r is { MeasureKey: "nps", Period: "2026-06", Value: 12, Note: "typed as 2026-06" });
        Assert.Contains(rows, r => r is { MeasureKey: "csat", Period: "2026-03-15", Value: 81, Note: "2026-06-02T18:00:00" });

        // Periods stay text in the export, so the export imports again unchanged.
        var exported = new MemoryStream();
        await fixture.Export.ExportAsync(key, exported, ObservationFileFormat.Xlsx, history: false);
        Assert.Contains(ReadWorkbook(exported.ToArray()), r => r[0].Text == "nps" && r[1] is { Text: "2026-06", IsNumber: false });
        string copy = await fixture.NewScorecardAsync();
        var back = await fixture.Import.ImportAsync(copy, new MemoryStream(exported.ToArray()), ObservationFileFormat.Xlsx, "export.xlsx", "tester");
        Assert.True(back.Succeeded, string.Join("; ", back.Errors));
        Assert.Equal(
            rows.Where(r => r.SupersededAt is null).Select(r => (r.MeasureKey, r.Period, r.Value, r.Note)).Order(),
            (await fixture.RowsAsync(copy)).Where(r => r.SupersededAt is null).Select(r => (r.MeasureKey, r.Period, r.Value, r.Note)).Order());
    }

    /// <summary>
    /// A workbook as Excel writes one: strings in the shared-string table, except an inline one for notes; numbers as
    /// numbers; dates as (serial, style): style 1 is built-in date format 14 (m/d/yyyy), 2 built-in 17 (mmm-yy), 3 a
    /// custom date and time as Excel escapes it.
    /// </summary>
    internal static byte[] Workbook(params object?[][] rows)
    {
        var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            if (rows.SelectMany(r => r).Any(v => v is ValueTuple<double, uint>))
            {
                workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = new Stylesheet(
                    new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy\\-mm\\-dd\\ hh:mm" }),
                    new Fonts(new Font()), new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
                    new Borders(new Border()),
                    new CellFormats(new CellFormat(), new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true }, new CellFormat { NumberFormatId = 17, ApplyNumberFormat = true },
                        new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true }));
            }

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
                        case ValueTuple<double, uint> (double serial, uint style):
                            row.Append(new Cell { CellReference = reference, CellValue = new CellValue(serial), StyleIndex = style });
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
