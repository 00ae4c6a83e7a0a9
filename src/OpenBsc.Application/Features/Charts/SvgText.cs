using System.Globalization;
using System.Text;

namespace OpenBsc.Application.Features.Charts;

/// <summary>
/// Text and number primitives shared by the SVG renderers (measure chart, strategy map): XML escaping,
/// invariant numbers, and text width estimates for wrapping without font files on the server.
/// </summary>
internal static class SvgText
{
    /// <summary>The font stack of every renderer; the widths below are Helvetica's (Arial and Liberation Sans share them).</summary>
    public const string FontFamily = "Helvetica, Arial, 'Liberation Sans', sans-serif";

    // Helvetica advance widths (AFM, 1/1000 em) of U+0020..U+007E.
    private static readonly short[] AsciiWidths =
    [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space .. /
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 .. ?
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ .. O
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P .. _
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` .. o
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p .. ~
    ];

    // Browsers may substitute a wider font than the one measured; wrapping keeps this much in reserve.
    private const double Reserve = 1.06;

    /// <summary>
    /// Escapes text for element content and attribute values (both quote kinds), and replaces characters that
    /// XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF) with U+FFFD, so the document
    /// always parses whatever the names hold.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\t' or '\n' or '\r': sb.Append(' '); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        sb.Append(c).Append(text[i + 1]);
                        i++;
                    }
                    else if (c < ' ' || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
                    {
                        sb.Append('\uFFFD');
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// A coordinate or length: invariant, at most two decimals, no negative zero. A non-finite value is a bug
    /// in the caller's geometry, never something to print.
    /// </summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "SVG coordinates must be finite.");
        }

        double rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        return rounded == 0 ? "0" : rounded.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>Estimated rendered width of <paramref name="text"/> in user units.</summary>
    public static double Width(string text, double fontSize, bool bold = false)
    {
        double units = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                units += 1000; // emoji and other astral characters are drawn wide
                i++;
            }
            else
            {
                units += CharWidth(c);
            }
        }

        return units / 1000 * fontSize * (bold ? 1.08 : 1.0) * Reserve;
    }

    /// <summary>
    /// Wraps at spaces into at most <paramref name="maxLines"/> lines no wider than <paramref name="maxWidth"/>;
    /// a word longer than a line is broken between characters; text left over ends the last line with "…".
    /// </summary>
    public static IReadOnlyList<string> Wrap(string text, double maxWidth, double fontSize, int maxLines, bool bold = false)
    {
        var words = Normalise(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var lines = new List<string>();
        string current = string.Empty;
        for (int w = 0; w < words.Length; w++)
        {
            string candidate = current.Length == 0 ? words[w] : current + " " + words[w];
            if (Width(candidate, fontSize, bold) <= maxWidth)
            {
                current = candidate;
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current);
                current = string.Empty;
                w--; // retry the word on a fresh line
                continue;
            }

            // A single word wider than a line: break it between text elements (never inside a surrogate pair).
            string word = words[w];
            var elements = TextElements(word);
            int taken = 0;
            var piece = new StringBuilder();
            while (taken < elements.Count && (piece.Length == 0 || Width(piece.ToString() + elements[taken], fontSize, bold) <= maxWidth))
            {
                piece.Append(elements[taken++]);
            }

            lines.Add(piece.ToString());
            if (taken < elements.Count)
            {
                words[w] = string.Concat(elements.Skip(taken));
                w--;
            }
        }

        if (current.Length > 0)
        {
            lines.Add(current);
        }

        if (lines.Count <= maxLines)
        {
            return lines;
        }

        var kept = lines.Take(maxLines).ToList();
        kept[^1] = Ellipsis(kept[^1] + " " + lines[maxLines], maxWidth, fontSize, bold);
        return kept;
    }

    /// <summary>The text, cut with "…" when it is wider than <paramref name="maxWidth"/>.</summary>
    public static string Truncate(string text, double maxWidth, double fontSize, bool bold = false)
    {
        string normal = Normalise(text);
        return Width(normal, fontSize, bold) <= maxWidth ? normal : Ellipsis(normal, maxWidth, fontSize, bold);
    }

    // The longest prefix that fits with "…" after it (the caller knows the whole text does not fit).
    private static string Ellipsis(string text, double maxWidth, double fontSize, bool bold)
    {
        var elements = TextElements(text);
        int count = elements.Count;
        while (count > 0 && Width(string.Concat(elements.Take(count)) + "…", fontSize, bold) > maxWidth)
        {
            count--;
        }

        return string.Concat(elements.Take(count)).TrimEnd() + "…";
    }

    private static string Normalise(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (char c in text.Trim())
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                if (!space)
                {
                    sb.Append(' ');
                }

                space = true;
            }
            else
            {
                sb.Append(c);
                space = false;
            }
        }

        return sb.ToString();
    }

    private static List<string> TextElements(string text)
    {
        var list = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            list.Add(e.GetTextElement());
        }

        return list;
    }

    private static double CharWidth(char c)
    {
        if (c is >= ' ' and <= '~')
        {
            return AsciiWidths[c - ' '];
        }

        if (c is >= '\u0300' and <= '\u036F')
        {
            return 0; // combining marks
        }

        bool wide = c is (>= '\u1100' and <= '\u115F') or (>= '\u2E80' and <= '\uA4CF') or (>= '\uAC00' and <= '\uD7A3')
            or (>= '\uF900' and <= '\uFAFF') or (>= '\uFE30' and <= '\uFE4F') or (>= '\uFF00' and <= '\uFF60') or (>= '\uFFE0' and <= '\uFFE6');
        return wide ? 1000 : 620;
    }
}
