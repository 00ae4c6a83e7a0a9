using BenchmarkDotNet.Attributes;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Benchmarks;

/// <summary>
/// One month (2026-06) of the whole 100,000-measure tree: the engine against DuckDB, the named baseline.
/// Each benchmark runs in its own process, so each sets up only what it measures.
/// </summary>
[MemoryDiagnoser]
public class SnapshotBenchmarks : IDisposable
{
    public static readonly Period Month = Period.Month(2026, 6);
    private static readonly PeriodView View = new(Month);

    private ScorecardModel? _model;
    private DuckDbScorecard? _duck;

    private ScorecardEvaluation? _spent;

    [GlobalSetup(Targets = [nameof(Snapshot), nameof(SnapshotReusingArrays), nameof(EvaluateWithoutTrend)])]
    public void SetUpEngine()
    {
        _model = ScorecardModel.Build(SyntheticCompany.Build());
        _spent = _model.Evaluate(View);
    }

    /// <summary>Loads DuckDB and proves, before timing it, that it computes the engine's scores.</summary>
    [GlobalSetup(Target = nameof(DuckDbSnapshot))]
    public void SetUpDuckDb()
    {
        var data = SyntheticCompany.Build();
        _duck = DuckDbScorecard.Load(data);
        Console.WriteLine("// " + PeerAgreement.Verify(ScorecardModel.Build(data), _duck, Month));
        Console.WriteLine($"// DuckDB threads: {_duck.Threads()}");
    }

    [Benchmark(Baseline = true)]
    public double[] DuckDbSnapshot() => _duck!.Scores(Month);

    /// <summary>Scores, statuses and trend (the previous month is computed too).</summary>
    [Benchmark]
    public ScorecardEvaluation Snapshot() => _model!.Evaluate(View);

    /// <summary>The same, into the arrays of the previous run's evaluation (a caller that no longer needs it).</summary>
    [Benchmark]
    public ScorecardEvaluation SnapshotReusingArrays() => _spent = _model!.Evaluate(View, _spent!);

    [Benchmark]
    public ScorecardEvaluation EvaluateWithoutTrend() => _model!.EvaluateWithoutTrend(View);

    [GlobalCleanup]
    public void Dispose()
    {
        _duck?.Dispose();
        _duck = null;
        GC.SuppressFinalize(this);
    }
}
