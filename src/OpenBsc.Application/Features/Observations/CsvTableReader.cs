using System.Text;

namespace OpenBsc.Application.Features.Observations;

/// <summary>
/// Reads RFC 4180 CSV (comma, double-quote quoting with "" for a quote, CRLF or LF line ends, UTF-8 with or
/// without a byte-order mark), one record at a time from a stream, asynchronously (an HTTP request body allows
/// no blocking reads). A record is parsed from a character buffer; when the buffer ends mid-record, more is read
/// and the record is parsed again, so memory holds one buffer and one row, whatever the file's size.
/// </summary>
internal sealed class CsvTableReader(Stream stream) : ITableReader
{
    // Notes are at most 2,000 characters, so a longer record is a quote that never closes: stop before memory does.
    public const int MaxRecordChars = 1_000_000;

    private readonly StreamReader _reader = new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
    private char[] _buffer = new char[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private long _line = 1;

    public bool TrailingCellsOptional => false;

    public async ValueTask<bool> NextAsync(TableRow row, CancellationToken cancellationToken)
    {
        while (true)
        {
            var outcome = Parse(_buffer.AsSpan(_start, _end - _start), _eof, row, out int consumed, out int lines, out bool blank);
            if (outcome == ParseOutcome.NeedMore)
            {
                if (_end - _start >= MaxRecordChars)
                {
                    row.Clear();
                    row.Number = _line;
                    row.Problem = new RowProblem(0, string.Empty, $"a row shorter than {MaxRecordChars:N0} characters: a quoted cell probably lacks its closing quote (\")");
                    _eof = true;
                    _start = _end;
                    return true;
                }

                await FillAsync(cancellationToken);
                continue;
            }

            if (outcome == ParseOutcome.End)
            {
                return false;
            }

            row.Number = _line;
            _start += consumed;
            _line += lines;
            if (!blank || row.Problem is not null)
            {
                return true;
            }
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read = await _reader.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private enum ParseOutcome
    {
        Row,
        NeedMore,
        End,
    }

    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(",\r\n\"");

    /// <summary>Parses one record from the start of <paramref name="text"/>; NeedMore when it may continue past the end.</summary>
    private static ParseOutcome Parse(ReadOnlySpan<char> text, bool final, TableRow row, out int consumed, out int lines, out bool blank)
    {
        row.Clear();
        consumed = 0;
        lines = 0;
        blank = false;
        if (text.IsEmpty)
        {
            return final ? ParseOutcome.End : ParseOutcome.NeedMore;
        }

        int i = 0;
        while (true)
        {
            // One cell.
            if (i < text.Length && text[i] == '"')
            {
                int open = i;
                i++;
                while (true)
                {
                    int quote = text[i..].IndexOf('"');
                    if (quote < 0)
                    {
                        if (!final)
                        {
                            return ParseOutcome.NeedMore;
                        }

                        Count(text[i..], ref lines);
                        row.Append(text[i..]);
                        row.EndCell();
                        var opened = text[open..];
                        int lineEnd = opened.IndexOfAny('\r', '\n');
                        string start = opened[..Math.Min(40, lineEnd < 0 ? opened.Length : lineEnd)].ToString();
                        row.Problem = new RowProblem(row.Count - 1, start, "a closing quote (\") for this cell before the end of the file");
                        consumed = text.Length;
                        return ParseOutcome.Row;
                    }

                    Count(text.Slice(i, quote), ref lines);
                    row.Append(text.Slice(i, quote));
                    i += quote + 1;
                    if (i < text.Length && text[i] == '"')
                    {
                        row.Append('"');
                        i++;
                        continue;
                    }

                    if (i >= text.Length && !final)
                    {
                        return ParseOutcome.NeedMore;
                    }

                    break;
                }

                row.EndCell();
                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    // Text after the closing quote: report it and skip to the end of the line.
                    int stop = text[i..].IndexOfAny('\r', '\n');
                    if (stop < 0 && !final)
                    {
                        return ParseOutcome.NeedMore;
                    }

                    int until = stop < 0 ? text.Length : i + stop;
                    int comma = text[i..until].IndexOf(',');
                    row.Problem = new RowProblem(row.Count - 1, text[i..(comma < 0 ? until : i + comma)].ToString(), "a comma or the end of the line after a quoted cell's closing quote (write \"\" for a quote inside a quoted cell)");
                    i = until;
                }
            }
            else
            {
                int special = text[i..].IndexOfAny(Special);
                if (special < 0)
                {
                    if (!final)
                    {
                        return ParseOutcome.NeedMore;
                    }

                    row.AddCell(text[i..]);
                    i = text.Length;
                }
                else if (text[i + special] == '"')
                {
                    int stop = text[i..].IndexOfAny('\r', '\n');
                    if (stop < 0 && !final)
                    {
                        return ParseOutcome.NeedMore;
                    }

                    int until = stop < 0 ? text.Length : i + stop;
                    int comma = text[i..until].IndexOf(',');
                    int cellEnd = comma < 0 ? until : i + comma;
                    row.AddCell(text[i..cellEnd]);
                    row.Problem ??= new RowProblem(row.Count - 1, text[i..cellEnd].ToString(), "a quote (\") only around a whole cell: quote the cell and double the quote inside it (\"\")");
                    i = cellEnd;
                }
                else
                {
                    row.AddCell(text.Slice(i, special));
                    i += special;
                }
            }

            // After a cell: a comma, a line end, or the end of the file.
            if (i >= text.Length)
            {
                if (!final)
                {
                    return ParseOutcome.NeedMore;
                }

                consumed = i;
                blank = row.Count == 1 && row[0].IsEmpty;
                return ParseOutcome.Row;
            }

            char c = text[i];
            if (c == ',')
            {
                i++;
                if (i >= text.Length && final)
                {
                    row.AddCell([]);
                    consumed = i;
                    return ParseOutcome.Row;
                }

                continue;
            }

            if (c == '\r')
            {
                if (i + 1 >= text.Length && !final)
                {
                    return ParseOutcome.NeedMore;
                }

                i += i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
            }
            else
            {
                i++;
            }

            lines++;
            consumed = i;
            blank = row.Count == 1 && row[0].IsEmpty;
            return ParseOutcome.Row;
        }
    }

    private static void Count(ReadOnlySpan<char> text, ref int lines)
    {
        // Line ends inside quoted cells move the next record's line number on; CRLF counts once.
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                lines++;
            }
        }
    }

    public void Dispose() => _reader.Dispose();
}
