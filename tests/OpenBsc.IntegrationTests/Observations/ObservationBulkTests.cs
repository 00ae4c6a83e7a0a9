using System.Globalization;
using System.Text;
using OpenBsc.Application.Features.Observations;

namespace OpenBsc.IntegrationTests.Observations;

/// <summary>Not run beside other tests: it measures the process's heap while importing.</summary>
[CollectionDefinition(nameof(SerialBulkImport), DisableParallelization = true)]
public sealed class SerialBulkImport;

/// <summary>A large file streams through in bounded memory.</summary>
[Collection(nameof(SerialBulkImport))]
public sealed class ObservationBulkTests
{
    [Fact]
    public async Task ImportAsync_200kRows_StoresAllWithBoundedMemory()
    {
        await using var fixture = new SqliteObservationsApp(); // the flat-memory streaming path is the SQLite one
        await fixture.InitializeAsync();
        string key = await fixture.NewScorecardAsync();
        const int Rows = 200_000;
        var csv = new GeneratedCsv(Rows);
        GC.Collect();
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        var progress = new SynchronousProgress(_ => peak = Math.Max(peak, GC.GetTotalMemory(false) - baseline));

        var result = await fixture.Import.ImportAsync(key, csv, ObservationFileFormat.Csv, "big.csv", "tester", progress);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(Rows, result.Summary!.Added);
        Assert.Equal(Rows + 1, (await fixture.RowsAsync(key)).Count);
        // The file is ~6 MB and the rows ~30 MB as objects; the import holds an 8 MB key filter and buffers.
        Assert.True(peak < 40 << 20, $"heap grew by {peak:N0} bytes while importing");
        Assert.True(csv.Generated > 4_000_000, "the whole file was read");
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool, after the fact).</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    /// <summary>A CSV made on the fly as it is read: rows for two measures over consecutive days, never held whole.</summary>
    private sealed class GeneratedCsv(int rows) : Stream
    {
        private readonly DateOnly _first = new(1990, 1, 1);
        private byte[] _pending = Encoding.UTF8.GetBytes("measure,period,value,note\n");
        private int _offset;
        private int _row;

        public long Generated { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _pending.Length)
            {
                if (_row == rows)
                {
                    return 0;
                }

                var chunk = new StringBuilder();
                for (int i = 0; i < 1000 && _row < rows; i++, _row++)
                {
                    string measure = _row % 2 == 0 ? "csat" : "nps";
                    chunk.Append(CultureInfo.InvariantCulture, $"{measure},{_first.AddDays(_row / 2):yyyy-MM-dd},{_row % 997 * 0.5},{(_row % 10 == 0 ? "checked" : "")}\n");
                }

                _pending = Encoding.UTF8.GetBytes(chunk.ToString());
                _offset = 0;
            }

            int n = Math.Min(count, _pending.Length - _offset);
            Array.Copy(_pending, _offset, buffer, offset, n);
            _offset += n;
            Generated += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var array = new byte[buffer.Length];
            int n = Read(array, 0, array.Length);
            array.AsSpan(0, n).CopyTo(buffer.Span);
            return ValueTask.FromResult(n);
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Generated; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
