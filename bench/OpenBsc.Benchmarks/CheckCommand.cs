using System.Diagnostics;
using System.Globalization;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Benchmarks;

/// <summary>
/// <c>check</c>: quick sanity numbers without BenchmarkDotNet. Builds the synthetic company, proves the engine
/// and DuckDB agree, then prints the median of 10 single-shot timings of each workload (after at least 3 warm-up runs and 2 s).
/// </summary>
public static class CheckCommand
{
    private const int Runs = 10;
    private const int WarmUps = 3;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(2);

    public static int Run(int measures)
    {
        var clock = Stopwatch.StartNew();
        var data = SyntheticCompany.Build(measures);
        Console.WriteLine(Invariant($"generate   {clock.Elapsed.TotalSeconds,8:F2} s  ({data.Observations.Count:N0} observations, lazily listed)"));

        clock.Restart();
        var model = ScorecardModel.Build(data);
        Console.WriteLine(Invariant($"build      {clock.Elapsed.TotalSeconds,8:F2} s  ({model.Nodes.Count:N0} nodes, {model.ObservationCount:N0} observations)"));

        clock.Restart();
        using var duck = DuckDbScorecard.Load(data);
        Console.WriteLine(Invariant($"duckdb load{clock.Elapsed.TotalSeconds,8:F2} s  (appender; DuckDB threads: {duck.Threads()})"));
        data = null;

        Console.WriteLine(PeerAgreement.Verify(model, duck, SnapshotBenchmarks.Month));
        Console.WriteLine();

        var view = new PeriodView(SnapshotBenchmarks.Month);
        var snapshot = Measure(() => model.Evaluate(view));
        var spent = model.Evaluate(view);
        var reusing = Measure(() => spent = model.Evaluate(view, spent));
        var withoutTrend = Measure(() => model.EvaluateWithoutTrend(view));
        var trend = Measure(() => TrendBenchmarks.Run(model, withTrend: true));
        var trendWithout = Measure(() => TrendBenchmarks.Run(model, withTrend: false));
        var duckdb = Measure(() => duck.Scores(SnapshotBenchmarks.Month));

        Console.WriteLine(Invariant($"{Runs} runs each                median ms   min ms  alloc MiB  gen2 GCs  GC pause ms   target"));
        Row("snapshot (Evaluate)", snapshot, Invariant($"<= 50 ms: {Verdict(snapshot.Median <= 50)}"));
        Row("snapshot, arrays reused", reusing, string.Empty);
        Row("snapshot without trend", withoutTrend, string.Empty);
        Row("trend-24 (EvaluateSeries)", trend, Invariant($"<= 1000 ms: {Verdict(trend.Median <= 1000)}"));
        Row("trend-24 without trend", trendWithout, string.Empty);
        Row("duckdb snapshot (baseline)", duckdb, "(managed side only)");
        double ratio = duckdb.Median / snapshot.Median;
        Console.WriteLine(Invariant($"duckdb / snapshot: {ratio:F2}x (target >= 10x: {Verdict(ratio >= 10)}; issue 19: >= 25x: {Verdict(ratio >= 25)}); duckdb / snapshot, arrays reused: {duckdb.Median / reusing.Median:F2}x; duckdb / snapshot without trend: {duckdb.Median / withoutTrend.Median:F2}x"));
        GC.KeepAlive(model);
        return 0;
    }

    /// <summary>Per run: median and fastest time, managed bytes allocated, gen2 collections and GC pause time.</summary>
    private sealed record Timing(double Median, double Min, double AllocatedMiB, double Gen2, double PauseMs);

    private static Timing Measure(Func<object> run)
    {
        // Warm up long enough for tiered compilation to reach optimised code (a few runs are not enough).
        long warmUp = Stopwatch.GetTimestamp();
        for (int i = 0; i < WarmUps || Stopwatch.GetElapsedTime(warmUp) < WarmUpTime; i++)
        {
            GC.KeepAlive(run());
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        int gen2 = GC.CollectionCount(2);
        var pause = GC.GetTotalPauseDuration();
        var times = new double[Runs];
        for (int i = 0; i < Runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            GC.KeepAlive(run());
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        double allocatedMiB = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0 / Runs;
        double gen2PerRun = (GC.CollectionCount(2) - gen2) / (double)Runs;
        double pauseMs = (GC.GetTotalPauseDuration() - pause).TotalMilliseconds / Runs;
        Array.Sort(times);
        return new Timing((times[Runs / 2 - 1] + times[Runs / 2]) / 2, times[0], allocatedMiB, gen2PerRun, pauseMs);
    }

    private static void Row(string name, Timing t, string target) =>
        Console.WriteLine(Invariant($"{name,-28}{t.Median,10:F1}{t.Min,9:F1}{t.AllocatedMiB,11:F1}{t.Gen2,10:F2}{t.PauseMs,13:F1}   {target}"));

    private static string Verdict(bool met) => met ? "met" : "MISSED";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
