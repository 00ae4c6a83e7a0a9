using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;

namespace OpenBsc.Application.Features.Scorecards;

/// <summary>
/// One number that changes whenever any scorecard's definition or data changes: versions only grow, so their
/// sum does too. Caches that hold what was computed from the data compare it on every request, so a write
/// through any web node is seen by the next request on every node.
/// </summary>
public sealed class DataStamp(IDbContextFactory<OpenBscDbContext> contexts)
{
    // AccessQueries.StampsAsync reads the same sum beside the user's stamps (one round trip per request): keep the
    // two the same. Per instance, not static: a compiled query is bound to one model, and one process may hold a SQLite and a
    // PostgreSQL model (tests, db copy).
    private readonly Func<OpenBscDbContext, Task<long>> _query =
        EF.CompileAsyncQuery((OpenBscDbContext db) => db.Scorecards.Sum(s => s.Version + s.DataVersion + 1));

    public async Task<long> CurrentAsync()
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await _query(db);
    }
}
