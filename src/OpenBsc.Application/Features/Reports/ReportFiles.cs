namespace OpenBsc.Application.Features.Reports;

/// <summary>The report formats, by the name users give them (CLI --format, API ?format=).</summary>
public static class ReportFiles
{
    public static readonly IReadOnlyList<string> Formats = ["pdf", "xlsx", "html"];

    public static string ContentType(string format) => format switch
    {
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "text/html; charset=utf-8",
    };

    public static void Write(ScorecardReport report, string format, Stream output)
    {
        switch (format)
        {
            case "pdf":
                ReportPdf.Write(report, output);
                break;
            case "xlsx":
                ReportXlsx.Write(report, output);
                break;
            case "html":
                using (var writer = new StreamWriter(output, new System.Text.UTF8Encoding(false), 65536, leaveOpen: true))
                {
                    writer.Write(ReportHtml.Render(report));
                }

                break;
            default:
                throw new ArgumentException($"'{format}' is not a report format: expected {string.Join(", ", Formats)}.", nameof(format));
        }
    }
}
