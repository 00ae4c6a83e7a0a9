namespace OpenBsc.Domain.Validation;

/// <summary>
/// A definition error: <paramref name="Path"/> locates the field in the scorecard file's terms
/// (e.g. <c>scorecard.perspectives[1].objectives[0].measures[2].target</c>); <paramref name="Message"/>
/// says what is wrong and what was expected.
/// </summary>
public sealed record DefinitionError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
