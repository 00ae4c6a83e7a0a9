using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;

namespace OpenBsc.Testing;

public static class ScorecardLookup
{
    /// <summary>The scorecard <paramref name="key"/> as access control sees it, in the (oldest) organisation holding it.</summary>
    public static async Task<ScorecardRef?> ScorecardRefAsync(this IServiceProvider services, string key)
    {
        await using var db = await services.GetRequiredService<SystemDbContexts>().CreateDbContextAsync();
        var organisation = await db.Scorecards.AsNoTracking().Where(s => s.Key == key)
            .Join(db.Organisations, s => s.OrganisationId, o => o.Id, (s, o) => new { o.Id, o.CreatedAt })
            .OrderBy(o => o.CreatedAt).Select(o => (Guid?)o.Id).FirstOrDefaultAsync();
        return organisation is { } id ? await services.GetRequiredService<AccessQueries>().ScorecardAsync(id, key) : null;
    }
}
