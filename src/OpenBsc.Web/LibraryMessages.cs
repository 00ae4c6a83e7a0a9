using OpenBsc.Application.Features.Library;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Web;

/// <summary>What the library page says after a refused add (a code in the link, never text), and whether a measure is already there.</summary>
public static class LibraryMessages
{
    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        ["choose"] = "Choose the objective to add measures to, at the top of the page.",
        ["gone"] = "That scorecard or objective is no longer there: choose another.",
        ["conflict"] = "Someone changed the scorecard meanwhile; nothing was added. Try again.",
        ["invalid"] = "This measure cannot be added to that scorecard as it is: add it in the designer instead.",
    };

    public static string? Text(string? code) => code is null ? null : Texts.GetValueOrDefault(code);

    /// <summary>The scorecard's measure that is this library measure (same id, a numbered copy of it, or the same name), if any.</summary>
    public static Measure? Existing(Scorecard card, LibraryMeasure entry) =>
        card.AllMeasures().FirstOrDefault(m => m.Id == entry.Id || string.Equals(m.Name, entry.Name, StringComparison.OrdinalIgnoreCase)
            || (m.Id.StartsWith(entry.Id + "-", StringComparison.Ordinal) && int.TryParse(m.Id.AsSpan(entry.Id.Length + 1), out _)));
}
