namespace OpenBsc.Application.Features.Observations;

/// <summary>Why a row's cells could not be read (a CSV quoting mistake): the cell where it happened and what was expected.</summary>
internal sealed record RowProblem(int Cell, string Value, string Expected);

/// <summary>
/// One row of an observations file: its cells as spans over one reused buffer, so reading a million rows
/// allocates no string per cell (measure, period and segment are looked up by span).
/// </summary>
internal sealed class TableRow
{
    private char[] _chars = new char[512];
    private int _used;
    private readonly List<(int Start, int Length)> _cells = [];
    private int _cellStart;

    /// <summary>Where the row is: the line a CSV record starts on, or the spreadsheet's row number.</summary>
    public long Number { get; set; }

    /// <summary>A structural problem found while reading the row (its cells may be incomplete).</summary>
    public RowProblem? Problem { get; set; }

    public int Count => _cells.Count;

    public ReadOnlySpan<char> this[int index] => index < _cells.Count ? _chars.AsSpan(_cells[index].Start, _cells[index].Length) : [];

    /// <summary>Characters held: a guard against one unending row (an unterminated quote) eating memory.</summary>
    public int Length => _used;

    public bool IsBlank
    {
        get
        {
            foreach (var (_, length) in _cells)
            {
                if (length > 0)
                {
                    return false;
                }
            }

            return true;
        }
    }

    public void Clear()
    {
        _used = 0;
        _cellStart = 0;
        _cells.Clear();
        Problem = null;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        if (_used + text.Length > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _used + text.Length));
        }

        text.CopyTo(_chars.AsSpan(_used));
        _used += text.Length;
    }

    public void Append(char c) => Append([c]);

    /// <summary>Ends the cell being appended to.</summary>
    public void EndCell()
    {
        _cells.Add((_cellStart, _used - _cellStart));
        _cellStart = _used;
    }

    /// <summary>Adds a whole cell.</summary>
    public void AddCell(ReadOnlySpan<char> text)
    {
        Append(text);
        EndCell();
    }
}

/// <summary>A source of rows: the CSV reader or the XLSX reader.</summary>
internal interface ITableReader : IDisposable
{
    /// <summary>Reads the next non-blank row into <paramref name="row"/>; false at the end of the file.</summary>
    ValueTask<bool> NextAsync(TableRow row, CancellationToken cancellationToken);

    /// <summary>Whether a row may omit trailing empty cells (spreadsheets do not store them).</summary>
    bool TrailingCellsOptional { get; }
}
