using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Benchmarks;

/// <summary>
/// <c>import [rows]</c>: observation files at scale. Writes a CSV of <c>rows</c> observations (default 1,000,000:
/// 1,000 measures × 1,000 days), imports it into a fresh SQLite database with <see cref="ObservationImport"/>, then
/// loads the same file with the <c>sqlite3</c> shell: into a copy of our schema (the named peer, issue 19: the same
/// table, indexes and WAL journal, filled by <c>.import</c> and <c>INSERT … SELECT</c>) and, for reference, into a plain
/// table; then exports the rows again as CSV and XLSX (unless <c>--no-export</c>). Prints times, the speed ratio to the
/// peer, peak working set and bytes allocated per phase.
/// </summary>
public static class ImportCommand
{
    /// <summary>Target (issue 19): our import at least 0.8× as fast as sqlite3 filling our schema, and at most 3 s for 1M rows.</summary>
    public const double TargetRatio = 0.8;

    public const double TargetSecondsPerMillion = 3;

    public static int Run(int rows, bool export = true)
    {
        string dir = Directory.CreateTempSubdirectory("openbsc-bench-import-").FullName;
        try
        {
            return RunIn(dir, rows, export);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int RunIn(string dir, int rows, bool exportToo)
    {
        const int Measures = 1_000;
        string csv = Path.Combine(dir, "observations.csv");
        WriteCsv(csv, rows, Measures);
        Console.WriteLine(Invariant($"{rows:N0} observations, {new FileInfo(csv).Length / 1048576.0:N1} MiB of CSV"));

        var database = DatabaseOptions.ForDataDirectory(Path.Combine(dir, "data"));
        DatabaseSetup.Prepare(database, create: true);
        using var services = new ServiceCollection().AddOpenBscData(database).BuildServiceProvider();
        var card = Flat("bench", Measures);
        services.GetRequiredService<ScorecardImport>().ImportAsync([new ScorecardData(card, [])], new Dictionary<string, string>(), "Bench", "bench", "bench").GetAwaiter().GetResult();

        // The second peer inserts into a copy of this very schema (indexes, AUTOINCREMENT): the floor of the storage design.
        SqliteConnection.ClearAllPools();
        string schemaCopy = Path.Combine(dir, "peer-schema.db");
        using (var connection = new SqliteConnection(database.ConnectionString))
        {
            connection.Open();
            using var vacuum = connection.CreateCommand();
            vacuum.CommandText = $"VACUUM INTO '{schemaCopy}'";
            vacuum.ExecuteNonQuery();
        }

        var import = services.GetRequiredService<ObservationImport>();
        var (result, ours) = Measure(() =>
        {
            using var file = File.OpenRead(csv);
            return import.ImportAsync("bench", file, ObservationFileFormat.Csv, "observations.csv", "bench").GetAwaiter().GetResult();
        });
        if (!result.Succeeded)
        {
            Console.Error.WriteLine($"import failed: {result.Refusal?.Message} {string.Join("; ", result.Errors.Take(5).Select(e => e.Format(csv)))}");
            return 1;
        }

        var (peer, peerCpu) = Sqlite3(Path.Combine(dir, "peer.db"), $".import --csv {csv} observations");
        // VACUUM INTO writes a rollback-journal database; ours runs in WAL (DatabaseSetup), so the peer does too.
        var (schemaPeer, schemaPeerCpu) = Sqlite3(
            schemaCopy,
            "PRAGMA journal_mode = WAL",
            $".import --csv {csv} incoming",
            "PRAGMA cache_size = -65536",
            "BEGIN",
            """
            INSERT INTO observations (OrganisationId, ScorecardId, MeasureKey, Segment, Period, PeriodStart, Value, Note, EnteredBy, EnteredAt)
            SELECT s.OrganisationId, s.Id, i.measure, NULL, i.period, CAST(julianday(i.period) - 1721425.5 AS INTEGER), CAST(i.value AS REAL), NULLIF(i.note, ''), 'bench', '2026-01-01 00:00:00'
            FROM incoming i, scorecards s WHERE s.Key = 'bench'
            """,
            "COMMIT");
        Console.WriteLine(Invariant($"import   ours {ours}"));
        Console.WriteLine(Invariant($"         peer: sqlite3 .import + INSERT…SELECT into a copy of our schema (same indexes, WAL) {schemaPeer:F2} s ({schemaPeerCpu:F2} s CPU), {rows / schemaPeer:N0} rows/s"));
        double ratio = schemaPeer / ours.Seconds;
        // On a shared machine wall time depends on what else runs; CPU time (user + system) does much less.
        double cpuRatio = schemaPeerCpu / ours.CpuSeconds;
        double seconds = ours.Seconds * 1_000_000 / rows;
        bool met = ratio >= TargetRatio && seconds <= TargetSecondsPerMillion;
        Console.WriteLine(Invariant($"         speed ratio ours / peer = {ratio:F2} by wall time, {cpuRatio:F2} by CPU time (target ≥ {TargetRatio}); {seconds:F2} s per million rows (target ≤ {TargetSecondsPerMillion} s)"));
        Console.WriteLine(Invariant($"         for reference, sqlite3 .import into a plain table (no indexes, no history) {peer:F2} s ({peerCpu:F2} s CPU): ours is {peer / ours.Seconds:F2}× of it"));
        if (!exportToo)
        {
            return met ? 0 : 1;
        }

        var export = services.GetRequiredService<ObservationExport>();
        foreach (var format in new[] { ObservationFileFormat.Csv, ObservationFileFormat.Xlsx })
        {
            string output = Path.Combine(dir, "export." + format.ToString().ToLowerInvariant());
            var (count, phase) = Measure(() =>
            {
                using var file = File.Create(output);
                return export.ExportAsync("bench", file, format, history: false).GetAwaiter().GetResult();
            });
            Console.WriteLine(Invariant($"export {format,-4} {phase}; {count:N0} rows, {new FileInfo(output).Length / 1048576.0:N1} MiB"));
        }

        return met ? 0 : 1;
    }

    /// <summary>A scorecard of <paramref name="measures"/> measures m0, m1, … under one objective (baseline 0, target 100).</summary>
    internal static Scorecard Flat(string id, int measures) => new()
    {
        Id = id,
        Name = id,
        Perspectives =
        [
            new Perspective
            {
                Id = "p",
                Name = "p",
                Objectives = [new Objective { Id = "o", Name = "o", Measures = [.. Enumerable.Range(0, measures).Select(i => new Measure { Id = $"m{i}", Name = $"m{i}", Baseline = 0, Target = 100 })] }],
            },
        ],
    };

    private sealed record Phase(double Seconds, double CpuSeconds, long Rows, long Allocated, long PeakWorkingSet)
    {
        public override string ToString() => Invariant($"{Seconds:F2} s ({CpuSeconds:F2} s CPU), {Rows / Seconds:N0} rows/s, allocated {Allocated / 1048576.0:N0} MiB, peak working set {PeakWorkingSet / 1048576.0:N0} MiB");
    }

    private static (T Result, Phase Phase) Measure<T>(Func<T> run)
    {
        GC.Collect();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = run();
        double seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        long rows = result switch
        {
            ObservationImportResult r => r.Summary?.Rows ?? 0,
            long n => n,
            _ => 0,
        };
        return (result, new Phase(seconds, (process.TotalProcessorTime - cpu).TotalSeconds, rows, GC.GetTotalAllocatedBytes(precise: true) - allocated, process.PeakWorkingSet64));
    }

    /// <summary>Measure m0…m999 over consecutive days from 2000-01-01, a note on one row in ten.</summary>
    private static void WriteCsv(string path, int rows, int measures)
    {
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
        writer.Write("measure,period,value,note\n");
        var first = new DateOnly(2000, 1, 1);
        for (int i = 0; i < rows; i++)
        {
            writer.Write(Invariant($"m{i % measures},{first.AddDays(i / measures):yyyy-MM-dd},{i % 9973 * 0.25},{(i % 10 == 0 ? "checked" : "")}\n"));
        }
    }

    /// <summary>Runs sqlite3 under /usr/bin/time: wall seconds and CPU seconds (user + system) of the child.</summary>
    private static (double Seconds, double CpuSeconds) Sqlite3(string database, params string[] commands)
    {
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add("cpu %U %S");
        start.ArgumentList.Add("sqlite3");
        start.ArgumentList.Add(database);
        foreach (string command in commands)
        {
            start.ArgumentList.Add(command);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("sqlite3 did not start");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"sqlite3 .import failed: {error}");
        }

        string[] cpu = error.Trim().Split('\n')[^1].Split(' ');
        return (clock.Elapsed.TotalSeconds, double.Parse(cpu[1], CultureInfo.InvariantCulture) + double.Parse(cpu[2], CultureInfo.InvariantCulture));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
