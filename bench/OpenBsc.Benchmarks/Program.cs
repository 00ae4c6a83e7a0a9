using System.Globalization;
using BenchmarkDotNet.Running;
using OpenBsc.Benchmarks;

// dotnet run -c Release --project bench/OpenBsc.Benchmarks -- check [measures]
// dotnet run -c Release --project bench/OpenBsc.Benchmarks -- memory [measures]
// dotnet run -c Release --project bench/OpenBsc.Benchmarks -- profile [measures]   (for perf / dotnet-trace; profile-without-trend: EvaluateWithoutTrend; profile-reusing: Evaluate into the previous evaluation's arrays)
// dotnet run -c Release --project bench/OpenBsc.Benchmarks -- fingerprint [measures]   (a hash of every node's result over many views: must not change when the engine is only made faster)
// dotnet run -c Release --project bench/OpenBsc.Benchmarks -- profile-parse [measures]   (the stored definition parsed in a loop)
// dotnet run -c Release --project bench/OpenBsc.Benchmarks -- analyze [measures]   (all forecasts and 200 link checks)
// dotnet run -c Release --project bench/OpenBsc.Benchmarks -- import [rows] [--no-export]   (observations CSV import vs sqlite3 filling our schema; export)
// dotnet run -c Release --project bench/OpenBsc.Benchmarks -- --filter '*SnapshotBenchmarks*' --job short   (BenchmarkDotNet)
int measures = args.Length > 1 && !args[0].StartsWith("pg-", StringComparison.Ordinal) && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int m) ? m : 100_000;
return args.FirstOrDefault() switch
{
    "check" => CheckCommand.Run(measures),
    "memory" => MemoryCommand.Run(measures),
    "profile" => ProfileCommand.Run(measures),
    "profile-without-trend" => ProfileCommand.Run(measures, withTrend: false),
    "profile-reusing" => ProfileCommand.Run(measures, reuse: true),
    "fingerprint" => FingerprintCommand.Run(args.Length > 1 ? measures : 20_000),
    "profile-parse" => ProfileCommand.Parse(args.Length > 1 ? measures : 5_000),
    "analyze" => AnalyzeCommand.Run(measures),
    "import" => ImportCommand.Run(args.Length > 1 && args[1] != "--no-export" ? measures : 1_000_000, export: !args.Contains("--no-export")),
    // dotnet run -c Release --project bench/OpenBsc.Benchmarks -- pg-import "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres" [rows]
    "pg-import" => PostgresCommands.Import(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000),
    // dotnet run -c Release --project bench/OpenBsc.Benchmarks -- pg-load "Host=…" [measures] [database] [--demo]
    "pg-load" => PostgresCommands.Load(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5_000, args.Length > 3 ? args[3] : "openbsc_bench_load", args.Contains("--demo")),
    // dotnet run -c Release --project bench/OpenBsc.Benchmarks -- org-page sqlite|"Host=…" [scorecards] [measures]   (the organisation page, page cache off)
    "org-page" => OrgPageCommand.Run(args.Length > 1 ? args[1] : "sqlite", args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000, args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 50),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(SnapshotBenchmarks).Assembly).Run(args);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
