using System.Buffers.Binary;
using System.IO.Compression;

namespace OpenBsc.Application.Features.Observations;

/// <summary>
/// Limits on an uploaded XLSX, checked from the zip's directory before anything is inflated. The defaults follow
/// Apache POI's ZipSecureFile (an entry may not inflate to more than 100 times its compressed size) with room
/// for a sheet of a million observations (~150 MB of XML).
/// </summary>
public sealed record XlsxLimits(long MaxFileBytes, int MaxEntries, long MaxUncompressedBytes, double MaxCompressionRatio)
{
    public static XlsxLimits Default { get; } = new(MaxFileBytes: 100L << 20, MaxEntries: 1_000, MaxUncompressedBytes: 1L << 30, MaxCompressionRatio: 100);

    /// <summary>Entries smaller than this are not ratio-checked: tiny parts prove nothing either way.</summary>
    public const long RatioCheckFrom = 64 * 1024;
}

/// <summary>Checks an XLSX against <see cref="XlsxLimits"/> without inflating it: a zip bomb is refused before it can explode.</summary>
internal static class XlsxGuard
{
    private const uint EndOfCentralDirectory = 0x06054b50;

    /// <summary>Null when the file may be opened, else why not (and whether it is a size refusal).</summary>
    public static ObservationFileRefusal? Check(Stream file, XlsxLimits limits)
    {
        if (file.Length > limits.MaxFileBytes)
        {
            return ObservationFileRefusal.TooLarge($"The XLSX file is {file.Length:N0} bytes: expected at most {limits.MaxFileBytes:N0}.");
        }

        // The entry count comes from the end-of-central-directory record, so even a zip of a million empty
        // entries costs one small read, not a million directory records in memory.
        long? entries = EntryCount(file);
        if (entries is null)
        {
            return ObservationFileRefusal.Unreadable("The file is not an XLSX workbook (it is not a zip archive). Save it from Excel or LibreOffice as .xlsx, or upload a .csv.");
        }

        if (entries > limits.MaxEntries)
        {
            return ObservationFileRefusal.TooLarge($"The XLSX file holds {entries:N0} parts: expected at most {limits.MaxEntries:N0}. It was not opened.");
        }

        file.Position = 0;
        try
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (entry.Length >= XlsxLimits.RatioCheckFrom && entry.Length > entry.CompressedLength * limits.MaxCompressionRatio)
                {
                    double ratio = entry.Length / (double)Math.Max(1, entry.CompressedLength);
                    return ObservationFileRefusal.TooLarge($"The XLSX part {entry.FullName} would inflate {ratio:N0} times ({entry.CompressedLength:N0} → {entry.Length:N0} bytes): expected at most {limits.MaxCompressionRatio:N0} times. This looks like a zip bomb; it was not opened.");
                }
            }

            if (total > limits.MaxUncompressedBytes)
            {
                return ObservationFileRefusal.TooLarge($"The XLSX file would inflate to {total:N0} bytes: expected at most {limits.MaxUncompressedBytes:N0}. It was not opened.");
            }
        }
        catch (InvalidDataException e)
        {
            return ObservationFileRefusal.Unreadable($"The file is not a readable XLSX workbook: {e.Message}");
        }
        finally
        {
            file.Position = 0;
        }

        return null;
    }

    private static long? EntryCount(Stream file)
    {
        // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
        int tail = (int)Math.Min(file.Length, 22 + 65_535);
        if (tail < 22)
        {
            return null;
        }

        var bytes = new byte[tail];
        file.Position = file.Length - tail;
        file.ReadExactly(bytes);
        for (int i = tail - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i)) == EndOfCentralDirectory)
            {
                // A zip64 archive marks its count 0xFFFF: more entries than any workbook needs.
                ushort count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 10));
                return count == ushort.MaxValue ? long.MaxValue : count;
            }
        }

        return null;
    }
}
