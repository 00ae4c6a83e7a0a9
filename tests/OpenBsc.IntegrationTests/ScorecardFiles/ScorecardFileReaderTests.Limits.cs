using System.Text;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.IntegrationTests.Cli;

namespace OpenBsc.IntegrationTests.ScorecardFiles;

/// <summary>Hostile files: refused with a located message before the reader recurses or expands, in bounded memory.</summary>
public sealed partial class ScorecardFileReaderTests
{
    // What a refused hostile file may cost the reader: far below the 100 MB the hardening issue allows.
    private const long MaxAllocatedBytes = 100L * 1024 * 1024;

    [Theory]
    [InlineData(30_000)]
    [InlineData(100_000)]
    public void Parse_DeeplyNestedYaml_IsRefusedInBoundedMemory(int levels)
    {
        string yaml = "openbsc: 1\nscorecard:\n  values: " + new string('[', levels) + "\n";

        var (result, allocated) = Measured(() => ScorecardFileReader.Parse(Encoding.UTF8.GetBytes(yaml), ScorecardFileFormat.Yaml, "deep.yaml"));

        Assert.Null(result.Data);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, 74, "values nest deeper than 64 levels"), (error.Line, error.Column, error.Message));
        Assert.InRange(allocated, 0, MaxAllocatedBytes);
    }

    [Fact]
    public void Parse_DeeplyNestedJson_IsRefusedInBoundedMemory()
    {
        string json = "{\"openbsc\": 1, \"scorecard\": {\"values\": " + new string('[', 100_000) + "}}";

        var (result, allocated) = Measured(() => ScorecardFileReader.Parse(Encoding.UTF8.GetBytes(json), ScorecardFileFormat.Json, "deep.json"));

        Assert.Null(result.Data);
        Assert.Contains("depth", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, MaxAllocatedBytes);
    }

    [Fact]
    public void Parse_AliasBomb_IsRefusedBeforeItExpands()
    {
        // Twenty levels of ten aliases each: 10^20 values once expanded, from under 1.5 KB of text.
        var yaml = new StringBuilder("openbsc: 1\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level <= 20; level++)
        {
            string alias = $"*a{level - 1}";
            yaml.Append($"x{level}: &a{level} [{string.Join(", ", Enumerable.Repeat(alias, 10))}]\n");
        }

        Assert.InRange(yaml.Length, 0, 1500);

        var (result, allocated) = Measured(() => ScorecardFileReader.Parse(Encoding.UTF8.GetBytes(yaml.ToString()), ScorecardFileFormat.Yaml, "bomb.yaml"));

        Assert.Null(result.Data);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("YAML aliases expand the file to more than 100,", error.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, MaxAllocatedBytes);
    }

    [Fact]
    public void Parse_SharedStatusRules_AreReadThroughAliases()
    {
        // The use aliases exist for: one rule set written once and shared by several measures.
        var result = ScorecardFileReader.Parse("""
            openbsc: 1
            scorecard:
              id: s
              name: S
              perspectives:
                - id: p
                  name: P
                  objectives:
                    - id: o
                      name: O
                      measures:
                        - id: a
                          name: A
                          target: 10
                          status: &rules
                            - { status: Green, when: "score >= 0.8" }
                            - { status: Red }
                        - id: b
                          name: B
                          target: 10
                          status: *rules
            """, ScorecardFileFormat.Yaml);

        Assert.Empty(result.Errors);
        var measures = result.Data!.Scorecard.Perspectives[0].Objectives[0].Measures;
        Assert.Equal(measures[0].Status, measures[1].Status);
        Assert.NotNull(measures[1].Status);
    }

    [Fact]
    public void Parse_Latin1Yaml_NamesTheFirstByteThatIsNotUtf8()
    {
        byte[] latin1 = Encoding.Latin1.GetBytes("openbsc: 1\nscorecard:\n  id: s\n  name: Qualité\n");

        var result = ScorecardFileReader.Parse(latin1, ScorecardFileFormat.Yaml, "latin1.yaml");

        Assert.Null(result.Data);
        var error = Assert.Single(result.Errors);
        Assert.Equal((4, 15), (error.Line, error.Column));
        Assert.Equal("the file is not UTF-8 text (byte 0xE9 here; Latin-1 or Windows-1252?); expected UTF-8: save it again as UTF-8", error.Message);
    }

    [Fact]
    public void Parse_Utf16Yaml_AsksForUtf8()
    {
        byte[] utf16 = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("openbsc: 1\n")];

        var error = Assert.Single(ScorecardFileReader.Parse(utf16, ScorecardFileFormat.Yaml, "utf16.yaml").Errors);

        Assert.Equal("the file is UTF-16 text; expected UTF-8: save it again as UTF-8", error.Message);
    }

    [Fact]
    public void Validate_HundredThousandOpenBrackets_ExitsWithInvalidInputNotACrash()
    {
        string file = Path.Combine(Path.GetTempPath(), $"deep-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "values: " + new string('[', 100_000) + "\n");
        try
        {
            var result = OpenBscCli.Run("validate", file);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("values nest deeper than 64 levels", result.Out + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static (T Result, long AllocatedBytes) Measured<T>(Func<T> read)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = read();
        return (result, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
