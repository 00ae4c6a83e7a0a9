using OpenBsc.Benchmarks;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Domain.Tests;

/// <summary>
/// An evaluation's arrays are allocated without zeroing, and <see cref="ScorecardModel.Evaluate(PeriodView, ScorecardEvaluation)"/>
/// reuses a spent evaluation's: every evaluation must write every node of every array, whatever was there before,
/// and a spent evaluation must never show the numbers of the one that took its arrays.
/// </summary>
public class EvaluationReuseTests
{
    // A month with data (the simple-measure loop), months with none (before and after the data), quarters, a year.
    private static readonly string[] Periods = ["2026-06", "2030-01", "2026-Q2", "2021-12", "2026", "2026-07", "2024-02"];

    [Fact]
    public void Evaluate_IntoASpentEvaluation_EqualsAFreshEvaluation_InEveryView()
    {
        var model = ScorecardModel.Build(SyntheticCompany.Build(measures: 1_000, levels: 3, months: 60, seed: 5));
        var spent = model.EvaluateSeries(new PeriodView(Period.Parse("2026-05")), 1)[0];
        foreach (string text in Periods)
        {
            foreach (bool ytd in new[] { false, true })
            {
                foreach (DateOnly? today in new DateOnly?[] { null, new DateOnly(2026, 6, 14) })
                {
                    var view = new PeriodView(Period.Parse(text), ytd, today);
                    var fresh = model.Evaluate(view);
                    var reused = model.Evaluate(view, spent);
                    for (int i = 0; i < fresh.Count; i++)
                    {
                        Assert.Equal(fresh[i], reused[i]);
                    }

                    spent = reused;
                }
            }
        }
    }

    [Fact]
    public void ASpentEvaluation_CannotBeRead_NorSpentTwice_NorByAnotherModel()
    {
        var data = SyntheticCompany.Build(measures: 100, levels: 2, months: 12, seed: 5);
        var model = ScorecardModel.Build(data);
        var view = new PeriodView(Period.Parse("2022-06"));
        var spent = model.Evaluate(view);
        Assert.Throws<ArgumentException>(() => ScorecardModel.Build(data).Evaluate(view, spent));
        double root = spent[0].Score!.Value;

        var next = model.Evaluate(view.Previous(), spent);

        Assert.Throws<ObjectDisposedException>(() => spent[0]);
        Assert.Throws<ObjectDisposedException>(() => spent.Scores.Length);
        Assert.Throws<ObjectDisposedException>(() => model.Evaluate(view, spent));
        Assert.Equal(model.Evaluate(view.Previous())[0], next[0]);
        Assert.Equal(root, model.Evaluate(view, next)[0].Score);
    }
}
