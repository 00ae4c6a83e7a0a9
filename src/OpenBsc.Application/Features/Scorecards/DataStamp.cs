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
    private static readonly Func<OpenBscDbContext, Task<long>> Query =
        EF.CompileAsyncQuery((OpenBscDbContext db) => db.Scorecards.Sum(s => s.Version + s.DataVersion + 1));

    public async Task<long> CurrentAsync()
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await Query(db);
    }
}
