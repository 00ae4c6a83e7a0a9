using BenchmarkDotNet.Attributes;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Benchmarks;

/// <summary>A 24-month trend chart of the whole tree: one evaluation per month, 2025-01 to 2026-12.</summary>
[MemoryDiagnoser]
public class TrendBenchmarks
{
    public static readonly Period FirstMonth = Period.Month(2025, 1);
    public const int Months = 24;

    private ScorecardModel? _model;

    [GlobalSetup]
    public void SetUp() => _model = ScorecardModel.Build(SyntheticCompany.Build());

    /// <summary>The 24 months with their trends, as a chart asks for them: <see cref="ScorecardModel.EvaluateSeries"/> (25 passes).</summary>
    [Benchmark]
    public double Trend24() => Run(_model!, withTrend: true);

    /// <summary>24 × <see cref="ScorecardModel.EvaluateWithoutTrend"/>.</summary>
    [Benchmark]
    public double Trend24WithoutTrend() => Run(_model!, withTrend: false);

    /// <summary>Evaluates the 24 months; returns the sum of root scores so the work cannot be skipped.</summary>
    public static double Run(ScorecardModel model, bool withTrend)
    {
        double sum = 0;
        if (withTrend)
        {
            foreach (var evaluation in model.EvaluateSeries(new PeriodView(FirstMonth), Months))
            {
                sum += evaluation.Scores[0];
            }

            return sum;
        }

        var month = FirstMonth;
        for (int i = 0; i < Months; i++, month = month.Next())
        {
            var view = new PeriodView(month);
            var evaluation = model.EvaluateWithoutTrend(view);
            sum += evaluation.Scores[0];
        }

        return sum;
    }
}
