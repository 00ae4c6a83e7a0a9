using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;

namespace OpenBsc.Application.Features.Scorecards;

/// <summary>
/// Which organisation's scorecard a key names. Keys are unique per organisation only; a signed-in user's queries see
/// their own organisation's scorecards alone (the query filter on scorecards), so there a key is never ambiguous.
/// Without a tenant (command line, background work) a key several organisations hold names the oldest
/// organisation's scorecard, the organisation the command line imports into.
/// </summary>
public static class ScorecardKeys
{
    /// <summary>The organisations holding a scorecard <paramref name="key"/> (archived ones included), oldest first.</summary>
    public static Task<List<StoredOrganisation>> HoldersAsync(OpenBscDbContext db, string key, CancellationToken cancellationToken = default) =>
        db.Organisations.AsNoTracking().Where(o => db.Scorecards.Any(s => s.OrganisationId == o.Id && s.Key == key))
            .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id).ToListAsync(cancellationToken);
}
