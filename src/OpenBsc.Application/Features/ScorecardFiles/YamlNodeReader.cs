using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace OpenBsc.Application.Features.ScorecardFiles;

/// <summary>Reads YAML into a <see cref="FileNode"/> tree through YamlDotNet's representation model.</summary>
internal static class YamlNodeReader
{
    private const string StringTag = "tag:yaml.org,2002:str";

    // Aliases share nodes, so a small file can expand enormously ("billion laughs"); stop well before that hurts.
    private const int MaxNodes = 5_000_000;

    private const int MaxDepth = 64;

    public static FileNode? Read(TextReader text, string file, List<FileError> errors)
    {
        var scanner = new Scanner(text, skipComments: true);
        var stream = new YamlStream();
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            // For a tab used as indentation YamlDotNet marks the enclosing mapping (often line 1); the scanner
            // stopped at the tab itself, which is what the user needs to find.
            var at = e.Message.Contains("tab", StringComparison.Ordinal) ? scanner.CurrentPosition : e.Start;
            errors.Add(new FileError(file, (int)at.Line, (int)at.Column, string.Empty, Describe(e)));
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

        if (stream.Documents.Count == 0)
        {
            errors.Add(new FileError(file, 1, 1, string.Empty, "the file is empty; expected a scorecard starting with 'openbsc: 1'"));
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            errors.Add(new FileError(file, (int)second.Line, (int)second.Column, string.Empty,
                $"expected one YAML document, found {stream.Documents.Count}; a scorecard file holds one scorecard"));
            return null;
        }

        int count = 0;
        var converter = new Converter(file, errors);
        var root = converter.Convert(stream.Documents[0].RootNode, 0, ref count);
        return converter.Failed ? null : root;
    }

    private static string Describe(YamlException e) =>
        e.Message.StartsWith("Duplicate key ", StringComparison.Ordinal)
            ? $"field '{e.Message["Duplicate key ".Length..]}' is given more than once; each field may appear once"
            : $"malformed YAML: {e.Message}";

    private sealed class Converter(string file, List<FileError> errors)
    {
        public bool Failed { get; private set; }

        public FileNode Convert(YamlNode node, int depth, ref int count)
        {
            int line = (int)node.Start.Line;
            int column = (int)node.Start.Column;
            if (++count > MaxNodes || depth > MaxDepth)
            {
                if (!Failed)
                {
                    errors.Add(new FileError(file, line, column, string.Empty,
                        count > MaxNodes ? $"the file expands to more than {MaxNodes} values (through YAML aliases?)" : $"values nest deeper than {MaxDepth} levels"));
                }

                Failed = true;
                return new FileScalar(string.Empty, ScalarKind.Null, line, column);
            }

            switch (node)
            {
                case YamlMappingNode mapping:
                    var fields = new List<FileField>(mapping.Children.Count);
                    foreach (var (key, value) in mapping.Children)
                    {
                        var converted = Convert(value, depth + 1, ref count);
                        if (key is YamlScalarNode { Value: { } name })
                        {
                            fields.Add(new FileField(name, converted, (int)key.Start.Line, (int)key.Start.Column));
                        }
                        else
                        {
                            errors.Add(new FileError(file, (int)key.Start.Line, (int)key.Start.Column, string.Empty,
                                "a field name must be text, not a list or mapping"));
                            Failed = true;
                        }
                    }

                    return new FileMapping(fields, line, column) { Flow = mapping.Style == MappingStyle.Flow };

                case YamlSequenceNode sequence:
                    var items = new List<FileNode>(sequence.Children.Count);
                    foreach (var item in sequence.Children)
                    {
                        items.Add(Convert(item, depth + 1, ref count));
                    }

                    return new FileSequence(items, line, column) { Flow = sequence.Style == SequenceStyle.Flow };

                default:
                    var scalar = (YamlScalarNode)node;
                    string text = scalar.Value ?? string.Empty;
                    var kind = scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value == StringTag) ? ScalarKind.Quoted
                        : IsNull(text) ? ScalarKind.Null
                        : ScalarKind.Plain;
                    return new FileScalar(text, kind, line, column);
            }
        }

        // The YAML 1.2 core schema's null forms.
        private static bool IsNull(string plain) => plain is "" or "~" or "null" or "Null" or "NULL";
    }
}
