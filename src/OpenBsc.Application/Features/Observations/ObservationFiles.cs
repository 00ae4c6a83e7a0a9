namespace OpenBsc.Application.Features.Observations;

/// <summary>The two file formats of observations: CSV (header <c>measure,period,value[,note][,segment]</c>) and XLSX (the same columns on the first sheet).</summary>
public enum ObservationFileFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// A bad row of an observations file: where (row as a spreadsheet or text editor numbers it, column name), what
/// it held and what was expected. Row 1 is the header.
/// </summary>
public sealed record ObservationRowError(long Row, string Column, string Value, string Expected)
{
    /// <summary><c>FILE:row N: column: value: expected …</c>, as the CLI prints it.</summary>
    public string Format(string file) => $"{file}:row {Row}: {Column}: {(Value.Length == 0 ? "(empty)" : Value)}: expected {Expected}";
}

/// <summary>What a successful import did: rows read, and observations added, corrected (superseding a held value) or unchanged.</summary>
public sealed record ObservationImportSummary(string Scorecard, long Rows, int Added, int Corrected, int Unchanged);

/// <summary>Why a whole file was refused before its rows were read.</summary>
public sealed record ObservationFileRefusal(ObservationFileRefusal.Kinds Kind, string Message)
{
    public enum Kinds
    {
        /// <summary>No such scorecard.</summary>
        ScorecardNotFound,

        /// <summary>Over a size limit (file, parts, inflated size, compression ratio): HTTP 413.</summary>
        TooLarge,

        /// <summary>Not a file of the format named (not a zip, no sheet, not UTF-8).</summary>
        Unreadable,
    }

    public static ObservationFileRefusal TooLarge(string message) => new(Kinds.TooLarge, message);

    public static ObservationFileRefusal Unreadable(string message) => new(Kinds.Unreadable, message);
}

/// <summary>
/// The outcome of an import: a summary when stored; otherwise the refusal or the bad rows (the first
/// <see cref="ObservationImport.MaxListedErrors"/>, with the total in <see cref="ErrorCount"/>). Nothing is stored
/// unless <see cref="Summary"/> is set.
/// </summary>
public sealed record ObservationImportResult(ObservationImportSummary? Summary, ObservationFileRefusal? Refusal, IReadOnlyList<ObservationRowError> Errors, long ErrorCount)
{
    public bool Succeeded => Summary is not null;

    /// <summary>"and N more" when more errors were found than listed.</summary>
    public string? More => ErrorCount > Errors.Count ? $"and {ErrorCount - Errors.Count:N0} more" : null;
}

/// <summary>
/// Text cells an export writes that a spreadsheet could take for a formula (OWASP "CSV injection"): those starting
/// with =, +, -, @, tab, CR or NUL get a leading apostrophe, which spreadsheets show as text. Import removes an
/// apostrophe before one of those characters again, so a note survives export then import unchanged.
/// </summary>
public static class FormulaGuard
{
    public static bool IsTrigger(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r' or '\0';

    public static string Neutralise(string text) => text.Length > 0 && IsTrigger(text[0]) ? "'" + text : text;

    public static ReadOnlySpan<char> Restore(ReadOnlySpan<char> text) => text.Length > 1 && text[0] == '\'' && IsTrigger(text[1]) ? text[1..] : text;
}
