using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OpenBsc.Application.Features.ScorecardFiles;

/// <summary>
/// Reads YAML into a <see cref="FileNode"/> tree straight from YamlDotNet's parser events. YamlDotNet's own
/// representation model (<c>YamlStream.Load</c>) recurses once per nesting level before anything can check the
/// depth, so 30,000 '[' overflowed the stack and killed the process; and it expands nothing but its consumers
/// do. Here the depth is checked before each descent and an alias shares the anchored node, its size counted
/// against a budget, so neither a deep file nor an alias bomb costs more than the text itself.
/// </summary>
internal static class YamlNodeReader
{
    private const string StringTag = "tag:yaml.org,2002:str";

    // A scorecard nests about ten levels deep; 64 leaves room for any hand-written file.
    internal const int MaxDepth = 64;

    // Values written in the file are bounded by its size; what aliases add is not. A file may reuse what it writes
    // (status rules shared by every measure) up to as many values again as it spells out, plus a fixed allowance.
    internal const int AliasAllowance = 100_000;

    private const int MaxNodes = 5_000_000;

    public static FileNode? Read(TextReader text, string file, List<FileError> errors)
    {
        var scanner = new Scanner(text, skipComments: true);
        var parser = new Parser(scanner);
        try
        {
            return new Loader(parser, file, errors).ReadStream();
        }
        catch (YamlException e)
        {
            // For a tab used as indentation YamlDotNet marks the enclosing mapping (often line 1); the scanner
            // stopped at the tab itself, which is what the user needs to find.
            var at = e.Message.Contains("tab", StringComparison.Ordinal) ? scanner.CurrentPosition : e.Start;
            errors.Add(new FileError(file, (int)at.Line, (int)at.Column, string.Empty, $"malformed YAML: {e.Message}"));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet 18 throws these instead of a YamlException for some unclosed flow collections and for
            // stray events (found by FuzzTests, seed 20261130 case 4004).
            var at = scanner.CurrentPosition;
            errors.Add(new FileError(file, (int)at.Line, (int)at.Column, string.Empty,
                "malformed YAML: the text does not continue as expected here; check for an unclosed '[', '{' or quote above"));
            return null;
        }
    }

    /// <summary>A value that stopped the read, reported once at its position.</summary>
    private sealed class Refused(Mark at, string message) : Exception(message)
    {
        public Mark At { get; } = at;
    }

    private sealed class Loader(IParser parser, string file, List<FileError> errors)
    {
        // Each anchored node with the number of values it holds, so that an alias costs its size without copying.
        private readonly Dictionary<string, (FileNode Node, long Size)> anchors = new(StringComparer.Ordinal);

        // Anchors whose value is still being read: an alias to one of them is a loop.
        private readonly HashSet<string> open = new(StringComparer.Ordinal);

        private long written;
        private long aliased;

        public FileNode? ReadStream()
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                errors.Add(new FileError(file, 1, 1, string.Empty, "the file is empty; expected a scorecard starting with 'openbsc: 1'"));
                return null;
            }

            try
            {
                parser.Consume<DocumentStart>();
                var (root, _) = ReadNode(0);
                parser.Consume<DocumentEnd>();
                if (parser.TryConsume<DocumentStart>(out _))
                {
                    // Count the documents by their events alone: skipping builds nothing and does not recurse.
                    var second = parser.Current!.Start;
                    int count = 2;
                    while (parser.MoveNext())
                    {
                        count += parser.Current is DocumentStart ? 1 : 0;
                    }

                    errors.Add(new FileError(file, (int)second.Line, (int)second.Column, string.Empty,
                        $"expected one YAML document, found {count}; a scorecard file holds one scorecard"));
                    return null;
                }

                return root;
            }
            catch (Refused refused)
            {
                errors.Add(new FileError(file, (int)refused.At.Line, (int)refused.At.Column, string.Empty, refused.Message));
                return null;
            }
        }

        private (FileNode Node, long Size) ReadNode(int depth)
        {
            var start = parser.Current ?? throw new InvalidOperationException("YAML ended inside a value");
            int line = (int)start.Start.Line;
            int column = (int)start.Start.Column;

            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                string name = alias.Value.Value;
                if (open.Contains(name))
                {
                    throw new Refused(alias.Start, $"the alias *{name} refers to the value that contains it; a value cannot include itself");
                }

                if (!anchors.TryGetValue(name, out var anchored))
                {
                    throw new Refused(alias.Start, $"the alias *{name} names no anchor written before it; expected '&{name}' earlier in the file");
                }

                aliased += anchored.Size;
                if (aliased > AliasAllowance + written || written + aliased > MaxNodes)
                {
                    throw new Refused(alias.Start,
                        $"YAML aliases expand the file to more than {Math.Min(AliasAllowance + written, MaxNodes):N0} values; write the repeated values out or use fewer aliases");
                }

                return anchored;
            }

            if (depth > MaxDepth)
            {
                throw new Refused(start.Start, $"values nest deeper than {MaxDepth} levels");
            }

            written++;
            var anchor = start is NodeEvent { Anchor: { IsEmpty: false } a } ? a.Value : null;
            if (anchor is not null)
            {
                // A later anchor of the same name replaces the earlier one for the aliases after it (YAML 1.2).
                anchors.Remove(anchor);
                open.Add(anchor);
            }

            var read = parser.Current switch
            {
                MappingStart mapping => ReadMapping(mapping, depth, line, column),
                SequenceStart sequence => ReadSequence(sequence, depth, line, column),
                _ => ReadScalar(parser.Consume<Scalar>(), line, column),
            };

            if (anchor is not null)
            {
                open.Remove(anchor);
                anchors[anchor] = read;
            }

            return read;
        }

        private (FileNode, long) ReadMapping(MappingStart start, int depth, int line, int column)
        {
            parser.MoveNext();
            var fields = new List<FileField>();
            HashSet<string>? names = null;
            long size = 1;
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Current!;
                if (keyEvent is not Scalar keyScalar)
                {
                    throw new Refused(keyEvent.Start, "a field name must be text, not a list or mapping");
                }

                var (key, _) = ReadNode(depth + 1);
                string name = ((FileScalar)key).Text;
                if (!(names ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                {
                    throw new Refused(keyScalar.Start, $"field '{name}' is given more than once; each field may appear once");
                }

                var (value, valueSize) = ReadNode(depth + 1);
                size += valueSize;
                fields.Add(new FileField(name, value, (int)keyScalar.Start.Line, (int)keyScalar.Start.Column));
            }

            return (new FileMapping(fields, line, column) { Flow = start.Style == MappingStyle.Flow }, size);
        }

        private (FileNode, long) ReadSequence(SequenceStart start, int depth, int line, int column)
        {
            parser.MoveNext();
            var items = new List<FileNode>();
            long size = 1;
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                var (item, itemSize) = ReadNode(depth + 1);
                size += itemSize;
                items.Add(item);
            }

            return (new FileSequence(items, line, column) { Flow = start.Style == SequenceStyle.Flow }, size);
        }

        private static (FileNode, long) ReadScalar(Scalar scalar, int line, int column)
        {
            string text = scalar.Value ?? string.Empty;
            var kind = scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value == StringTag) ? ScalarKind.Quoted
                : IsNull(text) ? ScalarKind.Null
                : ScalarKind.Plain;
            return (new FileScalar(text, kind, line, column), 1);
        }

        // The YAML 1.2 core schema's null forms.
        private static bool IsNull(string plain) => plain is "" or "~" or "null" or "Null" or "NULL";
    }
}
