using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Customers;

/// <summary>
/// What a scorecard's customer perspective measures (SCORING.md §8): which of the four customer concerns, whether it
/// has outcome measures (the results) and value-proposition measures (the drivers), and what is missing.
/// </summary>
public sealed record CustomerCoverage(
    string? PerspectiveId,
    IReadOnlyList<CustomerConcern> Concerns,
    IReadOnlyList<CustomerConcern> MissingConcerns,
    IReadOnlyList<CustomerOutcome> Outcomes,
    IReadOnlyList<ValueProposition> ValuePropositions,
    IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// Checks the customer perspective: the perspective whose id or name says "customer" (the first such), else the
    /// one with the most measures tagged with a concern, outcome or value-proposition attribute. Measures of its
    /// sub-objectives count. Warnings name each missing concern and a perspective with results but no drivers (or the reverse).
    /// </summary>
    public static CustomerCoverage Check(Scorecard scorecard)
    {
        var perspective = scorecard.Perspectives.FirstOrDefault(p => Says(p.Id) || Says(p.Name))
            ?? scorecard.Perspectives
                .Select(p => (Perspective: p, Tagged: Measures(p).Count(IsTagged)))
                .Where(x => x.Tagged > 0)
                .OrderByDescending(x => x.Tagged)
                .Select(x => x.Perspective)
                .FirstOrDefault();
        if (perspective is null)
        {
            return new CustomerCoverage(null, [], [.. Enum.GetValues<CustomerConcern>()], [], [], ["no customer perspective: no perspective is named Customer and no measure carries a customer concern, outcome or value-proposition attribute"]);
        }

        var measures = Measures(perspective).ToList();
        var concerns = measures.Select(m => m.Concern).OfType<CustomerConcern>().Distinct().Order().ToList();
        var missing = Enum.GetValues<CustomerConcern>().Except(concerns).ToList();
        var outcomes = measures.Select(m => m.Outcome).OfType<CustomerOutcome>().Distinct().Order().ToList();
        var propositions = measures.Select(m => m.ValueProposition).OfType<ValueProposition>().Distinct().Order().ToList();

        var warnings = new List<string>();
        foreach (var concern in missing)
        {
            warnings.Add($"customer perspective '{perspective.Name}' measures no {Describe(concern)} concern: customers judge {Example(concern)}");
        }

        if (outcomes.Count > 0 && propositions.Count == 0)
        {
            warnings.Add($"customer perspective '{perspective.Name}' has only outcome measures ({string.Join(", ", outcomes.Select(Word))}) and no drivers: add value-proposition measures (price, quality, time, functionality, service, relationship, image) that lead to them");
        }
        else if (propositions.Count > 0 && outcomes.Count == 0)
        {
            warnings.Add($"customer perspective '{perspective.Name}' has drivers but no outcome measures: add retention, satisfaction, acquisition, market share, account share or profitability");
        }
        else if (outcomes.Count == 0 && propositions.Count == 0)
        {
            warnings.Add($"customer perspective '{perspective.Name}' has no measure marked as an outcome or a value-proposition attribute");
        }

        return new CustomerCoverage(perspective.Id, concerns, missing, outcomes, propositions, warnings);
    }

    private static bool Says(string text) => text.Contains("customer", StringComparison.OrdinalIgnoreCase);

    private static bool IsTagged(Measure m) => m.Concern is not null || m.Outcome is not null || m.ValueProposition is not null;

    private static IEnumerable<Measure> Measures(Perspective perspective) =>
        Walk(perspective.Objectives).SelectMany(o => o.Measures);

    private static IEnumerable<Objective> Walk(IEnumerable<Objective> objectives) =>
        objectives.SelectMany(o => Walk(o.Objectives).Prepend(o));

    public static string Describe(CustomerConcern concern) => concern switch
    {
        CustomerConcern.Time => "time",
        CustomerConcern.Quality => "quality",
        CustomerConcern.PerformanceService => "performance & service",
        _ => "cost",
    };

    private static string Example(CustomerConcern concern) => concern switch
    {
        CustomerConcern.Time => "how long they wait (e.g. response time, on-time delivery)",
        CustomerConcern.Quality => "defects and rework (e.g. complaints, returns, first-contact resolution)",
        CustomerConcern.PerformanceService => "what the product and service do for them (e.g. NPS, service level)",
        _ => "what it costs them to buy and use (e.g. cost to serve, price competitiveness)",
    };

    private static string Word(CustomerOutcome outcome) => outcome switch
    {
        CustomerOutcome.MarketShare => "market share",
        CustomerOutcome.AccountShare => "account share",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
