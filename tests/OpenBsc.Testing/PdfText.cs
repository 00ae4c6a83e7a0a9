using System.Diagnostics;

namespace OpenBsc.Testing;

/// <summary>Reads a PDF back as text with poppler's pdftotext (installed by test.sh): what a reader of the file sees.</summary>
public static class PdfText
{
    public static string Of(byte[] pdf)
    {
        string file = Path.Combine(Path.GetTempPath(), $"openbsc-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            var start = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in new[] { "-layout", file, "-" })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : throw new InvalidOperationException($"pdftotext failed: {process.StandardError.ReadToEnd()}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
