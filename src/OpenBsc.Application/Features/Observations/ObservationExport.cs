using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Organisations;

namespace OpenBsc.Application.Features.Observations;

/// <summary>
/// Writes a scorecard's observations as CSV or XLSX, streamed: rows are read from the database one at a time
/// and written out in chunks of 64 KB, so memory stays flat for any number of rows and a web client receives
/// the first bytes at once. Current values only, or (with history) every value ever entered, superseded ones too.
/// </summary>
/// <remarks>
/// The file without history has the import's columns (measure, period, value, note, segment), so an export
/// imports again unchanged. Text cells a spreadsheet could run as a formula are neutralised (<see cref="FormulaGuard"/>);
/// values are numbers (XLSX numeric cells). The history's times are ISO 8601 UTC text in CSV (a machine format) and
/// date cells in XLSX, in the organisation's time zone and date format (<see cref="XlsxDates"/>), so that a
/// spreadsheet sorts and filters them as dates.
/// </remarks>
public sealed class ObservationExport(IDbContextFactory<OpenBscDbContext> contexts, OrganisationClock organisations)
{
    private const int ChunkBytes = 1 << 16;

    public static readonly IReadOnlyList<string> HistoryColumns = ["entered_by", "entered_at", "superseded_at", "superseded_by", "correction_reason"];

    public static string ContentType(ObservationFileFormat format) => format == ObservationFileFormat.Csv
        ? "text/csv; charset=utf-8"
        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Whether scorecard <paramref name="scorecardKey"/> is stored (so a web response can be a 404 before it starts).</summary>
    public async Task<bool> ExistsAsync(string scorecardKey, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Scorecards.AnyAsync(s => s.Key == scorecardKey, cancellationToken);
    }

    /// <summary>Writes the observations to <paramref name="output"/>; the number of rows, or null (nothing written) when there is no such scorecard.</summary>
    public async Task<long?> ExportAsync(string scorecardKey, Stream output, ObservationFileFormat format, bool history, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        // Plain ADO.NET on whichever provider (quoted names and @parameters read the same on SQLite and PostgreSQL):
        // rows stream from the reader instead of being materialised by EF.
        var connection = db.Database.GetDbConnection();
        // Found through EF, so the query filter keeps it to the current organisation's scorecard.
        var scorecard = await db.Scorecards.Where(s => s.Key == scorecardKey).Select(s => new { s.Id, s.OrganisationId }).FirstOrDefaultAsync(cancellationToken);
        if (scorecard is null)
        {
            return null;
        }

        var scorecardId = scorecard.Id;

        // The id as each provider stores it: uuid on PostgreSQL, EF Core's upper-case GUID text on SQLite.
        object id = ObservationCopy.Applies(db) ? scorecardId : scorecardId.ToString().ToUpperInvariant();

        using var query = connection.CreateCommand();
        // The (ScorecardId, MeasureKey, PeriodStart) index gives this order without sorting the table.
        query.CommandText = $"""
            SELECT "MeasureKey", "Period", "Value", "Note", "Segment", "EnteredBy", "EnteredAt", "SupersededAt", "SupersededBy", "CorrectionReason"
            FROM observations WHERE "ScorecardId" = @scorecard {(history ? "" : "AND \"SupersededAt\" IS NULL")}
            ORDER BY "MeasureKey", "PeriodStart", "Period", "Segment", "Id"
            """;
        Parameter(query, "@scorecard", id);
        using var rows = query.ExecuteReader();
        var pending = new PendingBytes();
        var header = ObservationImport.Columns.Concat(history ? HistoryColumns : []).ToArray();
        // The moments' columns (entered_at, superseded_at) are found by name, so the writer follows the header.
        int[] momentColumns = [.. header.Select((name, i) => (name, i)).Where(c => c.name.EndsWith("_at", StringComparison.Ordinal)).Select(c => c.i)];
        await using var sheet = format == ObservationFileFormat.Csv ? (SheetWriter)new CsvSheetWriter(pending)
            : new XlsxSheetWriter(pending, momentColumns.Length > 0 ? await organisations.FormatAsync(scorecard.OrganisationId, cancellationToken) : OrganisationFormat.Invariant, momentColumns);
        sheet.Header(header);
        long count = 0;
        var cells = new object?[header.Length];
        while (rows.Read())
        {
            cells[0] = rows.GetString(0);
            cells[1] = rows.GetString(1);
            cells[2] = rows.GetDouble(2);
            cells[3] = rows.IsDBNull(3) ? null : rows.GetString(3);
            cells[4] = rows.IsDBNull(4) ? null : rows.GetString(4);
            if (history)
            {
                cells[5] = rows.IsDBNull(5) ? null : rows.GetString(5);
                cells[6] = Timestamp(rows, 6);
                cells[7] = Timestamp(rows, 7);
                cells[8] = rows.IsDBNull(8) ? null : rows.GetString(8);
                cells[9] = rows.IsDBNull(9) ? null : rows.GetString(9);
            }

            sheet.Row(cells);
            count++;
            if (pending.Length >= ChunkBytes)
            {
                sheet.Flush();
                await pending.DrainAsync(output, cancellationToken);
                progress?.Report(count);
            }
        }

        await sheet.DisposeAsync();
        await pending.DrainAsync(output, cancellationToken);
        await output.FlushAsync(cancellationToken);
        progress?.Report(count);
        return count;
    }

    private static void Parameter(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>A stored moment (UTC): each writer writes it its way.</summary>
    private static DateTime? Timestamp(System.Data.Common.DbDataReader rows, int column) =>
        rows.IsDBNull(column) ? null : DateTime.SpecifyKind(rows.GetDateTime(column), DateTimeKind.Utc);

    /// <summary>
    /// Bytes written but not yet sent: writers (StreamWriter, ZipArchive) write synchronously, an HTTP response
    /// accepts only asynchronous writes, so they write here and the loop sends each chunk asynchronously.
    /// Not seekable, so ZipArchive streams its entries (data descriptors) instead of seeking back.
    /// </summary>
    private sealed class PendingBytes : Stream
    {
        private readonly MemoryStream _buffer = new();
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _buffer.Length;

        public override long Position
        {
            get => _written;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _buffer.Write(buffer);
            _written += buffer.Length;
        }

        public async Task DrainAsync(Stream output, CancellationToken cancellationToken)
        {
            if (_buffer.Length > 0)
            {
                await output.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), cancellationToken);
                _buffer.SetLength(0);
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private abstract class SheetWriter : IAsyncDisposable
    {
        public abstract void Header(IReadOnlyList<string> names);

        /// <summary>A row: strings (neutralised), doubles (numbers), UTC DateTimes (moments) or nulls (empty).</summary>
        public abstract void Row(object?[] cells);

        public abstract void Flush();

        public abstract ValueTask DisposeAsync();
    }

    private sealed class CsvSheetWriter(Stream output) : SheetWriter
    {
        // With a byte-order mark: Excel reads a CSV as UTF-8 only when it starts with one.
        private readonly StreamWriter _writer = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), ChunkBytes, leaveOpen: true) { NewLine = "\r\n" };

        public override void Header(IReadOnlyList<string> names) => _writer.WriteLine(string.Join(',', names));

        public override void Row(object?[] cells)
        {
            for (int i = 0; i < cells.Length; i++)
            {
                if (i > 0)
                {
                    _writer.Write(',');
                }

                switch (cells[i])
                {
                    case double number:
                        _writer.Write(number.ToString("R", CultureInfo.InvariantCulture));
                        break;
                    case DateTime at:
                        _writer.Write(at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                        break;
                    case string text:
                        WriteText(FormulaGuard.Neutralise(text));
                        break;
                }
            }

            _writer.WriteLine();
        }

        private void WriteText(string text)
        {
            if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
            {
                _writer.Write(text);
                return;
            }

            _writer.Write('"');
            _writer.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
            _writer.Write('"');
        }

        public override void Flush() => _writer.Flush();

        public override ValueTask DisposeAsync()
        {
            // Disposing flushes into the pending bytes only (they are sent by the caller).
            _writer.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// A minimal SpreadsheetML workbook written part by part into a streamed zip: one sheet "Observations",
    /// inline strings (no shared-string table to hold in memory), numeric cells for values and date cells for moments.
    /// </summary>
    private sealed class XlsxSheetWriter : SheetWriter
    {
        private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        private readonly ZipArchive _zip;
        private readonly Stream _sheetStream;
        private readonly XmlWriter _xml;
        private readonly TimeZoneInfo _zone;
        private long _row;
        private bool _disposed;

        /// <param name="output">Where the zip goes.</param>
        /// <param name="format">The organisation's time zone and date format, for moments.</param>
        /// <param name="dateColumns">The columns holding moments: wide enough for a date and time (a narrower one shows ####).</param>
        public XlsxSheetWriter(Stream output, OrganisationFormat format, int[] dateColumns)
        {
            _zone = format.Zone;
            _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
            Part("[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
                """);
            Part("_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """);
            Part("xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Observations" sheetId="1" r:id="rId1"/></sheets></workbook>
                """);
            Part("xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
                """);
            // Style 1 is bold, for the header row; style 2 a date and time in the organisation's date format.
            Part("xl/styles.xml", $"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="{XlsxDates.TimeCode(format.DateFormat, seconds: true)}"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>
                """);
            _sheetStream = _zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open();
            _xml = XmlWriter.Create(_sheetStream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false });
            _xml.WriteStartDocument(standalone: true);
            _xml.WriteStartElement("worksheet", Main);
            if (dateColumns.Length > 0)
            {
                _xml.WriteStartElement("cols", Main);
                foreach (int column in dateColumns)
                {
                    string number = (column + 1).ToString(CultureInfo.InvariantCulture);
                    _xml.WriteStartElement("col", Main);
                    _xml.WriteAttributeString("min", number);
                    _xml.WriteAttributeString("max", number);
                    _xml.WriteAttributeString("width", "20");
                    _xml.WriteAttributeString("customWidth", "1");
                    _xml.WriteEndElement();
                }

                _xml.WriteEndElement();
            }

            _xml.WriteStartElement("sheetData", Main);
        }

        private void Part(string name, string xml)
        {
            using var stream = _zip.CreateEntry(name, CompressionLevel.Fastest).Open();
            stream.Write(Encoding.UTF8.GetBytes(xml.Trim()));
        }

        public override void Header(IReadOnlyList<string> names) => WriteRow([.. names], bold: true);

        public override void Row(object?[] cells) => WriteRow(cells, bold: false);

        private void WriteRow(object?[] cells, bool bold)
        {
            _row++;
            string number = _row.ToString(CultureInfo.InvariantCulture);
            _xml.WriteStartElement("row", Main);
            _xml.WriteAttributeString("r", number);
            for (int i = 0; i < cells.Length; i++)
            {
                if (cells[i] is null)
                {
                    continue;
                }

                _xml.WriteStartElement("c", Main);
                _xml.WriteAttributeString("r", string.Concat(ColumnName(i), number));
                if (bold)
                {
                    _xml.WriteAttributeString("s", "1");
                }

                if (cells[i] is double value)
                {
                    _xml.WriteElementString("v", Main, value.ToString("R", CultureInfo.InvariantCulture));
                }
                else if (cells[i] is DateTime at)
                {
                    _xml.WriteAttributeString("s", "2");
                    _xml.WriteElementString("v", Main, XlsxDates.Serial(at, _zone).ToString("R", CultureInfo.InvariantCulture));
                }
                else
                {
                    string text = bold ? (string)cells[i]! : FormulaGuard.Neutralise((string)cells[i]!);
                    _xml.WriteAttributeString("t", "inlineStr");
                    _xml.WriteStartElement("is", Main);
                    _xml.WriteStartElement("t", Main);
                    if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
                    {
                        _xml.WriteAttributeString("xml", "space", null, "preserve");
                    }

                    _xml.WriteString(XmlSafe(text));
                    _xml.WriteEndElement();
                    _xml.WriteEndElement();
                }

                _xml.WriteEndElement();
            }

            _xml.WriteEndElement();
        }

        private static string ColumnName(int index) => index < 26 ? ((char)('A' + index)).ToString() : string.Concat((char)('A' + index / 26 - 1), (char)('A' + index % 26));

        /// <summary>XML cannot hold most control characters (a NUL in a note): they become U+FFFD rather than break the file.</summary>
        private static string XmlSafe(string text)
        {
            foreach (char c in text)
            {
                if (!XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c))
                {
                    return string.Concat(text.Select(ch => XmlConvert.IsXmlChar(ch) || char.IsSurrogate(ch) ? ch : '\uFFFD'));
                }
            }

            return text;
        }

        public override void Flush() => _xml.Flush();

        public override async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _xml.WriteEndElement();
            _xml.WriteEndElement();
            _xml.WriteEndDocument();
            _xml.Dispose();
            await _sheetStream.DisposeAsync();
            _zip.Dispose();
        }
    }
}
