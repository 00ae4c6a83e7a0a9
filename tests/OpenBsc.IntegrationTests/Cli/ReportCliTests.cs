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
