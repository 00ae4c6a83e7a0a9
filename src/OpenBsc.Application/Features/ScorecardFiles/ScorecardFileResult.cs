using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Application.Features.ScorecardFiles;

/// <summary>
/// What reading a scorecard file gave: the scorecard and its observations when the file is well-formed, and
/// every error, in file order, with lines. Errors of meaning found later (duplicate ids, dangling references,
/// ...) join through <see cref="WithDefinitionErrors"/>, which gives them lines from the same file.
/// </summary>
public sealed class ScorecardFileResult
{
    private readonly IReadOnlyDictionary<string, (int Line, int Column)> _positions;

    internal ScorecardFileResult(string file, ScorecardData? data, IEnumerable<FileError> errors, IReadOnlyDictionary<string, (int Line, int Column)> positions)
    {
        File = file;
        Data = data;
        // Stable sort: errors without a line (none today) go last; same-line errors keep the order found.
        Errors = [.. errors.OrderBy(e => e.Line ?? int.MaxValue).ThenBy(e => e.Column ?? int.MaxValue)];
        _positions = positions;
    }

    /// <summary>The file as given to the reader (a path, or a name such as <c>&lt;stdin&gt;</c>).</summary>
    public string File { get; }

    /// <summary>
    /// The scorecard and observations; null when the file has parse-level errors (syntax, unknown fields, types,
    /// spellings). Kept after <see cref="WithDefinitionErrors"/>, so check <see cref="IsValid"/> before using it.
    /// </summary>
    public ScorecardData? Data { get; }

    public IReadOnlyList<FileError> Errors { get; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>
    /// The line and column of the value at <paramref name="path"/> (e.g. <c>scorecard.perspectives[0].objectives[1].measures[2].target</c>),
    /// or of its nearest written ancestor when the value itself is not in the file (a missing field); null when
    /// nothing on the path was read.
    /// </summary>
    public (int Line, int Column)? LineOf(string path)
    {
        string current = path;
        while (true)
        {
            if (_positions.TryGetValue(current, out var position))
            {
                return position;
            }

            if (current.Length == 0)
            {
                return null;
            }

            int cut = Math.Max(current.LastIndexOf('.'), current.LastIndexOf('['));
            current = cut < 0 ? string.Empty : current[..cut];
        }
    }

    /// <summary>This result with the domain's checks of meaning run on a well-formed file (a no-op otherwise).</summary>
    public ScorecardFileResult Validated() =>
        Data is { } data ? WithDefinitionErrors(Domain.Validation.ScorecardValidator.Validate(data).Select(e => (e.Path, e.Message))) : this;

    /// <summary>
    /// This result with errors of meaning added, each given the line of its path: the seam for
    /// <c>ScorecardValidator.Validate(data)</c>, whose <c>DefinitionError(Path, Message)</c> uses the same path syntax.
    /// </summary>
    public ScorecardFileResult WithDefinitionErrors(IEnumerable<(string Path, string Message)> errors)
    {
        var located = errors.Select(e => LineOf(e.Path) is var (line, column)
            ? new FileError(File, line, column, e.Path, e.Message)
            : new FileError(File, null, null, e.Path, e.Message));
        return new ScorecardFileResult(File, Data, Errors.Concat(located), _positions);
    }
}
