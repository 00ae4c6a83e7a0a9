using System.Collections;
using System.Numerics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using static OpenBsc.Benchmarks.SyntheticCompany;

namespace OpenBsc.Benchmarks;

/// <summary>
/// The observations of a synthetic scorecard as a read-only list that makes each <see cref="Observation"/>
/// when asked for it. Holding 6 million observation records would cost ~350 MB before the engine even
/// starts; this list costs ~2 MB (a presence bit mask, offset, baseline and span per measure) and gives the
/// same observations, in the same order, on every enumeration.
/// </summary>
/// <remarks>
/// Order: by measure (depth first, as <see cref="Scorecard.AllMeasures"/>), then month. One in five measures
/// has gaps, each of its months missing with probability 10%: about 2% of all values are missing. A value is
/// baseline + p × (target − baseline) with p uniform in [−0.25, 1.25), so scores below 0 and above 1 get clamped.
/// </remarks>
public sealed class SyntheticObservations : IReadOnlyList<Observation>
{
    private readonly int _seed;
    private readonly string[] _ids;
    private readonly double[] _baseline;
    private readonly double[] _span;
    private readonly ulong[] _present; // bit k = month k has a value
    private readonly int[] _start; // observations of measure m: [_start[m], _start[m + 1])
    private readonly Period[] _months;

    public SyntheticObservations(Scorecard scorecard, int months, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(months);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(months, 64); // one presence bit per month in a ulong
        _seed = seed;
        _months = new Period[months];
        for (int k = 0; k < months; k++)
        {
            _months[k] = FirstMonth.Shift(k);
        }

        var measures = scorecard.AllMeasures().ToArray();
        _ids = new string[measures.Length];
        _baseline = new double[measures.Length];
        _span = new double[measures.Length];
        _present = new ulong[measures.Length];
        _start = new int[measures.Length + 1];
        ulong all = months == 64 ? ulong.MaxValue : (1UL << months) - 1;
        for (int m = 0; m < measures.Length; m++)
        {
            var measure = measures[m];
            _ids[m] = measure.Id;
            _baseline[m] = measure.Baseline ?? 0;
            _span[m] = (measure.Target ?? 0) - _baseline[m];
            ulong present = all;
            if (Unit(Mix(seed, Draw.HasGaps, m)) < 0.2)
            {
                for (int k = 0; k < months; k++)
                {
                    if (Unit(Mix(seed, Draw.Gap, m, k)) < 0.1)
                    {
                        present &= ~(1UL << k);
                    }
                }
            }

            _present[m] = present;
            _start[m + 1] = checked(_start[m] + BitOperations.PopCount(present));
        }
    }

    public int Count => _start[^1];

    /// <summary>Months per measure before gaps.</summary>
    public int Months => _months.Length;

    public Observation this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);

            // The last measure whose first observation is at or before index.
            int m = Array.BinarySearch(_start, index);
            m = m >= 0 ? m : ~m - 1;
            while (_start[m + 1] == index)
            {
                m++; // skip measures without any observation
            }

            ulong bits = _present[m];
            for (int skip = index - _start[m]; skip > 0; skip--)
            {
                bits &= bits - 1; // drop the lowest present month
            }

            return Make(m, BitOperations.TrailingZeroCount(bits));
        }
    }

    public IEnumerator<Observation> GetEnumerator()
    {
        for (int m = 0; m < _ids.Length; m++)
        {
            for (ulong bits = _present[m]; bits != 0; bits &= bits - 1)
            {
                yield return Make(m, BitOperations.TrailingZeroCount(bits));
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Observation Make(int m, int month)
    {
        double p = -0.25 + 1.5 * Unit(Mix(_seed, Draw.Value, m, month));
        double value = Math.Round(_baseline[m] + p * _span[m], 3);
        return new Observation(_ids[m], _months[month], value);
    }
}
