using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace OpenBsc.Application.Features.Observations;

/// <summary>
/// Reads the first sheet of an XLSX row by row with the Open XML SDK's SAX reader (one row's elements in memory
/// at a time). Shared strings are read once into a list: the workbook keeps them in one part, and its size was
/// bounded by <see cref="XlsxGuard"/> before opening. So are the cell formats, read to know which numbers are dates.
/// </summary>
internal sealed class XlsxTableReader : ITableReader
{
    private readonly SpreadsheetDocument _document;
    private readonly OpenXmlReader _reader;
    private readonly List<string> _sharedStrings = [];

    /// <summary>Per cell format (a cell's style index): whether its number format shows a date, a month or a number.</summary>
    private readonly XlsxDateKind[] _dateStyles = [];

    private XlsxTableReader(SpreadsheetDocument document, WorksheetPart sheet)
    {
        _document = document;
        if (document.WorkbookPart?.SharedStringTablePart is { } strings)
        {
            using var reader = OpenXmlReader.Create(strings);
            while (reader.Read())
            {
                if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
                {
                    _sharedStrings.Add(reader.LoadCurrentElement()!.InnerText);
                }
            }
        }

        if (document.WorkbookPart?.WorkbookStylesPart?.Stylesheet is { } styles)
        {
            var codes = styles.NumberingFormats?.Elements<NumberingFormat>()
                .Where(f => f.NumberFormatId?.Value is not null)
                .GroupBy(f => f.NumberFormatId!.Value)
                .ToDictionary(g => g.Key, g => g.First().FormatCode?.Value) ?? [];
            _dateStyles = [.. (styles.CellFormats?.Elements<CellFormat>() ?? []).Select(f => f.NumberFormatId?.Value is uint id ? XlsxDates.Kind(id, codes.GetValueOrDefault(id)) : XlsxDateKind.None)];
        }

        _reader = OpenXmlReader.Create(sheet);
    }

    public bool TrailingCellsOptional => true;

    /// <summary>
    /// What a damaged workbook throws, at opening or while its rows are read (a corrupt zip entry, broken XML, a
    /// malformed package): the file is unreadable, which the importer answers with a clear refusal, never a 500.
    /// </summary>
    public static bool IsUnreadable(Exception e) =>
        e is OpenXmlPackageException or InvalidDataException or System.Xml.XmlException or InvalidOperationException or IOException or FileFormatException or FormatException
            or ArgumentException or KeyNotFoundException;

    /// <summary>Opens the workbook's first sheet, or says why it cannot be read.</summary>
    public static XlsxTableReader Open(Stream file, XlsxLimits limits, out ObservationFileRefusal? refusal)
    {
        refusal = null;
        SpreadsheetDocument? document = null;
        try
        {
            // The second line of defence: a part that inflates past its declared size still stops here.
            document = SpreadsheetDocument.Open(file, isEditable: false, new OpenSettings { MaxCharactersInPart = limits.MaxUncompressedBytes });
            var workbook = document.WorkbookPart;
            var first = workbook?.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault();
            if (workbook is null || first?.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart sheet)
            {
                document.Dispose();
                refusal = ObservationFileRefusal.Unreadable("The XLSX workbook has no worksheet: expected the observations on its first sheet.");
                return null!;
            }

            return new XlsxTableReader(document, sheet);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            document?.Dispose();
            refusal = ObservationFileRefusal.Unreadable($"The file is not a readable XLSX workbook: {e.Message}");
            return null!;
        }
    }

    public ValueTask<bool> NextAsync(TableRow row, CancellationToken cancellationToken)
    {
        while (_reader.Read())
        {
            if (_reader.ElementType != typeof(Row) || !_reader.IsStartElement)
            {
                continue;
            }

            var element = (Row)_reader.LoadCurrentElement()!;
            row.Clear();
            row.Number = element.RowIndex?.Value ?? row.Number + 1;
            int next = 0;
            foreach (var cell in element.Elements<Cell>())
            {
                int column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : next;
                while (next < column)
                {
                    row.AddCell([]);
                    next++;
                }

                row.AddCell(Text(cell));
                next++;
            }

            if (!row.IsBlank)
            {
                return ValueTask.FromResult(true);
            }
        }

        return ValueTask.FromResult(false);
    }

    /// <summary>
    /// The cell's text as a user sees it: shared and inline strings resolved, numbers as stored (invariant), dates
    /// (a number shown through a date format, as a spreadsheet keeps a typed date) as ISO text: 2026-06-01, or 2026-06
    /// for a cell showing only the month (Excel's date for <c>2026-06</c> typed in).
    /// </summary>
    private string Text(Cell cell)
    {
        string raw = cell.CellValue?.Text ?? string.Empty;
        var type = cell.DataType?.Value;
        if (type == CellValues.SharedString)
        {
            return int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index) && index < _sharedStrings.Count
                ? _sharedStrings[index]
                : string.Empty;
        }

        if (type == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? string.Empty;
        }

        if (type == CellValues.Boolean)
        {
            return raw == "1" ? "TRUE" : "FALSE";
        }

        if ((type is null || type == CellValues.Number) && cell.StyleIndex?.Value is uint style && style < _dateStyles.Length && _dateStyles[style] != XlsxDateKind.None
            && XlsxDates.Text(raw, _dateStyles[style]) is { } date)
        {
            return date;
        }

        return raw;
    }

    private static int ColumnIndex(string reference)
    {
        int index = 0;
        foreach (char c in reference)
        {
            if (c is < 'A' or > 'Z')
            {
                break;
            }

            index = index * 26 + (c - 'A' + 1);
        }

        return index - 1;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _document.Dispose();
    }
}
