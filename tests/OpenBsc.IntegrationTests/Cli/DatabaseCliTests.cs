using System.Text.Json;

namespace OpenBsc.IntegrationTests.Cli;

/// <summary>The verbs that use the embedded database: import, demo, score of a stored scorecard, serve's start-up errors.</summary>
public sealed class DatabaseCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openbsc-dbcli-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Import_ThenScoreTheStoredScorecard_GivesTheFilesScores()
    {
        string example = Path.Combine(OpenBscCli.Examples, "customer-support.yaml");

        var import = OpenBscCli.Run("import", example, "--data", _dir);
        var stored = OpenBscCli.Run("score", "support-2026", "--data", _dir, "--at", "2026-Q3", "--json");
        var fromFile = OpenBscCli.Run("score", example, "--at", "2026-Q3", "--json");

        Assert.Equal(0, import.ExitCode);
        Assert.Contains("created scorecard 'support-2026': 192 observations added", import.Out, StringComparison.Ordinal);
        Assert.Equal(0, stored.ExitCode);
        Assert.Equal(fromFile.Out, stored.Out);
    }

    [Fact]
    public void Import_SameFileTwice_AddsNothing()
    {
        string example = Path.Combine(OpenBscCli.Examples, "customer-support.yaml");

        OpenBscCli.Run("import", example, "--data", _dir);
        var again = OpenBscCli.Run("import", example, "--data", _dir);

        Assert.Contains("0 observations added, 0 corrected, 192 unchanged", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_InvalidFile_StoresNothingAndExitsOne()
    {
        string bad = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(bad, File.ReadAllText(Path.Combine(OpenBscCli.Examples, "customer-support.yaml")).Replace("value: 12.03", "value: twelve", StringComparison.Ordinal));

        var result = OpenBscCli.Run("import", bad, "--data", _dir);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.yaml:", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "openbsc.db")), "an invalid file must not even create the database");
    }

    [Fact]
    public void Demo_LoadsBothScorecards()
    {
        var result = OpenBscCli.Run("demo", "--data", _dir);
        var company = OpenBscCli.Run("score", "northwind-2026", "--data", _dir, "--at", "2026-06", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("'northwind-2026'", result.Out, StringComparison.Ordinal);
        Assert.Contains("'customer-support'", result.Out, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(company.Out);
        var ids = json.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()).ToList();
        Assert.Contains("customer-support#loyal-customers", ids);
    }

    [Fact]
    public void Score_UnknownStoredScorecard_ExitsOne()
    {
        OpenBscCli.Run("demo", "--data", _dir);

        var result = OpenBscCli.Run("score", "no-such-card", "--data", _dir, "--at", "2026-06");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no-such-card", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_MissingDatabaseFile_ExitsTwoNamingTheFile()
    {
        string missing = Path.Combine(_dir, "nope.db");

        var result = OpenBscCli.Run("serve", "--database", missing, "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(missing, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_NotADatabase_ExitsTwoNamingTheFile()
    {
        string junk = Path.Combine(_dir, "junk.db");
        File.WriteAllText(junk, new string('j', 5000));

        var result = OpenBscCli.Run("serve", "--database", junk, "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not an OpenBsc database", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_StoredScorecard_GivesTheSameAnalysisAsItsFile()
    {
        string example = Path.Combine(OpenBscCli.Examples, "customer-support.yaml");
        OpenBscCli.Run("import", example, "--data", _dir);

        var stored = OpenBscCli.Run("analyze", "support-2026", "--data", _dir, "--at", "2026-06", "--json");
        var fromFile = OpenBscCli.Run("analyze", example, "--at", "2026-06", "--json");

        Assert.Equal(0, stored.ExitCode);
        Assert.Equal(fromFile.Out, stored.Out);
        Assert.Contains("\"health\"", stored.Out, StringComparison.Ordinal);
    }
}
