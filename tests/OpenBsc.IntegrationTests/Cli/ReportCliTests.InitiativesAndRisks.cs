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
}
