using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;

namespace OpenBsc.Application.Features.Security;

/// <summary>An account an owner field may name: its e-mail (what scorecard files keep) and its organisation role.</summary>
public sealed record OwnerAccount(string Email, AccessRole Role);

/// <summary>
/// The people of an organisation who can own items: its active accounts, by e-mail. Owner fields stay e-mail
/// addresses (scorecard files keep them); this says which of them are accounts, for the owner picker and the
/// "invite" action beside an address nobody has an account for. Read once per request.
/// </summary>
public sealed class OrganisationPeople(SystemDbContexts contexts)
{
    private readonly Dictionary<Guid, IReadOnlyList<OwnerAccount>> _read = [];

    /// <summary>The active accounts of the organisation with an e-mail, by e-mail.</summary>
    public async Task<IReadOnlyList<OwnerAccount>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        if (_read.TryGetValue(organisationId, out var known))
        {
            return known;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Users.AsNoTracking().Where(u => u.OrganisationId == organisationId && u.DisabledAt == null)
            .Select(u => new { u.UserName, u.Email, u.Role }).ToListAsync(cancellationToken);
        IReadOnlyList<OwnerAccount> people = [.. rows.Select(r => new OwnerAccount(r.Email ?? r.UserName ?? "", r.Role)).Where(p => p.Email.Contains('@', StringComparison.Ordinal))
            .OrderBy(p => p.Email, StringComparer.OrdinalIgnoreCase)];
        _read[organisationId] = people;
        return people;
    }

    /// <summary>The addresses of an owner field (several separated by , or ;), each with whether it is an active account of the organisation.</summary>
    public async Task<IReadOnlyList<(string Address, bool HasAccount)>> ResolveAsync(Guid organisationId, string? owner, CancellationToken cancellationToken = default)
    {
        var addresses = Addresses(owner);
        if (addresses.Count == 0)
        {
            return [];
        }

        var people = (await ListAsync(organisationId, cancellationToken)).Select(p => p.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. addresses.Select(a => (a, people.Contains(a)))];
    }

    /// <summary>The addresses of an owner field (several owners are separated by , or ;).</summary>
    public static IReadOnlyList<string> Addresses(string? owner) =>
        owner is null ? [] : owner.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
