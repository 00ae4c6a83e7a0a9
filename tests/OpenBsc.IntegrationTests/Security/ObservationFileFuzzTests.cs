using System.Text;
using MiniExcelLibs;
using OpenBsc.Application.Features.Observations;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// The observation-file parsers (CSV and XLSX) on 10,000 seeded random and malformed files each: they report a problem
/// or read rows, and never throw (OPENBSC_FUZZ_SEED=N repeats a run; the seed and case are in every failure).
/// </summary>
public sealed class ObservationFileFuzzTests
{
    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("OPENBSC_FUZZ_SEED"), out int s) ? s : 20261130;

    private const string Csv = "measure,period,value,note,segment\ncsat,2026-01,71.5,\"survey, \"\"Q1\"\"\",\nnps,2026-Q1,-12,,smb\nnps,2026-W07,1e2,,\n";

    [Fact]
    public async Task Csv_10000MutatedFiles_NeverThrow()
    {
        var random = new Random(Seed);
        for (int i = 0; i < 10_000; i++)
        {
            byte[] bytes = i % 10 == 0 ? RandomBytes(random) : Encoding.UTF8.GetBytes(FuzzTests.Mutate(random, Csv));
            try
            {
                using var reader = new CsvTableReader(new MemoryStream(bytes));
                await DrainAsync(reader);
            }
            catch (DecoderFallbackException)
            {
                // Not UTF-8: the importer answers "save it as CSV UTF-8" (tested in ObservationImportTests).
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {Seed} case {i} (csv): {e.GetType().Name}: {e.Message}");
            }
        }
    }

    [Fact]
    public async Task Xlsx_10000MutatedFiles_AreRefusedOrRead_NeverThrow()
    {
        var good = new MemoryStream();
        MiniExcel.SaveAs(good, new[]
        {
            new Dictionary<string, object> { ["measure"] = "csat", ["period"] = "2026-01", ["value"] = 71.5, ["note"] = "survey" },
            new Dictionary<string, object> { ["measure"] = "nps", ["period"] = "2026-Q1", ["value"] = -12, ["note"] = "" },
        });
        byte[] source = good.ToArray();
        var random = new Random(Seed);
        for (int i = 0; i < 10_000; i++)
        {
            byte[] bytes = i % 10 == 0 ? RandomBytes(random) : MutateBytes(random, source);
            try
            {
                var file = new MemoryStream(bytes);
                if (XlsxGuard.Check(file, XlsxLimits.Default) is not null)
                {
                    continue;
                }

                using var reader = XlsxTableReader.Open(file, XlsxLimits.Default, out var refusal);
                if (refusal is null)
                {
                    await DrainAsync(reader);
                }
            }
            catch (Exception e) when (XlsxTableReader.IsUnreadable(e))
            {
                // Damage met while reading rows: the importer refuses the file as unreadable (and stores nothing).
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {Seed} case {i} (xlsx): {e.GetType().Name}: {e.Message}");
            }
        }
    }

    private static async Task DrainAsync(ITableReader reader)
    {
        var row = new TableRow();
        for (int rows = 0; rows < 10_000 && await reader.NextAsync(row, CancellationToken.None); rows++)
        {
            _ = row.Count;
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 2000)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] MutateBytes(Random random, byte[] source)
    {
        var bytes = (byte[])source.Clone();
        int edits = random.Next(1, 8);
        for (int e = 0; e < edits; e++)
        {
            switch (random.Next(3))
            {
                case 0:
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    Array.Resize(ref bytes, random.Next(1, bytes.Length));
                    break;
                default:
                    int at = random.Next(bytes.Length);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
            }
        }

        return bytes;
    }
}
