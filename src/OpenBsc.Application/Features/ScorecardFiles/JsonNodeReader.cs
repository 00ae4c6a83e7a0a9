using System.Text;
using System.Text.Json;

namespace OpenBsc.Application.Features.ScorecardFiles;

/// <summary>Reads JSON into a <see cref="FileNode"/> tree with <see cref="Utf8JsonReader"/>, keeping each token's line and column.</summary>
internal static class JsonNodeReader
{
    // positions: false for stored definitions, where every node gets position 0 and no line index is built.
    public static FileNode? Read(ReadOnlySpan<byte> utf8, string file, List<FileError> errors, bool positions = true)
    {
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        var lines = positions ? new LineIndex(utf8) : null;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            // Hand-edited files may carry comments and trailing commas; neither changes the meaning.
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        try
        {
            if (!reader.Read())
            {
                errors.Add(new FileError(file, 1, 1, string.Empty, "the file is empty; expected a scorecard such as { \"openbsc\": 1, ... }"));
                return null;
            }

            var root = ReadValue(ref reader, utf8, lines);
            reader.Read(); // throws on anything after the value
            return root;
        }
        catch (JsonException e)
        {
            errors.Add(new FileError(file, (int?)e.LineNumber + 1, (int?)e.BytePositionInLine + 1, string.Empty, $"malformed JSON: {WithoutPosition(e.Message)}"));
            return null;
        }
    }

    private static FileNode ReadValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, LineIndex? lines)
    {
        var (line, column) = lines is null ? (0, 0) : lines.Position(utf8, (int)reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var fields = new List<FileField>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var (keyLine, keyColumn) = lines is null ? (0, 0) : lines.Position(utf8, (int)reader.TokenStartIndex);
                    string key = reader.GetString()!;
                    reader.Read();
                    fields.Add(new FileField(key, ReadValue(ref reader, utf8, lines), keyLine, keyColumn));
                }

                return new FileMapping(fields, line, column);

            case JsonTokenType.StartArray:
                var items = new List<FileNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, utf8, lines));
                }

                return new FileSequence(items, line, column);

            case JsonTokenType.String:
                return new FileScalar(reader.GetString()!, ScalarKind.Quoted, line, column);

            case JsonTokenType.Number:
                return new FileScalar(Encoding.UTF8.GetString(reader.ValueSpan), ScalarKind.Number, line, column);

            case JsonTokenType.True or JsonTokenType.False:
                return new FileScalar(reader.GetBoolean() ? "true" : "false", ScalarKind.Boolean, line, column);

            default:
                return new FileScalar("null", ScalarKind.Null, line, column);
        }
    }

    // The reader's messages end with "LineNumber: 0 | BytePositionInLine: 9."; the error already carries the position.
    private static string WithoutPosition(string message)
    {
        int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }

    /// <summary>Byte offsets of line starts, to turn a token's offset into a line and a column in characters.</summary>
    private sealed class LineIndex
    {
        private readonly List<int> _starts = [0];

        public LineIndex(ReadOnlySpan<byte> utf8)
        {
            for (int i = 0; i < utf8.Length; i++)
            {
                if (utf8[i] == (byte)'\n')
                {
                    _starts.Add(i + 1);
                }
            }
        }

        public (int Line, int Column) Position(ReadOnlySpan<byte> utf8, int offset)
        {
            int index = _starts.BinarySearch(offset);
            int line = index >= 0 ? index : ~index - 1;
            int column = 1;
            for (int i = _starts[line]; i < offset; i++)
            {
                // Count characters, not bytes: skip UTF-8 continuation bytes.
                if ((utf8[i] & 0xC0) != 0x80)
                {
                    column++;
                }
            }

            return (line + 1, column);
        }
    }
}
