using System.Diagnostics;
using System.Globalization;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Benchmarks;

/// <summary>
/// <c>profile</c>: builds the model, then evaluates the 2026-06 snapshot in a loop for a while, so that a
/// sampling profiler (perf with <c>DOTNET_PerfMapEnabled=1</c>, dotnet-trace) sees nothing but evaluation.
/// </summary>
public static class ProfileCommand
{
    public static int Run(int measures, double seconds = 30, bool withTrend = true, bool reuse = false)
    {
        var model = ScorecardModel.Build(SyntheticCompany.Build(measures));
        var view = new PeriodView(SnapshotBenchmarks.Month);
        GC.Collect();
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var spent = model.Evaluate(view);
        Console.WriteLine($"evaluating {(withTrend ? "with" : "without")} trend{(reuse ? ", reusing the arrays," : string.Empty)} for {seconds} s (pid {Environment.ProcessId})");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        int runs = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            spent = reuse ? model.Evaluate(view, spent) : withTrend ? model.Evaluate(view) : model.EvaluateWithoutTrend(view);
            runs++;
        }

        double ms = clock.Elapsed.TotalMilliseconds / runs;
        // CPU time (all threads, the GC's included) is steadier than wall time on a shared machine.
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / runs;
        double perRun = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)runs;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{runs} snapshots, {ms:F1} ms each ({cpuMs:F1} ms CPU), {perRun / 1048576:F1} MiB allocated each; collections per snapshot: gen0 {(GC.CollectionCount(0) - gen0) / (double)runs:F2}, gen1 {(GC.CollectionCount(1) - gen1) / (double)runs:F2}, gen2 {(GC.CollectionCount(2) - gen2) / (double)runs:F2}"));
        GC.KeepAlive(spent);
        return 0;
    }

    /// <summary>
    /// <c>profile-parse</c>: parses the stored definition (the scorecard file as JSON, as the database holds it) in a
    /// loop, the other half of a cold load beside reading the rows.
    /// </summary>
    public static int Parse(int measures, double seconds = 20)
    {
        var data = SyntheticCompany.Build(measures);
        string json = OpenBsc.Application.Features.ScorecardFiles.ScorecardFileWriter.ToJson(new OpenBsc.Domain.Scorecards.ScorecardData(data.Scorecard, []));
        Console.WriteLine($"parsing a {json.Length / 1024:N0} KiB definition for {seconds} s (pid {Environment.ProcessId})");
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        int runs = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            GC.KeepAlive(OpenBsc.Application.Features.ScorecardFiles.ScorecardFileReader.ParseStored(json, "profile"));
            runs++;
        }

        double perRun = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)runs;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{runs} parses, {clock.Elapsed.TotalMilliseconds / runs:F1} ms each, {perRun / 1048576:F1} MiB allocated each; collections per parse: gen0 {(GC.CollectionCount(0) - gen0) / (double)runs:F2}, gen1 {(GC.CollectionCount(1) - gen1) / (double)runs:F2}, gen2 {(GC.CollectionCount(2) - gen2) / (double)runs:F2}"));
        return 0;
    }
}
