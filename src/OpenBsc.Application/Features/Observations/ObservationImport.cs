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
/// read, validated against the stored definition and inserted inside one transaction with prepared statements;
/// the first bad row stops the writing, the rest of the file is still checked so that every bad row is reported,
/// and the transaction is rolled back. Memory holds one row, a fixed-size filter of the keys written so far and
/// the first <see cref="MaxListedErrors"/> errors, whatever the file's size.
/// </summary>
/// <remarks>
/// A row for a measure, segment and period already held (stored before, or earlier in the same file) corrects
/// it: the held row is marked superseded (when, by whom, "import FILE") and the new one is added, so history is
/// kept as <see cref="Scorecards.ScorecardImport"/> keeps it. An identical value and note is counted unchanged.
/// </remarks>
public sealed class ObservationImport(IDbContextFactory<OpenBscDbContext> contexts, TimeProvider clock)
{
    public const int MaxListedErrors = 100;

    public const int MaxNoteLength = 2000;

    private const int ProgressEvery = 8192;

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
        if (ObservationCopy.Applies(db))
        {
            return await ImportRowsToPostgresAsync(db, scorecardKey, reader, fileName, enteredBy, progress, cancellationToken);
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        using var settings = ImportSettings.Apply(connection);
        // BEGIN IMMEDIATE: the write lock is taken now, so the definition read below is the one the rows are checked against.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var stored = ReadScorecard(connection, transaction, scorecardKey);
        if (stored is null)
        {
            return Refused(new ObservationFileRefusal(ObservationFileRefusal.Kinds.ScorecardNotFound, $"There is no scorecard '{scorecardKey}'."));
        }

        var (scorecardId, organisationId, card) = stored.Value;
        var errors = new ErrorList();
        var row = new TableRow();
        if (await HeaderAsync(reader, row, errors, cancellationToken) is not { } header)
        {
            return errors.Result();
        }

        var definition = new Definition(card);
        var writer = new Writer(connection, transaction, scorecardId, organisationId, enteredBy, $"import {fileName}", clock.GetUtcNow().UtcDateTime);
        writer.Remember(definition);
        long rows = 0;
        while (await reader.NextAsync(row, cancellationToken))
        {
            rows++;
            if (rows % ProgressEvery == 0)
            {
                progress?.Report(rows);
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (Check(row, header, definition, reader.TrailingCellsOptional, errors) is { } observation && errors.Count == 0)
            {
                writer.Write(observation);
            }
        }

        progress?.Report(rows);
        if (errors.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return errors.Result();
        }

        writer.Finish();
        await transaction.CommitAsync(cancellationToken);
        return new(new ObservationImportSummary(scorecardKey, rows, writer.Added, writer.Corrected, writer.Unchanged), null, [], 0);
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

    /// <summary>
    /// The same import on PostgreSQL: rows checked exactly as on SQLite, written in batches by binary COPY inside one
    /// transaction (rolled back when any row is bad). Taking the scorecard's row lock first serialises imports into
    /// one scorecard; the keys already held are read once, so a correction supersedes the
    /// value it replaces and a repeated key within the file keeps the earlier row in the history.
    /// </summary>
    private async Task<ObservationImportResult> ImportRowsToPostgresAsync(OpenBscDbContext db, string scorecardKey, ITableReader reader, string fileName, string enteredBy, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        const int Batch = 10_000;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        string reason = $"import {fileName}";
        // An UPDATE that changes nothing still takes the row lock: imports into one scorecard run one after the other.
        int locked = await db.Scorecards.Where(s => s.Key == scorecardKey).ExecuteUpdateAsync(u => u.SetProperty(s => s.DataVersion, s => s.DataVersion), cancellationToken);
        var stored = locked == 0 ? null : await db.Scorecards.AsNoTracking().Where(s => s.Key == scorecardKey).Select(s => new { s.Id, s.OrganisationId, s.Definition }).SingleAsync(cancellationToken);
        if (stored is null)
        {
            return Refused(new ObservationFileRefusal(ObservationFileRefusal.Kinds.ScorecardNotFound, $"There is no scorecard '{scorecardKey}'."));
        }

        var card = StoredDefinition(stored.Definition, scorecardKey);
        var errors = new ErrorList();
        var row = new TableRow();
        if (await HeaderAsync(reader, row, errors, cancellationToken) is not { } header)
        {
            return errors.Result();
        }

        var definition = new Definition(card);
        var held = (await db.Observations.AsNoTracking()
                .Where(o => o.ScorecardId == stored.Id && o.SupersededAt == null)
                .Select(o => new { o.MeasureKey, o.Segment, o.Period, o.Value, o.Note })
                .ToListAsync(cancellationToken))
            .ToDictionary(o => (o.MeasureKey, o.Segment, o.Period), o => (o.Value, o.Note));
        var pending = new Dictionary<(string, string?, string), StoredObservation>();
        var supersede = new List<(string Measure, string? Segment, string Period)>();
        long rows = 0;
        int added = 0, corrected = 0, unchanged = 0;
        while (await reader.NextAsync(row, cancellationToken))
        {
            rows++;
            if (rows % ProgressEvery == 0)
            {
                progress?.Report(rows);
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (Check(row, header, definition, reader.TrailingCellsOptional, errors) is not { } observation || errors.Count > 0)
            {
                continue;
            }

            var key = (definition.Measures[observation.Measure].Id, observation.Segment < 0 ? null : definition.Segments[observation.Segment].Id, observation.Entry.Text);
            if (pending.TryGetValue(key, out var earlier))
            {
                if (earlier.Value.Equals(observation.Value) && earlier.Note == observation.Note)
                {
                    unchanged++;
                    continue;
                }

                // Corrected within the file: the earlier row is kept as history.
                (earlier.SupersededAt, earlier.SupersededBy, earlier.CorrectionReason) = (now, enteredBy, reason);
                pending.Remove(key);
                pending[(key.Item1 + "\0" + rows, key.Item2, key.Item3)] = earlier;
                corrected++;
            }
            else if (held.TryGetValue(key, out var current))
            {
                if (current.Value.Equals(observation.Value) && current.Note == observation.Note)
                {
                    unchanged++;
                    continue;
                }

                supersede.Add(key);
                corrected++;
            }
            else
            {
                added++;
            }

            held[key] = (observation.Value, observation.Note);
            pending[key] = new StoredObservation
            {
                OrganisationId = stored.OrganisationId,
                ScorecardId = stored.Id,
                MeasureKey = key.Item1,
                Segment = key.Item2,
                Period = key.Item3,
                PeriodStart = observation.Entry.StartDay,
                Value = observation.Value,
                Note = observation.Note,
                EnteredBy = enteredBy,
                EnteredAt = now,
            };
            if (pending.Count >= Batch)
            {
                await FlushAsync();
            }
        }

        progress?.Report(rows);
        if (errors.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return errors.Result();
        }

        await FlushAsync();
        if (added + corrected > 0)
        {
            // One bump, so every cache sees the new values (an import that changed nothing leaves them valid).
            await db.Scorecards.Where(s => s.Id == stored.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.DataVersion, s => s.DataVersion + 1), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new(new ObservationImportSummary(scorecardKey, rows, added, corrected, unchanged), null, [], 0);

        async Task FlushAsync()
        {
            // Values held before this batch are superseded first, so the batch's own rows stay current.
            foreach (var (measure, segment, period) in supersede)
            {
                await db.Observations
                    .Where(o => o.ScorecardId == stored.Id && o.SupersededAt == null && o.MeasureKey == measure && o.Segment == segment && o.Period == period)
                    .ExecuteUpdateAsync(u => u.SetProperty(o => o.SupersededAt, now).SetProperty(o => o.SupersededBy, enteredBy).SetProperty(o => o.CorrectionReason, reason), cancellationToken);
            }

            supersede.Clear();
            if (errors.Count == 0 && pending.Count > 0)
            {
                await ObservationCopy.WriteAsync(db, pending.Values, keepIds: false, cancellationToken);
            }

            pending.Clear();
        }
    }

    /// <summary>
    /// Connection settings for the import, set back when done (connections are pooled).
    /// <para>A larger page cache: rows for many measures insert at as many places in the (scorecard, measure,
    /// period) index; with the default 2 MB cache those pages were written out and read back for nearly every row
    /// (90,000 pwrite and 87,000 pread calls for 100,000 rows of 1,000 measures). 64 MB holds the hot pages of
    /// ~16,000 measures; it is a bound, not a buffer of the file.</para>
    /// <para>No foreign-key check per row: the one parent, the scorecard, was read inside this IMMEDIATE
    /// transaction, so no other writer can remove it before the commit. (The pragma is a no-op inside a
    /// transaction, so it is set before BEGIN.)</para>
    /// </summary>
    private sealed class ImportSettings : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly long _cacheSize;
        private readonly long _foreignKeys;

        private ImportSettings(SqliteConnection connection, long cacheSize, long foreignKeys)
        {
            _connection = connection;
            _cacheSize = cacheSize;
            _foreignKeys = foreignKeys;
        }

        public static ImportSettings Apply(SqliteConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA cache_size";
            long cacheSize = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            command.CommandText = "PRAGMA foreign_keys";
            long foreignKeys = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            command.CommandText = "PRAGMA cache_size = -65536";
            command.ExecuteNonQuery();
            command.CommandText = "PRAGMA foreign_keys = OFF";
            command.ExecuteNonQuery();
            return new ImportSettings(connection, cacheSize, foreignKeys);
        }

        public void Dispose()
        {
            using var command = _connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = {_cacheSize}");
            command.ExecuteNonQuery();
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA foreign_keys = {_foreignKeys}");
            command.ExecuteNonQuery();
        }
    }

    private static (Guid Id, Guid OrganisationId, Scorecard Card)? ReadScorecard(SqliteConnection connection, SqliteTransaction transaction, string key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // Raw SQL gets no query filter: the current organisation's scorecard (any, without a tenant), as EF would find it.
        command.CommandText = "SELECT Id, OrganisationId, Definition FROM scorecards WHERE Key = $key AND ($organisation IS NULL OR OrganisationId = $organisation)";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$organisation", Security.Tenant.Current is { } tenant ? tenant.ToString().ToUpperInvariant() : DBNull.Value);
        using var result = command.ExecuteReader();
        if (!result.Read())
        {
            return null;
        }

        return (result.GetGuid(0), result.GetGuid(1), StoredDefinition(result.GetString(2), key));
    }

    private static Scorecard StoredDefinition(string json, string key) => ScorecardFileReader.ParseStored(json, key);

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

    /// <summary>
    /// Writes rows with prepared statements in the open transaction. A Bloom filter of fixed size (8 MB) remembers
    /// the keys (measure, segment, period) already held: only a key it may have seen costs a look-up, so a file of
    /// new values is pure inserts, and memory does not grow with the file.
    /// </summary>
    private sealed class Writer
    {
        private const int FilterBits = 1 << 26;
        private readonly ulong[] _filter = new ulong[FilterBits / 64];
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;
        private readonly Guid _scorecardId;
        private readonly SqliteCommand _insert;
        private readonly SqliteParameter _measure, _segment, _period, _periodStart, _value, _note;
        private readonly SqliteCommand _find;
        private readonly SqliteParameter _findMeasure, _findSegment, _findPeriod, _findPeriodStart;
        private readonly SqliteCommand _supersede;
        private readonly SqliteParameter _supersedeId;
        private Definition? _definition;

        public Writer(SqliteConnection connection, SqliteTransaction transaction, Guid scorecardId, Guid organisationId, string enteredBy, string reason, DateTime now)
        {
            _connection = connection;
            _transaction = transaction;
            _scorecardId = scorecardId;
            // What is the same on every row is written into the statement as literals (in the forms EF Core stores:
            // upper-case GUID text, "yyyy-MM-dd HH:mm:ss.FFFFFFF"), so it is bound once when prepared, not per row.
            _insert = Command($"""
                INSERT INTO observations (OrganisationId, ScorecardId, MeasureKey, Segment, Period, PeriodStart, Value, Note, EnteredBy, EnteredAt)
                VALUES ({Literal(organisationId)}, {Literal(scorecardId)}, $measure, $segment, $period, $periodStart, $value, $note, {Literal(enteredBy)}, {Literal(now)})
                """);
            _measure = _insert.Parameters.Add("$measure", SqliteType.Text);
            _segment = _insert.Parameters.Add("$segment", SqliteType.Text);
            _period = _insert.Parameters.Add("$period", SqliteType.Text);
            _periodStart = _insert.Parameters.Add("$periodStart", SqliteType.Integer);
            _value = _insert.Parameters.Add("$value", SqliteType.Real);
            _note = _insert.Parameters.Add("$note", SqliteType.Text);
            _find = Command("""
                SELECT Id, Value, Note FROM observations
                WHERE ScorecardId = $scorecard AND MeasureKey = $measure AND PeriodStart = $periodStart AND Period = $period
                  AND Segment IS $segment AND SupersededAt IS NULL
                ORDER BY Id DESC LIMIT 1
                """);
            _find.Parameters.AddWithValue("$scorecard", scorecardId);
            _findMeasure = _find.Parameters.Add("$measure", SqliteType.Text);
            _findSegment = _find.Parameters.Add("$segment", SqliteType.Text);
            _findPeriod = _find.Parameters.Add("$period", SqliteType.Text);
            _findPeriodStart = _find.Parameters.Add("$periodStart", SqliteType.Integer);
            _supersede = Command("UPDATE observations SET SupersededAt = $at, SupersededBy = $by, CorrectionReason = $reason WHERE Id = $id");
            _supersede.Parameters.AddWithValue("$at", now);
            _supersede.Parameters.AddWithValue("$by", enteredBy);
            _supersede.Parameters.AddWithValue("$reason", reason);
            _supersedeId = _supersede.Parameters.Add("$id", SqliteType.Integer);
            foreach (var command in new[] { _insert, _find, _supersede })
            {
                command.Prepare();
            }
        }

        public int Added { get; private set; }

        public int Corrected { get; private set; }

        public int Unchanged { get; private set; }

        /// <summary>Puts the keys of the values already held for this scorecard into the filter.</summary>
        public void Remember(Definition definition)
        {
            _definition = definition;
            using var command = Command("SELECT MeasureKey, Segment, Period FROM observations WHERE ScorecardId = $scorecard AND SupersededAt IS NULL");
            command.Parameters.AddWithValue("$scorecard", _scorecardId);
            using var rows = command.ExecuteReader();
            while (rows.Read())
            {
                int measure = definition.MeasureIndex(rows.GetString(0));
                int segment = rows.IsDBNull(1) ? -1 : definition.SegmentIndex(rows.GetString(1));
                if (measure >= 0 && (segment >= 0 || rows.IsDBNull(1)) && Period.TryParse(rows.GetString(2), out var period))
                {
                    Set(Key(measure, segment, period));
                }
            }
        }

        public void Write(Checked row)
        {
            var definition = _definition!;
            string measure = definition.Measures[row.Measure].Id;
            string? segment = row.Segment < 0 ? null : definition.Segments[row.Segment].Id;
            ulong key = Key(row.Measure, row.Segment, row.Period);
            if (!Set(key))
            {
                _findMeasure.Value = measure;
                _findSegment.Value = (object?)segment ?? DBNull.Value;
                _findPeriod.Value = row.Entry.Text;
                _findPeriodStart.Value = row.Entry.StartDay;
                using (var held = _find.ExecuteReader())
                {
                    if (held.Read())
                    {
                        string? heldNote = held.IsDBNull(2) ? null : held.GetString(2);
                        if (held.GetDouble(1).Equals(row.Value) && heldNote == row.Note)
                        {
                            Unchanged++;
                            return;
                        }

                        _supersedeId.Value = held.GetInt64(0);
                        Corrected++;
                    }
                    else
                    {
                        _supersedeId.Value = null;
                    }
                }

                if (_supersedeId.Value is long)
                {
                    _supersede.ExecuteNonQuery();
                }
                else
                {
                    Added++;
                }
            }
            else
            {
                Added++;
            }

            _measure.Value = measure;
            _segment.Value = (object?)segment ?? DBNull.Value;
            _period.Value = row.Entry.Text;
            _periodStart.Value = row.Entry.StartDay;
            _value.Value = row.Value;
            _note.Value = (object?)row.Note ?? DBNull.Value;
            _insert.ExecuteNonQuery();
        }

        /// <summary>Bumps the scorecard's data version once, so every cache sees the new values.</summary>
        public void Finish()
        {
            if (Added + Corrected > 0)
            {
                using var command = Command("UPDATE scorecards SET DataVersion = DataVersion + 1 WHERE Id = $scorecard");
                command.Parameters.AddWithValue("$scorecard", _scorecardId);
                command.ExecuteNonQuery();
            }
        }

        private static string Literal(Guid id) => Literal(id.ToString().ToUpperInvariant());

        private static string Literal(DateTime at) => Literal(at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));

        private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

        private SqliteCommand Command(string sql)
        {
            var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            return command;
        }

        private static ulong Key(int measure, int segment, Period period)
        {
            ulong key = ((ulong)(uint)measure << 32) ^ ((ulong)(uint)(segment + 1) << 52) ^ ((ulong)period.Kind << 28) ^ ((ulong)(uint)period.Year << 9) ^ (uint)period.Number;
            // SplitMix64's finaliser: spreads the packed fields over all 64 bits.
            key = (key ^ (key >> 30)) * 0xBF58476D1CE4E5B9UL;
            key = (key ^ (key >> 27)) * 0x94D049BB133111EBUL;
            return key ^ (key >> 31);
        }

        /// <summary>Adds the key; true when it was certainly not there before.</summary>
        private bool Set(ulong key)
        {
            uint h1 = (uint)key, h2 = (uint)(key >> 32) | 1;
            bool added = false;
            for (uint i = 0; i < 4; i++)
            {
                uint bit = (h1 + i * h2) & (FilterBits - 1);
                ulong mask = 1UL << (int)(bit & 63);
                ref ulong word = ref _filter[bit >> 6];
                if ((word & mask) == 0)
                {
                    word |= mask;
                    added = true;
                }
            }

            return added;
        }
    }
}
