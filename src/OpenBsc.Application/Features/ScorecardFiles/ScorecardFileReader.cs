using System.Buffers;
using System.Text;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Application.Features.ScorecardFiles;

/// <summary>The two spellings of a scorecard file; the schema is the same.</summary>
public enum ScorecardFileFormat
{
    Yaml,
    Json,
}

/// <summary>Reads a scorecard file (docs/scorecard-file.md), JSON or YAML, into <see cref="ScorecardData"/> with every error located.</summary>
public static class ScorecardFileReader
{
    /// <summary>
    /// Reads the file at <paramref name="path"/>, as JSON or YAML by <see cref="DetectFormat"/>. Errors name the
    /// file as given here.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read: an environment failure, not invalid input.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static ScorecardFileResult Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return Parse(bytes, DetectFormat(path, bytes), path);
    }

    /// <summary>Reads scorecard text (for standard input and tests); <paramref name="file"/> names it in errors.</summary>
    public static ScorecardFileResult Parse(string text, ScorecardFileFormat format, string file = "<text>")
    {
        if (format == ScorecardFileFormat.Json)
        {
            return Parse(Encoding.UTF8.GetBytes(text), format, file);
        }

        var errors = new List<FileError>();
        return Map(YamlNodeReader.Read(new StringReader(text), file, errors), file, errors);
    }

    /// <summary>Reads UTF-8 scorecard bytes; <paramref name="file"/> names them in errors.</summary>
    public static ScorecardFileResult Parse(ReadOnlySpan<byte> utf8, ScorecardFileFormat format, string file)
    {
        var errors = new List<FileError>();
        if (NotUtf8(utf8, file) is { } encoding)
        {
            errors.Add(encoding);
            return Map(null, file, errors);
        }

        var root = format == ScorecardFileFormat.Json
            ? JsonNodeReader.Read(utf8, file, errors)
            : YamlNodeReader.Read(new StringReader(Encoding.UTF8.GetString(WithoutBom(utf8))), file, errors);
        return Map(root, file, errors);
    }

    /// <summary>
    /// A file in another encoding (Latin-1, Windows-1252, UTF-16) would otherwise be read with its accented letters
    /// silently replaced by U+FFFD; say where the first byte that is not UTF-8 sits instead.
    /// </summary>
    private static FileError? NotUtf8(ReadOnlySpan<byte> bytes, string file)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new FileError(file, 1, 1, string.Empty, "the file is UTF-16 text; expected UTF-8: save it again as UTF-8");
        }

        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }

        int at = 0;
        while (System.Text.Rune.DecodeFromUtf8(bytes[at..], out _, out int consumed) == OperationStatus.Done)
        {
            at += consumed;
        }

        var before = bytes[..at];
        int line = before.Count((byte)'\n') + 1;
        int column = Encoding.UTF8.GetCharCount(before[(before.LastIndexOf((byte)'\n') + 1)..]) + 1;
        return new FileError(file, line, column, string.Empty,
            $"the file is not UTF-8 text (byte 0x{bytes[at]:X2} here; Latin-1 or Windows-1252?); expected UTF-8: save it again as UTF-8");
    }

    /// <summary>
    /// A stored definition: the scorecard file as JSON, as the database holds it (checked when it was saved). It is
    /// read without the positions that locate errors in a person's file: for 5,000 measures those were 42,000 path
    /// strings kept in a dictionary and a line index, a third of the time and most of the garbage of the parse.
    /// One that does not parse is a fault of ours, not the user's.
    /// </summary>
    /// <exception cref="InvalidOperationException">The stored definition does not parse.</exception>
    public static Scorecard ParseStored(string json, string name)
    {
        string file = $"stored scorecard {name}";
        byte[] utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(json, utf8);
            var errors = new List<FileError>();
            var parsed = Map(JsonNodeReader.Read(utf8.AsSpan(0, length), file, errors, positions: false), file, errors, positions: false);
            return parsed.Data?.Scorecard ?? throw new InvalidOperationException($"Stored scorecard {name} does not parse: {string.Join("; ", parsed.Errors)}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>
    /// JSON for <c>.json</c>, YAML for <c>.yaml</c> and <c>.yml</c> (any case); otherwise JSON when the content
    /// starts with '{' (after white space), else YAML.
    /// </summary>
    public static ScorecardFileFormat DetectFormat(string path, ReadOnlySpan<byte> content)
    {
        string extension = Path.GetExtension(path);
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            return ScorecardFileFormat.Json;
        }

        if (extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase))
        {
            return ScorecardFileFormat.Yaml;
        }

        var text = WithoutBom(content);
        int first = text.IndexOfAnyExcept(" \t\r\n"u8);
        return first >= 0 && text[first] == (byte)'{' ? ScorecardFileFormat.Json : ScorecardFileFormat.Yaml;
    }

    private static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> utf8) => utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    private static ScorecardFileResult Map(FileNode? root, string file, List<FileError> errors, bool positions = true)
    {
        if (root is null)
        {
            return new ScorecardFileResult(file, null, errors, new Dictionary<string, (int, int)>());
        }

        var mapper = new ScorecardFileMapper(file, positions);
        var data = mapper.Map(root);
        return new ScorecardFileResult(file, data, errors.Concat(mapper.Errors), mapper.Positions);
    }
}
