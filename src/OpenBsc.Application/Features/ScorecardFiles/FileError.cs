namespace OpenBsc.Application.Features.ScorecardFiles;

/// <summary>
/// A problem in a scorecard file: where it is (file as given, 1-based line and column when known, and the
/// field path such as <c>scorecard.perspectives[0].objectives[1].measures[2].target</c>; empty for a syntax
/// error) and what was wrong and expected.
/// </summary>
public sealed record FileError(string File, int? Line, int? Column, string Path, string Message)
{
    /// <summary>Formats as <c>card.yaml:12:7: scorecard.perspectives[0].name: message</c>, leaving out what is unknown.</summary>
    public static string Format(FileError error)
    {
        string where = error.Line is int line
            ? error.Column is int column ? $"{error.File}:{line}:{column}" : $"{error.File}:{line}"
            : error.File;
        return error.Path.Length == 0 ? $"{where}: {error.Message}" : $"{where}: {error.Path}: {error.Message}";
    }

    public override string ToString() => Format(this);
}
