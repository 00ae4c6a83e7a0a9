using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Validation;

namespace OpenBsc.Application.Features.Security;

/// <summary>
/// Refuses an owner e-mail that belongs to an account of another organisation: its items would be listed, reminded
/// and "owned" across organisations. An address with no account at all stays allowed (the owner picker offers to
/// invite it), and so does one with an account in this organisation too. Only owners a change sets are checked: a
/// definition saved before this rule keeps its owners when something else is edited.
/// </summary>
public static class ForeignOwners
{
    /// <summary>The owner fields of <paramref name="card"/> naming another organisation's account, each with its path in the file.</summary>
    public static async Task<IReadOnlyList<DefinitionError>> OfAsync(OpenBscDbContext db, Guid organisationId, Scorecard card, Scorecard? before, CancellationToken cancellationToken)
    {
        var kept = before is null ? [] : Fields(before).SelectMany(f => OrganisationPeople.Addresses(f.Owner)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fields = Fields(card).Select(f => (f.Path, Addresses: OrganisationPeople.Addresses(f.Owner).Where(a => !kept.Contains(a)).ToList()))
            .Where(f => f.Addresses.Count > 0).ToList();
        var foreign = await ForeignAsync(db, organisationId, fields.SelectMany(f => f.Addresses), cancellationToken);
        return [.. fields.SelectMany(f => f.Addresses.Where(foreign.Contains).Select(a => new DefinitionError(f.Path, Message(a))))];
    }

    /// <summary>The problem with an owner field (an action's), or null when none of its addresses is another organisation's account.</summary>
    public static async Task<string?> ProblemAsync(OpenBscDbContext db, Guid organisationId, string? owner, CancellationToken cancellationToken)
    {
        var addresses = OrganisationPeople.Addresses(owner);
        var foreign = await ForeignAsync(db, organisationId, addresses, cancellationToken);
        return addresses.FirstOrDefault(foreign.Contains) is { } address ? Message(address) : null;
    }

    /// <summary>Says what is wrong and what to do, without saying which organisation the account belongs to.</summary>
    public static string Message(string address) =>
        $"'{address}' is the e-mail of an account in another organisation: an owner must be a person of this organisation (choose one, or an address without an account to invite)";

    private static async Task<HashSet<string>> ForeignAsync(OpenBscDbContext db, Guid organisationId, IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        var normalized = addresses.Select(a => a.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (normalized.Count == 0)
        {
            return [];
        }

        var accounts = await db.Users.AsNoTracking()
            .Where(u => normalized.Contains(u.NormalizedEmail!) || normalized.Contains(u.NormalizedUserName!))
            .Select(u => new { u.OrganisationId, u.NormalizedEmail, u.NormalizedUserName }).ToListAsync(cancellationToken);
        var ours = accounts.Where(a => a.OrganisationId == organisationId).SelectMany(a => new[] { a.NormalizedEmail, a.NormalizedUserName }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return accounts.Where(a => a.OrganisationId != organisationId).SelectMany(a => new[] { a.NormalizedEmail, a.NormalizedUserName }).OfType<string>()
            .Where(n => normalized.Contains(n) && !ours.Contains(n)).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every owner field of a scorecard with its path, as validation errors name them.</summary>
    private static IEnumerable<(string Path, string? Owner)> Fields(Scorecard card)
    {
        for (int p = 0; p < card.Perspectives.Count; p++)
        {
            for (int o = 0; o < card.Perspectives[p].Objectives.Count; o++)
            {
                foreach (var field in Objective(card.Perspectives[p].Objectives[o], $"scorecard.perspectives[{p}].objectives[{o}]"))
                {
                    yield return field;
                }
            }
        }

        for (int i = 0; i < card.Initiatives.Count; i++)
        {
            yield return ($"scorecard.initiatives[{i}].owner", card.Initiatives[i].Owner);
        }

        for (int i = 0; i < card.Risks.Count; i++)
        {
            yield return ($"scorecard.risks[{i}].owner", card.Risks[i].Owner);
        }
    }

    private static IEnumerable<(string Path, string? Owner)> Objective(Objective objective, string path)
    {
        yield return ($"{path}.owner", objective.Owner);
        for (int m = 0; m < objective.Measures.Count; m++)
        {
            yield return ($"{path}.measures[{m}].owner", objective.Measures[m].Owner);
        }

        for (int i = 0; i < objective.Objectives.Count; i++)
        {
            foreach (var field in Objective(objective.Objectives[i], $"{path}.objectives[{i}]"))
            {
                yield return field;
            }
        }
    }
}
