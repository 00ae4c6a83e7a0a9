using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Validation;

namespace OpenBsc.Application.Features.Observations;

/// <summary>
/// Imports an observations file (CSV or XLSX) into one stored scorecard, all or nothing, in one pass: rows are
/// read, validated against the stored definition and written through one <see cref="ObservationLedger"/> batch (one
/// transaction, the provider's bulk path); the first bad row stops the writing, the rest of the file is still checked
/// so that every bad row is reported, and nothing is committed. Memory holds a few thousand rows, the ledger's
/// fixed-size state and the first <see cref="MaxListedErrors"/> errors, whatever the file's size (on PostgreSQL, the
/// scorecard's values already held are also read once).
/// <para>The content is read while the batch holds the scorecard's claim (on SQLite: the database's write lock), so
/// it should be local: the web edge spools an upload to a file first, so no writer waits on a slow client.</para>
/// </summary>
/// <remarks>
/// A row for a measure, segment and period already held (stored before, or earlier in the same file) corrects
/// it: the held row is marked superseded (when, by whom, "import FILE") and the new one is added, so history is
/// kept as <see cref="Scorecards.ScorecardImport"/> keeps it. An identical value and note is counted unchanged.
/// </remarks>
public sealed class ObservationImport(IDbContextFactory<OpenBscDbContext> contexts, ObservationLedger ledger)
{
    public const int MaxListedErrors = 100;

    public const int MaxNoteLength = 2000;

    private const int ProgressEvery = 8192;

    // Rows handed to the ledger per write call. The ledger stores a call's rows in the index's key order: a file of
    // many measures day by day then fills the index in runs of ~32 rows per measure (a page's worth) rather than one
    // row per place (bench/README.md). A bound, not a buffer of the file: a few MB whatever its size.
    private const int ChunkRows = 32_768;

    /// <summary>The columns of the file: measure, period and value are required, note and segment optional, in any order.</summary>
    public static readonly IReadOnlyList<string> Columns = ["measure", "period", "value", "note", "segment"];

    /// <summary>The format a file name's extension names, or null.</summary>
    public static ObservationFileFormat? FormatOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".csv" or ".txt" => ObservationFileFormat.Csv,
        ".xlsx" => ObservationFileFormat.Xlsx,
        _ => null,
    };

    /// <summary>Imports <paramref name="content"/> into scorecard <paramref name="scorecardKey"/>.</summary>
    /// <param name="scorecardKey">The stored scorecard's key.</param>
    /// <param name="content">The file; read forwards once (an XLSX that is not seekable is first copied to a temporary file).</param>
    /// <param name="format">CSV or XLSX.</param>
    /// <param name="fileName">The file's name, for the correction reason ("import FILE").</param>
    /// <param name="enteredBy">Who is importing (kept with every value).</param>
    /// <param name="progress">Receives the number of rows read, now and then.</param>
    /// <param name="limits">XLSX limits (default <see cref="XlsxLimits.Default"/>).</param>
    /// <param name="cancellationToken">Cancels and rolls back.</param>
    public async Task<ObservationImportResult> ImportAsync(
        string scorecardKey,
        Stream content,
        ObservationFileFormat format,
        string fileName,
        string enteredBy,
        IProgress<long>? progress = null,
        XlsxLimits? limits = null,
        CancellationToken cancellationToken = default)
    {
        limits ??= XlsxLimits.Default;
        Stream? copy = null;
        ITableReader? reader = null;
        try
        {
            if (format == ObservationFileFormat.Xlsx)
            {
                if (!content.CanSeek)
                {
                    copy = await SeekableCopyAsync(content, limits.MaxFileBytes, cancellationToken);
                    if (copy is null)
                    {
                        return Refused(ObservationFileRefusal.TooLarge($"The XLSX file is larger than {limits.MaxFileBytes:N0} bytes."));
                    }

                    content = copy;
                }

                if (XlsxGuard.Check(content, limits) is { } refusal)
                {
                    return Refused(refusal);
                }

                reader = XlsxTableReader.Open(content, limits, out var unreadable);
                if (unreadable is not null)
                {
                    return Refused(unreadable);
                }
            }
            else
            {
                reader = new CsvTableReader(content);
            }

            return await ImportRowsAsync(scorecardKey, reader, Path.GetFileName(fileName), enteredBy, progress, cancellationToken);
        }
        catch (Exception e) when (format == ObservationFileFormat.Xlsx && XlsxTableReader.IsUnreadable(e))
        {
            // Damage found while the rows were read (the transaction was not committed: nothing is stored).
            return Refused(ObservationFileRefusal.Unreadable($"The file is not a readable XLSX workbook: {e.Message}"));
        }
        catch (System.Text.DecoderFallbackException)
        {
            return Refused(ObservationFileRefusal.Unreadable("The file is not UTF-8 text: save it as CSV UTF-8 (Excel: \"CSV UTF-8 (Comma delimited)\")."));
        }
        finally
        {
            reader?.Dispose();
            if (copy is not null)
            {
                await copy.DisposeAsync();
            }
        }
    }

    private static ObservationImportResult Refused(ObservationFileRefusal refusal) => new(null, refusal, [], 0);

    private static async Task<Stream?> SeekableCopyAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            if (file.Length > maxBytes)
            {
                await file.DisposeAsync();
                return null;
            }
        }

        file.Position = 0;
        return file;
    }

    private async Task<ObservationImportResult> ImportRowsAsync(string scorecardKey, ITableReader reader, string fileName, string enteredBy, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await ImportTableAsync(db, scorecardKey, reader, $"import {fileName}", enteredBy, progress, commit: true, cancellationToken);
    }

    /// <summary>
    /// Imports the rows of <paramref name="reader"/> (a header row, then values) through one ledger batch on
    /// <paramref name="db"/>, with the rows' checks and errors of a file import. In a transaction the caller opened on
    /// <paramref name="db"/>, the caller commits or rolls back (several scorecards all or nothing: a source's run).
    /// </summary>
    /// <remarks>
    /// <c>source</c> is the batch's source, for the audit entry and the correction reason ("import FILE", "source NAME
    /// run ID"); with <c>commit</c> false the batch checks and counts what would be stored, and stores nothing (a preview).
    /// </remarks>
    internal async Task<ObservationImportResult> ImportTableAsync(OpenBscDbContext db, string scorecardKey, ITableReader reader, string source, string enteredBy, IProgress<long>? progress, bool commit, CancellationToken cancellationToken)
    {
        // The claim comes first, so the definition the rows are checked against is the one in force until the commit.
        await using var batch = await ledger.OpenAsync(db, scorecardKey, enteredBy, source, bulk: true, cancellationToken);
        if (batch is null)
        {
            return Refused(new ObservationFileRefusal(ObservationFileRefusal.Kinds.ScorecardNotFound, $"There is no scorecard '{scorecardKey}'."));
        }

        var errors = new ErrorList();
        var row = new TableRow();
        if (await HeaderAsync(reader, row, errors, cancellationToken) is not { } header)
        {
            return errors.Result();
        }

        var definition = new Definition(batch.Scorecard.Definition);
        var chunk = new List<LedgerEntry>(ChunkRows);
        var rowNumbers = new List<long>(ChunkRows);
        long rows = 0;
        while (await reader.NextAsync(row, cancellationToken))
        {
            rows++;
            if (rows % ProgressEvery == 0)
            {
                progress?.Report(rows);
                cancellationToken.ThrowIfCancellationRequested();
            }

            // The first bad row stops the writing; the rest of the file is still checked, so every bad row is reported.
            if (Check(row, header, definition, reader.TrailingCellsOptional, errors) is { } observation && errors.Count == 0)
            {
                chunk.Add(new LedgerEntry(definition.Measures[observation.Measure].Id, observation.Segment < 0 ? null : definition.Segments[observation.Segment].Id, observation.Period, observation.Value, observation.Note));
                rowNumbers.Add(row.Number);
                if (chunk.Count == ChunkRows)
                {
                    await WriteAsync();
                }
            }
        }

        progress?.Report(rows);
        if (errors.Count == 0)
        {
            await WriteAsync();
        }

        if (errors.Count > 0)
        {
            // Not committed: the batch rolls back on disposal.
            return errors.Result();
        }

        if (commit)
        {
            await batch.CommitAsync(cancellationToken);
        }

        return new(new ObservationImportSummary(scorecardKey, rows, batch.Added, batch.Corrected, batch.Unchanged), null, [], 0);

        async Task WriteAsync()
        {
            var written = await batch.WriteAsync(chunk, cancellationToken: cancellationToken);
            foreach (var problem in written.Problems)
            {
                errors.Add(new(rowNumbers[problem.Index], problem.Field, problem.Field switch
                {
                    "note" => chunk[problem.Index].Note ?? "",
                    "segment" => problem.Segment ?? "",
                    "period" => problem.Period,
                    _ => problem.Measure,
                }, problem.Message));
            }

            chunk.Clear();
            rowNumbers.Clear();
        }
    }

    /// <summary>The header row, or null with the errors recorded (an empty file, a missing or unknown column).</summary>
    private static async Task<Header?> HeaderAsync(ITableReader reader, TableRow row, ErrorList errors, CancellationToken cancellationToken)
    {
        if (!await reader.NextAsync(row, cancellationToken))
        {
            errors.Add(new(1, "(header)", string.Empty, $"a header row {string.Join(',', Columns.Take(3))}[,note][,segment]: the file is empty"));
            return null;
        }

        return Header.Read(row, errors);
    }

    /// <summary>One validated row, ready to store.</summary>
    private readonly record struct Checked(int Measure, int Segment, Period Period, PeriodEntry Entry, double Value, string? Note);

    private static Checked? Check(TableRow row, Header header, Definition definition, bool trailingOptional, ErrorList errors)
    {
        if (row.Problem is { } problem)
        {
            errors.Add(new(row.Number, header.NameOf(problem.Cell), problem.Value, problem.Expected));
            return null;
        }

        if (row.Count > header.Count)
        {
            for (int i = header.Count; i < row.Count; i++)
            {
                if (!trailingOptional || !row[i].IsWhiteSpace())
                {
                    errors.Add(new(row.Number, $"column {i + 1}", row[i].ToString(), $"{header.Count} cells as in the header ({header.Names}), found {row.Count}"));
                    return null;
                }
            }
        }
        else if (row.Count < header.Count && !trailingOptional)
        {
            errors.Add(new(row.Number, header.NameOf(row.Count), string.Empty, $"{header.Count} cells as in the header ({header.Names}), found {row.Count}"));
            return null;
        }

        long before = errors.Count;
        var measureText = row[header.Measure].Trim();
        int measure = definition.MeasureIndex(measureText);
        if (measure < 0)
        {
            string given = measureText.ToString();
            errors.Add(new(row.Number, "measure", given, given.Length == 0
                ? "a measure id of this scorecard"
                : $"a measure id of this scorecard{Suggest(given, definition.Measures.Select(m => m.Id))}"));
        }
        else if (definition.Measures[measure].Formula is { } formula)
        {
            errors.Add(new(row.Number, "measure", measureText.ToString(), $"a measure that takes observations: '{definition.Measures[measure].Id}' is calculated (formula {formula})"));
        }

        var periodText = row[header.Period].Trim();
        var entry = definition.PeriodOf(periodText);
        if (entry is null)
        {
            string given = periodText.ToString();
            string hint = given.Length > 0 && given.All(char.IsAsciiDigit) && given.Length != 4
                ? " (the cell holds a number: Excel may have turned the period into a date; format the column as Text)"
                : string.Empty;
            errors.Add(new(row.Number, "period", given, Period.AcceptedForms + hint));
        }

        var valueText = row[header.Value];
        if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            errors.Add(new(row.Number, "value", valueText.ToString(), "a number such as 12.5 ('.' for decimals, no thousands separators)"));
        }
        else if (!double.IsFinite(value))
        {
            errors.Add(new(row.Number, "value", valueText.ToString(), "a finite number (not NaN or Infinity)"));
        }

        string? note = null;
        if (header.Note >= 0)
        {
            var noteText = FormulaGuard.Restore(row[header.Note]);
            if (noteText.Length > MaxNoteLength)
            {
                errors.Add(new(row.Number, "note", string.Concat(noteText[..40], "…"), $"at most {MaxNoteLength:N0} characters, found {noteText.Length:N0}"));
            }
            else if (noteText.Contains('\0'))
            {
                errors.Add(new(row.Number, "note", noteText.ToString().Replace("\0", "\\0", StringComparison.Ordinal), "text without NUL characters (U+0000)"));
            }
            else if (!noteText.IsEmpty && errors.Count == 0)
            {
                note = noteText.ToString();
            }
        }

        int segment = -1;
        if (header.Segment >= 0)
        {
            var segmentText = row[header.Segment].Trim();
            if (!segmentText.IsEmpty)
            {
                segment = definition.SegmentIndex(segmentText);
                if (segment < 0)
                {
                    string given = segmentText.ToString();
                    errors.Add(new(row.Number, "segment", given, definition.Segments.Count == 0
                        ? "no segment: this scorecard defines none (leave the cell empty)"
                        : $"a segment of this scorecard ({string.Join(", ", definition.Segments.Select(s => s.Id))}){Suggest(given, definition.Segments.Select(s => s.Id))}"));
                }
            }
        }

        // The file's rule (docs/scoring.md §8): a measure tracked per segment needs one of its segments, any other none.
        if (measure >= 0 && errors.Count == before && definition.Measures[measure] is { } m)
        {
            string? given = segment >= 0 ? definition.Segments[segment].Id : null;
            if (m.IsSegmented && given is null)
            {
                errors.Add(new(row.Number, "segment", string.Empty, $"a segment: '{m.Id}' is tracked per segment ({string.Join(", ", m.Segments.Select(x => x.Segment))})"));
            }
            else if (given is not null && !m.Segments.Any(x => x.Segment == given))
            {
                errors.Add(new(row.Number, "segment", given, m.IsSegmented
                    ? $"one of the segments of '{m.Id}' ({string.Join(", ", m.Segments.Select(x => x.Segment))})"
                    : $"no segment: '{m.Id}' is not tracked per segment (leave the cell empty)"));
            }
        }

        return errors.Count > before ? null : new Checked(measure, segment, entry!.Period, entry, value, note);
    }

    private static string Suggest(string given, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Candidate: c, Distance: ScorecardValidator.EditDistance(given.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, given.Length / 3))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return best.Candidate is null ? string.Empty : $" (did you mean '{best.Candidate}'?)";
    }

    /// <summary>The first errors in full and a count of all.</summary>
    private sealed class ErrorList
    {
        private readonly List<ObservationRowError> _listed = [];

        public long Count { get; private set; }

        public void Add(ObservationRowError error)
        {
            Count++;
            if (_listed.Count < MaxListedErrors)
            {
                _listed.Add(error);
            }
        }

        public ObservationImportResult Result() => new(null, null, _listed, Count);
    }

    /// <summary>The header row: which cell holds which column.</summary>
    private sealed class Header
    {
        private readonly string[] _names;

        private Header(string[] names)
        {
            _names = names;
            Measure = Array.IndexOf(names, "measure");
            Period = Array.IndexOf(names, "period");
            Value = Array.IndexOf(names, "value");
            Note = Array.IndexOf(names, "note");
            Segment = Array.IndexOf(names, "segment");
        }

        public int Measure { get; }

        public int Period { get; }

        public int Value { get; }

        public int Note { get; }

        public int Segment { get; }

        public int Count => _names.Length;

        public string Names => string.Join(',', _names);

        public string NameOf(int cell) => cell < _names.Length ? _names[cell] : $"column {cell + 1}";

        public static Header? Read(TableRow row, ErrorList errors)
        {
            if (row.Problem is { } problem)
            {
                errors.Add(new(row.Number, "(header)", problem.Value, problem.Expected));
                return null;
            }

            // A spreadsheet may keep empty cells after the last column: they are not columns.
            int count = row.Count;
            while (count > 0 && row[count - 1].IsWhiteSpace())
            {
                count--;
            }

            for (int i = 0; i < count; i++)
            {
                if (row[i].Contains('\0'))
                {
                    // UTF-16 text without a byte-order mark reads as letters with NUL characters between them.
                    errors.Add(new(row.Number, "(header)", row[i].ToString().Replace("\0", "", StringComparison.Ordinal),
                        "a file in UTF-8 (or in UTF-16 with its byte-order mark): this one looks like UTF-16 saved without one; save it as CSV UTF-8 (Excel: \"CSV UTF-8 (Comma delimited)\")"));
                    return null;
                }
            }

            var names = new string[count];
            for (int i = 0; i < count; i++)
            {
                // A BOM the decoder left (a file saved twice) is not part of the name.
                names[i] = row[i].Trim().TrimStart('\uFEFF').ToString().ToLowerInvariant();
                if (!Columns.Contains(names[i]))
                {
                    string expected = $"one of the columns {string.Join(", ", Columns)}{Suggest(names[i], Columns)}";
                    errors.Add(new(row.Number, $"column {i + 1}", row[i].ToString(), names[i].Length == 0 ? "a column name: " + expected : expected));
                }
                else if (Array.IndexOf(names, names[i]) < i)
                {
                    errors.Add(new(row.Number, $"column {i + 1}", row[i].ToString(), $"each column once: '{names[i]}' is also column {Array.IndexOf(names, names[i]) + 1}"));
                }
            }

            foreach (string required in Columns.Take(3))
            {
                if (!names.Contains(required))
                {
                    errors.Add(new(row.Number, "(header)", string.Join(',', Enumerable.Range(0, row.Count).Select(i => row[i].ToString())), $"a '{required}' column: the header is measure,period,value[,note][,segment]"));
                }
            }

            return errors.Count > 0 ? null : new Header(names);
        }
    }

    /// <summary>A parsed period with what storing it needs.</summary>
    private sealed record PeriodEntry(Period Period, string Text, int StartDay);

    /// <summary>The stored scorecard's measures, segments and calendar, looked up by span (no string per row).</summary>
    private sealed class Definition
    {
        // Bounded: a file names few distinct periods; past this many they are parsed each time rather than kept.
        private const int MaxCachedPeriods = 10_000;
        private readonly Dictionary<string, int> _measures = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _measureLookup;
        private readonly Dictionary<string, int> _segments = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _segmentLookup;
        private readonly Dictionary<string, PeriodEntry> _periods = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, PeriodEntry>.AlternateLookup<ReadOnlySpan<char>> _periodLookup;
        private readonly FiscalCalendar _calendar;

        public Definition(Scorecard card)
        {
            Measures = [.. card.AllMeasures()];
            Segments = card.Segments;
            _calendar = card.Calendar;
            for (int i = 0; i < Measures.Count; i++)
            {
                _measures.TryAdd(Measures[i].Id, i);
            }

            for (int i = 0; i < Segments.Count; i++)
            {
                _segments.TryAdd(Segments[i].Id, i);
            }

            _measureLookup = _measures.GetAlternateLookup<ReadOnlySpan<char>>();
            _segmentLookup = _segments.GetAlternateLookup<ReadOnlySpan<char>>();
            _periodLookup = _periods.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public IReadOnlyList<Measure> Measures { get; }

        public IReadOnlyList<Segment> Segments { get; }

        public int MeasureIndex(ReadOnlySpan<char> id) => _measureLookup.TryGetValue(id, out int index) ? index : -1;

        public int SegmentIndex(ReadOnlySpan<char> id) => _segmentLookup.TryGetValue(id, out int index) ? index : -1;

        public PeriodEntry? PeriodOf(ReadOnlySpan<char> text)
        {
            if (_periodLookup.TryGetValue(text, out var known))
            {
                return known;
            }

            string given = text.ToString();
            if (!Period.TryParse(given, out var period))
            {
                return null;
            }

            var entry = new PeriodEntry(period, period.ToString(), period.Start(_calendar).DayNumber);
            if (_periods.Count < MaxCachedPeriods)
            {
                _periods[given] = entry;
            }

            return entry;
        }
    }
}
