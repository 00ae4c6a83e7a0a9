namespace OpenBsc.Application.Features.ScorecardFiles;

/// <summary>
/// A node of a parsed scorecard file, independent of JSON or YAML, with its 1-based position so that
/// errors can name the line. Nodes built by the writer have position 0.
/// </summary>
public abstract class FileNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}

/// <summary>A mapping (JSON object), its fields in the order written.</summary>
public sealed class FileMapping(IReadOnlyList<FileField> fields, int line = 0, int column = 0) : FileNode(line, column)
{
    public IReadOnlyList<FileField> Fields { get; } = fields;

    /// <summary>Written inline (<c>{ a: 1, b: 2 }</c>) in YAML.</summary>
    public bool Flow { get; init; }
}

/// <summary>One field of a mapping; the position is the key's.</summary>
public sealed record FileField(string Key, FileNode Value, int Line = 0, int Column = 0);

/// <summary>A sequence (JSON array).</summary>
public sealed class FileSequence(IReadOnlyList<FileNode> items, int line = 0, int column = 0) : FileNode(line, column)
{
    public IReadOnlyList<FileNode> Items { get; } = items;

    /// <summary>Written inline (<c>[a, b]</c>) in YAML.</summary>
    public bool Flow { get; init; }
}

/// <summary>What the source said about a scalar's type.</summary>
public enum ScalarKind
{
    /// <summary>A YAML plain scalar: its type (text, number, boolean, period) depends on where it is used.</summary>
    Plain,

    /// <summary>Quoted or block YAML text, or a JSON string: always text, never a number.</summary>
    Quoted,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>JSON <c>null</c>, or YAML <c>null</c>, <c>~</c> or nothing: the same as leaving the field out.</summary>
    Null,
}

/// <summary>A scalar: its text as written (a JSON number's text is its literal) and its <see cref="ScalarKind"/>.</summary>
public sealed class FileScalar(string text, ScalarKind kind, int line = 0, int column = 0) : FileNode(line, column)
{
    public string Text { get; } = text;

    public ScalarKind Kind { get; } = kind;
}
