using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Organisations;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Web;

/// <summary>The report workbook downloaded from the web: its time is a date cell in the organisation's time zone and date format.</summary>
public sealed class ReportXlsxWebTests
{
    [Fact]
    public async Task ReportXlsx_GeneratedIsADateCell_InTheOrganisationsZoneAndDateFormat()
    {
        await using var app = await RunningApp.StartAsync(DatabaseProvider.Sqlite, demo: false, 10_000, "--OpenBsc:Alerts:Background=false");
        var card = new ScorecardBuilder().With(c => c with { Id = "zoned", Name = "Zoned" })
            .WithPerspective("p", ScorecardBuilder.Objective("serve", ScorecardBuilder.Measure("calls", 0, 100)))
            .WithMonthly("calls", "2026-01", 40, 50, 60)
            .Build();
        await app.Services.GetRequiredService<ScorecardImport>().ImportAsync([card], new Dictionary<string, string>(), "Test org", "loader", "load");
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            var organisation = await db.Scorecards.Where(s => s.Key == "zoned").Select(s => s.OrganisationId).SingleAsync();
            // UTC+05:30 all year: neither UTC nor a whole hour off it.
            await db.Organisations.Where(o => o.Id == organisation).ExecuteUpdateAsync(o => o.SetProperty(x => x.TimeZone, "Asia/Kolkata").SetProperty(x => x.DateFormat, "dd/MM/yyyy"));
            app.Services.GetRequiredService<OrganisationClock>().Forget(organisation);
        }

        var before = TimeProvider.System.GetUtcNow().UtcDateTime;
        byte[] xlsx = await app.Client.GetByteArrayAsync(new Uri("/scorecards/zoned/report.xlsx?period=2026-03", UriKind.Relative));
        var after = TimeProvider.System.GetUtcNow().UtcDateTime;

        using var document = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var workbook = document.WorkbookPart!;
        var summary = (WorksheetPart)workbook.GetPartById(workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "Summary").Id!);
        var cells = summary.Worksheet.Descendants<Cell>().ToList();
        Assert.Equal("Generated", cells.Single(c => c.CellReference == "A6").InnerText);
        var generated = cells.Single(c => c.CellReference == "B6");
        Assert.Equal(CellValues.Number, generated.DataType!.Value);
        var stylesheet = workbook.WorkbookStylesPart!.Stylesheet;
        uint format = stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)generated.StyleIndex!.Value).NumberFormatId!.Value;
        Assert.Equal("dd/mm/yyyy hh:mm", stylesheet.NumberingFormats!.Elements<NumberingFormat>().Single(f => f.NumberFormatId!.Value == format).FormatCode!.Value);
        var local = DateTime.FromOADate(double.Parse(generated.CellValue!.Text, CultureInfo.InvariantCulture));
        Assert.InRange(local, before.AddHours(5.5).AddSeconds(-1), after.AddHours(5.5).AddSeconds(1));
    }
}
