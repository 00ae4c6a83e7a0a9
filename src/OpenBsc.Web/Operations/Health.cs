using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenBsc.Application;
using OpenBsc.Application.Data;
using OpenBsc.Web.Security;

namespace OpenBsc.Web.Operations;

/// <summary>
/// For load balancers and operators (docs/operations.md): <c>/healthz</c> says the process answers, <c>/readyz</c> that
/// it can serve (the database answers and no migration is pending); <c>/api/v1/version</c> names the build.
/// </summary>
public static class Health
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddOpenBscHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseReadiness>("database", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // Probes come every few seconds without a cookie: answered at routing, before sign-in, access and page cache.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .ShortCircuit().RequireAccess(AccessScope.Public);
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .ShortCircuit().RequireAccess(AccessScope.Public);
        // The build only for signed-in callers: an anonymous one learns nothing about it (ASVS 5.0 V13.4.6).
        app.MapGet("/api/v1/version", () => new VersionInfo(AppVersion.Release, AppVersion.Commit, AppVersion.Full))
            .WithTags("Operations").WithName("GetVersion").WithSummary("The version of OpenBsc serving this request (also shown by openbsc --version and in the page footer).")
            .RequireAccess(AccessScope.SignedIn);
        return app;
    }

    /// <summary>The running build: the release number, the commit it was built from (null outside git) and both together.</summary>
    public sealed record VersionInfo(string Version, string? Commit, string Full);

    // "ready" / "not ready: …" in plain words; what went wrong in detail is in the log (DatabaseReadiness).
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        string text = report.Status == HealthStatus.Healthy
            ? "ready"
            : "not ready: " + string.Join("; ", report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Value.Description));
        return context.Response.WriteAsync(report.Entries.Count == 0 ? "alive" : text);
    }
}

/// <summary>The database answers within a few seconds and its schema has every migration this build knows.</summary>
internal sealed partial class DatabaseReadiness(IDbContextFactory<OpenBscDbContext> contexts, ILogger<DatabaseReadiness> logger) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(limit.Token);
            var pending = (await db.Database.GetPendingMigrationsAsync(limit.Token)).ToList();
            if (pending.Count > 0)
            {
                MigrationsPending(logger, pending.Count, string.Join(", ", pending));
                return HealthCheckResult.Unhealthy($"{pending.Count} database migration(s) pending (openbsc db migrate)");
            }

            return HealthCheckResult.Healthy("database reachable, schema up to date");
        }
        catch (Exception e) when (e is DbException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            Unreachable(logger, e);
            return HealthCheckResult.Unhealthy("database unreachable");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready: {Count} migration(s) pending ({Migrations}); run openbsc db migrate.")]
    private static partial void MigrationsPending(ILogger logger, int count, string migrations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready: the database did not answer.")]
    private static partial void Unreachable(ILogger logger, Exception exception);
}
