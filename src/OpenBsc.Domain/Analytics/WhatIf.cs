using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Domain.Analytics;

/// <summary>A hypothetical change to a scorecard, applied to a copy by <see cref="WhatIf"/>.</summary>
public abstract record WhatIfChange;

/// <summary>The measure's value for the period becomes <see cref="Value"/> (as a correction would: it supersedes any observation of that period).</summary>
public sealed record SetValue(string Measure, Period Period, double Value) : WhatIfChange;

/// <summary>The measure's target becomes <see cref="Value"/>: for <see cref="Period"/> only when given, otherwise the default target (per-period targets still win for their periods).</summary>
public sealed record SetTarget(string Measure, double Value, Period? Period = null) : WhatIfChange;

/// <summary>The constant weight of a perspective, objective or measure becomes <see cref="Weight"/> (≥ 0).</summary>
public sealed record SetWeight(string Node, double Weight) : WhatIfChange;

/// <summary>A node whose score (by more than <see cref="WhatIf.ScoreTolerance"/>) or status the changes altered.</summary>
public sealed record NodeChange(
    string Id,
    string Name,
    NodeKind Kind,
    double? ScoreBefore,
    double? ScoreAfter,
    Status? StatusBefore,
    Status? StatusAfter);

/// <summary>The outcome of a what-if: the changed copy (never stored) and every node that changed, in tree order.</summary>
public sealed record WhatIfResult(ScorecardData Changed, IReadOnlyList<NodeChange> Changes);

/// <summary>
/// The sandbox: applies changes to a copy of a scorecard (records copied with <c>with</c>; the input is never
/// modified), rebuilds the model, evaluates the period and compares with the original. Nothing is stored.
/// </summary>
public static class WhatIf
{
    /// <summary>Score differences up to this are rounding, not change.</summary>
    public const double ScoreTolerance = 1e-12;

    /// <summary>Evaluates <paramref name="view"/> before and after <paramref name="changes"/>, applied in order.</summary>
    /// <exception cref="ArgumentException">A change names an unknown measure or node, sets a calculated measure's value, or a negative weight.</exception>
    public static WhatIfResult Run(ScorecardData data, IReadOnlyList<WhatIfChange> changes, PeriodView view) =>
        Run([data], changes, view);

    /// <summary>
    /// As <see cref="Run(ScorecardData, IReadOnlyList{WhatIfChange}, PeriodView)"/> for a bundle (the root with the
    /// scorecards it cascades from); the changes apply to the root, <paramref name="bundle"/>[0].
    /// </summary>
    public static WhatIfResult Run(IReadOnlyList<ScorecardData> bundle, IReadOnlyList<WhatIfChange> changes, PeriodView view, IReadOnlyDictionary<string, string>? sourceAliases = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bundle.Count);
        var changed = Apply(bundle[0], changes);
        var before = ScorecardModel.Build(bundle, sourceAliases).EvaluateWithoutTrend(view);
        var after = ScorecardModel.Build([changed, .. bundle.Skip(1)], sourceAliases).EvaluateWithoutTrend(view);

        var differences = new List<NodeChange>();
        var nodes = before.Model.Nodes;
        for (int i = 0; i < before.Count; i++)
        {
            var (was, now) = (before[i], after[i]);
            if (Moved(was.Score, now.Score) || was.Status != now.Status)
            {
                differences.Add(new NodeChange(nodes[i].Id, nodes[i].Name, nodes[i].Kind, was.Score, now.Score, was.Status, now.Status));
            }
        }

        return new WhatIfResult(changed, differences);
    }

    /// <summary>
    /// Scores differ by more than rounding: 1e-12 absolute (a reweighted mean such as 3 · 0.8 / 3 may differ from 0.8
    /// in the last bit, which is no change). Gaining or losing a score is always a change.
    /// </summary>
    private static bool Moved(double? before, double? after) =>
        before is double b && after is double a ? Math.Abs(a - b) > ScoreTolerance : before.HasValue != after.HasValue;

    /// <summary>A copy of <paramref name="data"/> with <paramref name="changes"/> applied in order; <paramref name="data"/> is unchanged.</summary>
    public static ScorecardData Apply(ScorecardData data, IReadOnlyList<WhatIfChange> changes)
    {
        var card = data.Scorecard;
        var observations = new List<Observation>(data.Observations);
        foreach (var change in changes)
        {
            switch (change)
            {
                case SetValue set:
                    var measure = FindMeasure(card, set.Measure);
                    if (measure.IsCalculated)
                    {
                        throw new ArgumentException($"Measure '{set.Measure}' is calculated by a formula: change its inputs instead.", nameof(changes));
                    }

                    if (measure.IsSegmented)
                    {
                        throw new ArgumentException($"Measure '{set.Measure}' is tracked per segment: its value combines its segments' series, which a what-if cannot set yet.", nameof(changes));
                    }

                    if (!double.IsFinite(set.Value))
                    {
                        throw new ArgumentException($"The value for '{set.Measure}' must be a finite number.", nameof(changes));
                    }

                    // Appended last, it supersedes any earlier observation of the same period (a correction).
                    observations.Add(new Observation(set.Measure, set.Period, set.Value, "what-if"));
                    break;
                case SetTarget target:
                    FindMeasure(card, target.Measure);
                    card = MapMeasures(card, m => m.Id != target.Measure ? m : target.Period is { } period
                        ? m with { Targets = [.. m.Targets.Where(t => t.Period != period), new PeriodTarget(period, target.Value)] }
                        : m with { Target = target.Value });
                    break;
                case SetWeight weight:
                    if (!(weight.Weight >= 0) || double.IsInfinity(weight.Weight))
                    {
                        throw new ArgumentException($"The weight of '{weight.Node}' must be a finite number ≥ 0.", nameof(changes));
                    }

                    card = SetWeightOf(card, weight.Node, new Weight(weight.Weight));
                    break;
                default:
                    throw new ArgumentException($"Unknown change {change.GetType().Name}.", nameof(changes));
            }
        }

        return new ScorecardData(card, observations);
    }

    private static Measure FindMeasure(Scorecard card, string id) =>
        card.AllMeasures().FirstOrDefault(m => m.Id == id)
        ?? throw new ArgumentException($"'{id}' is not a measure of scorecard '{card.Id}'.", nameof(id));

    private static Scorecard SetWeightOf(Scorecard card, string id, Weight weight)
    {
        if (card.Perspectives.Any(p => p.Id == id))
        {
            return card with { Perspectives = [.. card.Perspectives.Select(p => p.Id == id ? p with { Weight = weight } : p)] };
        }

        if (card.AllObjectives().Any(o => o.Id == id))
        {
            return MapTree(card, o => o.Id == id ? o with { Weight = weight } : o, m => m);
        }

        if (card.AllMeasures().Any(m => m.Id == id))
        {
            return MapMeasures(card, m => m.Id == id ? m with { Weight = weight } : m);
        }

        throw new ArgumentException($"'{id}' is not a perspective, objective or measure of scorecard '{card.Id}'.", nameof(id));
    }

    private static Scorecard MapMeasures(Scorecard card, Func<Measure, Measure> measure) => MapTree(card, o => o, measure);

    /// <summary>The tree rebuilt bottom-up with <paramref name="objective"/> and <paramref name="measure"/> applied; untouched branches keep their instances.</summary>
    private static Scorecard MapTree(Scorecard card, Func<Objective, Objective> objective, Func<Measure, Measure> measure)
    {
        return card with { Perspectives = [.. card.Perspectives.Select(p => p with { Objectives = Map(p.Objectives) })] };

        IReadOnlyList<Objective> Map(IReadOnlyList<Objective> objectives)
        {
            var mapped = new Objective[objectives.Count];
            bool any = false;
            for (int i = 0; i < mapped.Length; i++)
            {
                var o = objectives[i];
                var subs = Map(o.Objectives);
                var measures = o.Measures.Select(measure).ToArray();
                var copy = ReferenceEquals(subs, o.Objectives) && measures.SequenceEqual(o.Measures, ReferenceEqualityComparer.Instance)
                    ? o
                    : o with { Objectives = subs, Measures = measures };
                mapped[i] = objective(copy);
                any |= !ReferenceEquals(mapped[i], o);
            }

            return any ? mapped : objectives;
        }
    }
}
