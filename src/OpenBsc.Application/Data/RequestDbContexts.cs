using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using OpenBsc.Application.Features.Security;

namespace OpenBsc.Application.Data;

/// <summary>
/// The one pool of contexts. Pooled contexts are reused, so whatever hands one out sets its request context every
/// time (never the previous user's organisation); the pool itself is reachable only through the two factories below.
/// </summary>
internal sealed class ContextPool(PooledDbContextFactory<OpenBscDbContext> pool)
{
    public OpenBscDbContext Create(RequestContext request)
    {
        var db = pool.CreateDbContext();
        db.Request = request;
        return db;
    }

    public async Task<OpenBscDbContext> CreateAsync(RequestContext request, CancellationToken cancellationToken)
    {
        var db = await pool.CreateDbContextAsync(cancellationToken);
        db.Request = request;
        return db;
    }
}

/// <summary>
/// The scope's contexts (the <see cref="IDbContextFactory{TContext}"/> every feature service takes): each carries the
/// scope's <see cref="RequestContext"/>, so queries see the request's organisation and changes name its actor.
/// </summary>
internal sealed class RequestDbContexts(ContextPool pool, RequestContext request) : IDbContextFactory<OpenBscDbContext>
{
    public OpenBscDbContext CreateDbContext() => pool.Create(request);

    public Task<OpenBscDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => pool.CreateAsync(request, cancellationToken);
}

/// <summary>
/// Contexts for shared caches that serve every organisation (access checks, scorecard snapshots): no organisation
/// filter and the actor "system". What they read is keyed by organisation or by id explicitly.
/// </summary>
public sealed class SystemDbContexts
{
    private readonly ContextPool _pool;

    internal SystemDbContexts(ContextPool pool) => _pool = pool;

    public Task<OpenBscDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => _pool.CreateAsync(RequestContext.System, cancellationToken);
}
