using CsCheck;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;
using OpenBsc.Testing;

namespace OpenBsc.Domain.Tests;

/// <summary>
/// The month table and the simple-measure fast path must give exactly what the general path gives. An explicit
/// target for a far-away period (equal to the constant target) forces a measure onto the general path, and a day
/// observation decades earlier forces it out of the month table into the sparse arrays, without changing any number
/// in the views compared: the two evaluations of the same data must agree node by node.
/// </summary>
public class FastPathPropertyTests
{
    private static readonly Gen<(double Baseline, double Target, Direction Direction, Aggregation Aggregation, double?[] Values)> Measures =
        Gen.Select(Gen.Double[-100, 100], Gen.Double[-100, 100], Gen.Enum<Direction>().Where(d => d != Direction.Range), Gen.Enum<Aggregation>(),
                Gen.Double[-200, 200].Select(v => (double?)Math.Round(v, 2)).Array[6])
            .Where(m => Math.Abs(m.Item1 - m.Item2) > 1e-6);

    [Fact]
    public void FastPath_EqualsGeneralPath_ForEveryNodeAndView()
    {
        Gen.Select(Measures.Array[1, 6], Gen.Bool.Array[36], Gen.Int[0, 8]).Sample(sample =>
        {
            var (measures, gaps, periodPick) = sample;
            var fast = Build(measures, gaps, forceGeneral: false);
            var general = Build(measures, gaps, forceGeneral: true);
            string period = new[] { "2026-01", "2026-03", "2026-06", "2026-Q1", "2026-Q2", "2026-H1", "2026", "2025-12", "2026-07" }[periodPick];
            foreach (bool ytd in new[] { false, true })
            {
                var view = new PeriodView(Period.Parse(period), ytd);
                var a = ScorecardModel.Build(fast).Evaluate(view);
                var b = ScorecardModel.Build(general).Evaluate(view);
                for (int i = 0; i < a.Count; i++)
                {
                    // Targets of a coarser view are t × n on one path and t + t + … on the other: equal to the last bits.
                    Close(b[i].Value, a[i].Value);
                    Close(b[i].Target, a[i].Target);
                    Close(b[i].Progress, a[i].Progress);
                    Close(b[i].Performance, a[i].Performance);
                    Close(b[i].Score, a[i].Score);
                    Assert.Equal(b[i].Status, a[i].Status);
                    Assert.Equal(b[i].Trend, a[i].Trend);
                    Assert.Equal((b[i].ChildrenWithData, b[i].ChildrenTotal, b[i].Inherited), (a[i].ChildrenWithData, a[i].ChildrenTotal, a[i].Inherited));
                }
            }
        }, iter: 400);
    }

    private static void Close(double? expected, double? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is double e && actual is double x)
        {
            Assert.True(Math.Abs(e - x) <= 1e-9 * Math.Max(1, Math.Abs(e)), $"{x} differs from {e}");
        }
    }

    private static ScorecardData Build((double Baseline, double Target, Direction Direction, Aggregation Aggregation, double?[] Values)[] measures, bool[] gaps, bool forceGeneral)
    {
        var builder = new ScorecardBuilder().WithMeasures([.. measures.Select((m, i) => new Measure
        {
            Id = $"m{i}",
            Name = $"m{i}",
            Baseline = m.Baseline,
            Target = m.Target,
            Direction = m.Direction,
            Aggregation = m.Aggregation,
            Targets = forceGeneral ? [new PeriodTarget(Period.Parse("1999-01"), m.Target)] : [],
        })]);
        for (int i = 0; i < measures.Length; i++)
        {
            if (forceGeneral)
            {
                builder.WithObservation($"m{i}", "1999-01-01", 12345);
            }

            var period = Period.Parse("2026-01");
            for (int k = 0; k < measures[i].Values.Length; k++, period = period.Next())
            {
                if (!gaps[(i * 6 + k) % gaps.Length] && measures[i].Values[k] is double v)
                {
                    builder.WithObservation($"m{i}", period.ToString(), v);
                }
            }
        }

        return builder.Build();
    }
}
