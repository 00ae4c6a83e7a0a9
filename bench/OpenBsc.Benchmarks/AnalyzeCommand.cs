using System.Diagnostics;
using System.Globalization;
using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Benchmarks;

/// <summary>
/// <c>analyze</c>: <see cref="ScorecardAnalysis.Run"/> on the synthetic company with a 200-link strategy map
/// between objectives (seeded) — every forecast, link check and detected tension (target ≤ 10 s).
/// </summary>
public static class AnalyzeCommand
{
    public static int Run(int measures, int linkCount = 200)
    {
        var clock = Stopwatch.StartNew();
        var data = SyntheticCompany.Build(measures);
        var model = ScorecardModel.Build(data);
        Console.WriteLine(Invariant($"build      {clock.Elapsed.TotalSeconds,8:F2} s  ({model.Nodes.Count:N0} nodes, {model.ObservationCount:N0} observations)"));

        var objectives = model.Nodes.Where(n => n.Kind == NodeKind.Objective).Select(n => n.Id).ToArray();
        var random = new Random(7);
        var links = new List<CauseEffectLink>();
        while (links.Count < linkCount)
        {
            string a = objectives[random.Next(objectives.Length)], b = objectives[random.Next(objectives.Length)];
            if (a != b)
            {
                links.Add(new CauseEffectLink(a, b));
            }
        }

        var card = data.Scorecard with { Links = links };
        for (int run = 1; run <= 3; run++)
        {
            clock.Restart();
            var analysis = ScorecardAnalysis.Run(model, card, Period.Month(2026, 6));
            double seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(Invariant($"analyze #{run} {seconds,7:F2} s  ({analysis.Forecasts.Count:N0} forecasts, {analysis.Links.Count} link checks, {analysis.Tensions.Count} detected tensions; target <= 10 s: {(seconds <= 10 ? "met" : "MISSED")})"));
        }

        return 0;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
