using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OpenBsc.Application.Features.ScorecardFiles;

/// <summary>Writes a <see cref="FileNode"/> tree as indented JSON; numbers keep the writer's round-trippable text.</summary>
internal static class JsonNodeWriter
{
    public static string Write(FileNode root)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var options = new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            // A file, not HTML: keep "score >= 0.9" and accented names readable instead of \u003E escapes.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            WriteNode(writer, root);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static void WriteNode(Utf8JsonWriter writer, FileNode node)
    {
        switch (node)
        {
            case FileMapping mapping:
                writer.WriteStartObject();
                foreach (var field in mapping.Fields)
                {
                    writer.WritePropertyName(field.Key);
                    WriteNode(writer, field.Value);
                }

                writer.WriteEndObject();
                break;
            case FileSequence sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Items)
                {
                    WriteNode(writer, item);
                }

                writer.WriteEndArray();
                break;
            case FileScalar { Kind: ScalarKind.Number } number:
                writer.WriteRawValue(number.Text);
                break;
            case FileScalar { Kind: ScalarKind.Boolean } boolean:
                writer.WriteBooleanValue(boolean.Text == "true");
                break;
            case FileScalar { Kind: ScalarKind.Null }:
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(((FileScalar)node).Text);
                break;
        }
    }
}
