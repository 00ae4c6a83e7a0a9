using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Application.Features.Templates;

/// <summary>
/// Complete scorecards to start from, each with objectives, measures, targets, links and a year of sample data:
/// a for-profit company (Financial on top), a nonprofit and a municipality (beneficiaries or citizens on top), a
/// customer-support scorecard (fast, good and inexpensive at once, tension declared) and a loyalty and retention one.
/// </summary>
public static class ScorecardTemplates
{
    private const string Prefix = "OpenBsc.Templates.";

    /// <summary>Template names, e.g. <c>for-profit</c>.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. typeof(ScorecardTemplates).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..^".yaml".Length])
            .Order(StringComparer.Ordinal)];

    /// <summary>The template's scorecard file (YAML), or null when there is no such template.</summary>
    public static string? Text(string name)
    {
        using var stream = typeof(ScorecardTemplates).Assembly.GetManifestResourceStream(Prefix + name + ".yaml");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The template read and validated like any scorecard file.</summary>
    public static ScorecardFileResult Read(string name) =>
        ScorecardFileReader.Parse(Text(name) ?? throw new ArgumentException($"No template '{name}'.", nameof(name)), ScorecardFileFormat.Yaml, name + ".yaml").Validated();
}
