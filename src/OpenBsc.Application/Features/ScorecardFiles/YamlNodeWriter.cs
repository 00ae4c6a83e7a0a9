using System.Globalization;
using System.Text;

namespace OpenBsc.Application.Features.ScorecardFiles;

/// <summary>
/// Writes a <see cref="FileNode"/> tree as YAML: block mappings and lists indented by two, nodes marked
/// <c>Flow</c> inline. Text is written plain only where every YAML reader reads it back as the same text;
/// anything else is double-quoted.
/// </summary>
internal static class YamlNodeWriter
{
    // Characters that never start an indicator or a comment inside a plain scalar, in block or flow context.
    private const string PlainPunctuation = " _-./@+()'%&!?;=<>*^$~|";

    // Inside a flow collection these end the scalar; in a block they are ordinary characters.
    private const string FlowIndicators = ",[]{}";

    private static readonly string[] NonText = ["null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"];

    public static string Write(FileNode root)
    {
        var text = new StringBuilder();
        if (root is FileMapping { Fields.Count: > 0 } mapping)
        {
            WriteMapping(text, mapping, 0);
        }
        else
        {
            WriteInline(text, root, inFlow: false);
            text.Append('\n');
        }

        return text.ToString();
    }

    private static void WriteMapping(StringBuilder text, FileMapping mapping, int indent)
    {
        foreach (var field in mapping.Fields)
        {
            text.Append(' ', indent).Append(Key(field.Key)).Append(':');
            WriteValue(text, field.Value, indent);
        }
    }

    private static void WriteSequence(StringBuilder text, FileSequence sequence, int indent)
    {
        foreach (var item in sequence.Items)
        {
            text.Append(' ', indent).Append('-');
            if (IsInline(item))
            {
                text.Append(' ');
                WriteInline(text, item, inFlow: false);
                text.Append('\n');
                continue;
            }

            // A block item starts on the dash's line ("- id: x"), its other lines aligned under its first.
            var block = new StringBuilder();
            WriteBlock(block, item, indent + 2);
            text.Append(' ').Append(block, indent + 2, block.Length - (indent + 2));
        }
    }

    /// <summary>Writes the value after "key:": on the same line when inline, else on the lines below, indented.</summary>
    private static void WriteValue(StringBuilder text, FileNode value, int indent)
    {
        if (IsInline(value))
        {
            text.Append(' ');
            WriteInline(text, value, inFlow: false);
            text.Append('\n');
        }
        else
        {
            text.Append('\n');
            WriteBlock(text, value, indent + 2);
        }
    }

    private static void WriteBlock(StringBuilder text, FileNode node, int indent)
    {
        if (node is FileMapping mapping)
        {
            WriteMapping(text, mapping, indent);
        }
        else
        {
            WriteSequence(text, (FileSequence)node, indent);
        }
    }

    private static bool IsInline(FileNode node) => node switch
    {
        FileMapping mapping => mapping.Flow || mapping.Fields.Count == 0,
        FileSequence sequence => sequence.Flow || sequence.Items.Count == 0,
        _ => true,
    };

    /// <summary>Writes a scalar or a flow collection; <paramref name="inFlow"/> says whether it sits inside one.</summary>
    private static void WriteInline(StringBuilder text, FileNode node, bool inFlow)
    {
        switch (node)
        {
            case FileMapping { Fields.Count: 0 }:
                text.Append("{}");
                break;
            case FileMapping mapping:
                text.Append("{ ");
                for (int i = 0; i < mapping.Fields.Count; i++)
                {
                    text.Append(i == 0 ? string.Empty : ", ").Append(Key(mapping.Fields[i].Key)).Append(": ");
                    WriteInline(text, mapping.Fields[i].Value, inFlow: true);
                }

                text.Append(" }");
                break;
            case FileSequence sequence:
                text.Append('[');
                for (int i = 0; i < sequence.Items.Count; i++)
                {
                    text.Append(i == 0 ? string.Empty : ", ");
                    WriteInline(text, sequence.Items[i], inFlow: true);
                }

                text.Append(']');
                break;
            default:
                text.Append(Scalar((FileScalar)node, inFlow));
                break;
        }
    }

    private static string Key(string key) => CanBePlainText(key, inFlow: true) ? key : Quote(key);

    private static string Scalar(FileScalar scalar, bool inFlow) => scalar.Kind switch
    {
        // Numbers and booleans are written by the writer in their YAML form already.
        ScalarKind.Number or ScalarKind.Boolean => scalar.Text,
        ScalarKind.Null => "null",
        // Spellings, periods and dates (2026-Q1, 2026-07-01) are meant to be read back plain.
        ScalarKind.Plain => IsPlainSafe(scalar.Text, allowDigitFirst: true, inFlow) ? scalar.Text : Quote(scalar.Text),
        _ => CanBePlainText(scalar.Text, inFlow) ? scalar.Text : Quote(scalar.Text),
    };

    /// <summary>
    /// Text that YAML reads back as the same text, never as a number, boolean, null or date: it starts with a
    /// letter, '_' or '(' and is not a YAML 1.1 or 1.2 boolean or null word.
    /// </summary>
    private static bool CanBePlainText(string text, bool inFlow) =>
        IsPlainSafe(text, allowDigitFirst: false, inFlow) && !NonText.Contains(text, StringComparer.OrdinalIgnoreCase);

    private static bool IsPlainSafe(string text, bool allowDigitFirst, bool inFlow)
    {
        if (text.Length == 0 || text[^1] == ' ')
        {
            return false;
        }

        char first = text[0];
        if (!(char.IsLetter(first) || first is '_' or '(' || (allowDigitFirst && char.IsAsciiDigit(first))))
        {
            return false;
        }

        // No ':' or '#' (key and comment indicators), no quotes or escapes, no line breaks; in flow, no ',[]{}'.
        foreach (char c in text)
        {
            if (!(char.IsLetterOrDigit(c) || PlainPunctuation.Contains(c) || (!inFlow && FlowIndicators.Contains(c)) || (c > '\x7F' && IsPrintable(c))))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPrintable(char c) => char.GetUnicodeCategory(c) is not (UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.SpaceSeparator or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse);

    /// <summary>A double-quoted scalar, escaping what YAML would otherwise fold, strip or reject.</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '"':
                    quoted.Append("\\\"");
                    break;
                case '\\':
                    quoted.Append("\\\\");
                    break;
                case '\n':
                    quoted.Append("\\n");
                    break;
                case '\r':
                    quoted.Append("\\r");
                    break;
                case '\t':
                    quoted.Append("\\t");
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        quoted.Append(c).Append(text[++i]);
                    }
                    else if (c < ' ' || c is >= '\x7F' and <= '\x9F' or '\u2028' or '\u2029' or '\uFEFF' || char.IsSurrogate(c))
                    {
                        quoted.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        quoted.Append(c);
                    }

                    break;
            }
        }

        return quoted.Append('"').ToString();
    }
}
