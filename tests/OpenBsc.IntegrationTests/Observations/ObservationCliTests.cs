using OpenBsc.IntegrationTests.Cli;

namespace OpenBsc.IntegrationTests.Observations;

/// <summary><c>openbsc observations import</c> and <c>openbsc observations export</c> as a user runs them.</summary>
public sealed class ObservationCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbsc-obscli-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ImportObservations_GoodThenBadFile_StoresTheFirstAndNothingOfTheSecond()
    {
        Assert.Equal(0, OpenBscCli.Run("import", Path.Combine(OpenBscCli.Examples, "customer-support.yaml"), "--data", _dir).ExitCode);
        string good = Write("december.csv", "measure,period,value,note\nfirst-contact-resolution,2026-12,81.5,\"checked, twice\"\n");
        string bad = Write("bad.csv", "measure,period,value\nfirst-contact-resolutio,2026-12,80\nfirst-contact-resolution,2026-13,NaN\n");

        var imported = OpenBscCli.Run("observations", "import", good, "--scorecard", "support-2026", "--data", _dir);
        var rejected = OpenBscCli.Run("observations", "import", bad, "--scorecard", "support-2026", "--data", _dir);
        string export = Path.Combine(_dir, "out.csv");
        var exported = OpenBscCli.Run("observations", "export", "--scorecard", "support-2026", "-o", export, "--data", _dir);

        Assert.Equal(0, imported.ExitCode);
        Assert.Contains("imported 1 rows into scorecard 'support-2026': 1 observations added, 0 corrected, 0 unchanged", imported.Out, StringComparison.Ordinal);
        Assert.Equal(1, rejected.ExitCode);
        Assert.Equal(string.Empty, rejected.Out);
        Assert.Contains($"{bad}:row 2: measure: first-contact-resolutio: expected a measure id of this scorecard (did you mean 'first-contact-resolution'?)", rejected.Error, StringComparison.Ordinal);
        Assert.Contains($"{bad}:row 3: period: 2026-13: expected 2026 (year)", rejected.Error, StringComparison.Ordinal);
        Assert.Contains($"{bad}:row 3: value: NaN: expected a finite number", rejected.Error, StringComparison.Ordinal);
        Assert.Contains("3 bad rows; nothing was stored.", rejected.Error, StringComparison.Ordinal);
        Assert.Equal(0, exported.ExitCode);
        string text = File.ReadAllText(export);
        Assert.Contains("first-contact-resolution,2026-12,81.5,\"checked, twice\",", text, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-13", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportObservations_WithoutScorecard_ExitsOneNamingTheOption()
    {
        string file = Write("values.csv", "measure,period,value\n");

        var result = OpenBscCli.Run("observations", "import", file, "--data", _dir);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--scorecard KEY is required", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportObservations_Xlsx_WritesAWorkbook()
    {
        OpenBscCli.Run("import", Path.Combine(OpenBscCli.Examples, "customer-support.yaml"), "--data", _dir);
        string output = Path.Combine(_dir, "all.xlsx");

        var result = OpenBscCli.Run("observations", "export", "--scorecard", "support-2026", "-o", output, "--history", "--data", _dir);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("wrote 192 observations", result.Out, StringComparison.Ordinal);
        var rows = ObservationFileTests.ReadWorkbook(File.ReadAllBytes(output));
        Assert.Equal(193, rows.Count);
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public void ImportAndExport_ScorecardFileVerbs_StillWork()
    {
        string example = Path.Combine(OpenBscCli.Examples, "customer-support.yaml");

        var import = OpenBscCli.Run("import", example, "--data", _dir);
        var export = OpenBscCli.Run("export", example, "--to", "json");

        Assert.Equal(0, import.ExitCode);
        Assert.Equal(0, export.ExitCode);
        Assert.StartsWith("{", export.Out, StringComparison.Ordinal);
    }
}
