using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Initiatives;

/// <summary>
/// The initiative money behind one item (an objective, a perspective or the whole scorecard).
/// <paramref name="Budget"/> and <paramref name="Actual"/> are sums of shares of initiative budgets and actual costs
/// (a missing amount counts as 0); <paramref name="Initiatives"/> counts the initiatives that contribute.
/// </summary>
public sealed record InitiativeCost(string Id, string Name, double Budget, double Actual, int Initiatives)
{
    /// <summary>Budget − actual: positive is under budget, negative over budget.</summary>
    public double Variance => Budget - Actual;

    /// <summary>Actual / budget (1 = exactly on budget); null without a budget.</summary>
    public double? Spent => Budget > 0 ? Actual / Budget : null;
}

/// <summary>The initiative cost of every objective and perspective of a scorecard, and of the scorecard.</summary>
/// <param name="Objectives">Every objective, depth first; an objective's cost includes its sub-objectives'.</param>
/// <param name="Perspectives">Every perspective, in the scorecard's order: the sum of its objectives.</param>
/// <param name="Total">Every initiative of the scorecard, linked or not.</param>
/// <param name="Unlinked">The initiatives linked to no objective (in the total, in no perspective).</param>
public sealed record InitiativeCostRollup(
    IReadOnlyList<InitiativeCost> Objectives,
    IReadOnlyList<InitiativeCost> Perspectives,
    InitiativeCost Total,
    InitiativeCost Unlinked)
{
    public InitiativeCost? Objective(string id) => Objectives.FirstOrDefault(o => o.Id == id);

    public InitiativeCost? Perspective(string id) => Perspectives.FirstOrDefault(p => p.Id == id);
}

/// <summary>
/// Rolls initiative budgets and actual costs up the scorecard tree (docs/decisions/0013): an initiative linked to n
/// objectives gives each an equal share (budget / n, actual / n), so that no money is counted twice and the
/// perspectives add up to the linked total; an objective's cost is its own share plus its sub-objectives' costs; a
/// perspective's is the sum of its objectives'. Ids that name no objective of the scorecard are ignored (the
/// validator reports them) and do not take a share.
/// </summary>
public static class InitiativeCosts
{
    public static InitiativeCostRollup Rollup(Scorecard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var known = card.AllObjectives().Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        // Own shares per objective id: (budget, actual, contributing initiatives).
        var own = new Dictionary<string, (double Budget, double Actual, HashSet<string> Initiatives)>(StringComparer.Ordinal);
        double unlinkedBudget = 0, unlinkedActual = 0;
        int unlinked = 0;
        foreach (var initiative in card.Initiatives)
        {
            var linked = initiative.Objectives.Where(known.Contains).Distinct(StringComparer.Ordinal).ToList();
            double budget = Amount(initiative.Budget), actual = Amount(initiative.ActualCost);
            if (linked.Count == 0)
            {
                unlinkedBudget += budget;
                unlinkedActual += actual;
                unlinked++;
                continue;
            }

            foreach (string id in linked)
            {
                var entry = own.TryGetValue(id, out var e) ? e : (Budget: 0.0, Actual: 0.0, Initiatives: new HashSet<string>(StringComparer.Ordinal));
                entry.Initiatives.Add(initiative.Id);
                own[id] = (entry.Budget + (budget / linked.Count), entry.Actual + (actual / linked.Count), entry.Initiatives);
            }
        }

        var objectives = new List<InitiativeCost>();
        var perspectives = new List<InitiativeCost>();
        foreach (var perspective in card.Perspectives)
        {
            var contributors = new HashSet<string>(StringComparer.Ordinal);
            double budget = 0, actual = 0;
            foreach (var objective in perspective.Objectives)
            {
                var (b, a) = Walk(objective, contributors);
                budget += b;
                actual += a;
            }

            perspectives.Add(new InitiativeCost(perspective.Id, perspective.Name, budget, actual, contributors.Count));
        }

        var total = new InitiativeCost(card.Id, card.Name, card.Initiatives.Sum(i => Amount(i.Budget)), card.Initiatives.Sum(i => Amount(i.ActualCost)), card.Initiatives.Count);
        return new InitiativeCostRollup(SortDepthFirst(card, objectives), perspectives, total,
            new InitiativeCost("unlinked", "Not linked to an objective", unlinkedBudget, unlinkedActual, unlinked));

        (double Budget, double Actual) Walk(Objective objective, HashSet<string> above)
        {
            var contributors = new HashSet<string>(StringComparer.Ordinal);
            double budget = 0, actual = 0;
            if (own.TryGetValue(objective.Id, out var mine))
            {
                budget += mine.Budget;
                actual += mine.Actual;
                contributors.UnionWith(mine.Initiatives);
            }

            foreach (var sub in objective.Objectives)
            {
                var (b, a) = Walk(sub, contributors);
                budget += b;
                actual += a;
            }

            objectives.Add(new InitiativeCost(objective.Id, objective.Name, budget, actual, contributors.Count));
            above.UnionWith(contributors);
            return (budget, actual);
        }
    }

    private static double Amount(double? amount) => amount is { } a && double.IsFinite(a) ? a : 0;

    // Walk adds a parent after its children; list them in the scorecard's own depth-first order instead.
    private static List<InitiativeCost> SortDepthFirst(Scorecard card, List<InitiativeCost> costs)
    {
        var byId = costs.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return [.. card.AllObjectives().Select(o => byId[o.Id]).DistinctBy(c => c.Id)];
    }
}
