using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Benchmarks;

/// <summary>
/// <c>fingerprint</c>: a SHA-256 of every node's result (every number in round-trip form, statuses, trends, counts,
/// coverage) for many views of the synthetic company under each missing-data policy, through <c>Evaluate</c>,
/// <c>EvaluateWithoutTrend</c> and <c>EvaluateSeries</c>. A change that must keep every number identical (a faster
/// engine) prints the same lines before and after.
/// </summary>
public static class FingerprintCommand
{
    private static readonly string[] Periods =
        ["2022-01", "2023-07", "2025-12", "2026-01", "2026-06", "2026-07", "2027-01", "2026-Q1", "2026-Q3", "2026-H2", "2025", "2026"];

    public static int Run(int measures)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var data = SyntheticCompany.Build(measures, levels: 4, months: 60, seed: 3);
        foreach (var missing in new[] { MissingDataPolicy.Ignore, MissingDataPolicy.Zero, MissingDataPolicy.Strict })
        {
            var model = ScorecardModel.Build(data with { Scorecard = data.Scorecard with { Missing = missing } });
            using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (string text in Periods)
            {
                foreach (bool ytd in new[] { false, true })
                {
                    foreach (DateOnly? today in new DateOnly?[] { null, new DateOnly(2026, 8, 14) })
                    {
                        var view = new PeriodView(Period.Parse(text), ytd, today);
                        Add(all, model.Evaluate(view));
                        Add(all, model.EvaluateWithoutTrend(view));
                        foreach (var evaluation in model.EvaluateSeries(view, 2))
                        {
                            Add(all, evaluation);
                        }
                    }
                }
            }

            Console.WriteLine($"{missing,-7} {Convert.ToHexString(all.GetHashAndReset())}");
        }

        return 0;
    }

    private static void Add(IncrementalHash hash, ScorecardEvaluation evaluation)
    {
        var text = new StringBuilder();
        for (int i = 0; i < evaluation.Count; i++)
        {
            text.Append(evaluation[i].ToString()).Append('\n');
        }

        hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
