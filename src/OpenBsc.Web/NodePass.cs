namespace OpenBsc.Web;

/// <summary>
/// Background work every web node runs on a timer (on the injected clock), each pass in a scope of its own, as the
/// system: nodes may overlap, because what a pass does is claimed atomically in the database. A pass that fails
/// because the database was away or busy is logged, and the next tick tries again; no request ever waits for it.
/// </summary>
internal abstract partial class NodePass(IServiceScopeFactory scopes, TimeSpan interval, TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>What the pass is, for the log ("The alert pass").</summary>
    protected abstract string Name { get; }

    protected abstract Task RunAsync(IServiceProvider services, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await RunAsync(scope.ServiceProvider, stoppingToken);
                }
                catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException or TimeoutException)
                {
                    // The database was away or busy: the next tick runs the pass again from what is stored.
                    PassFailed(logger, Name, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Pass} failed; the next one tries again.")]
    private static partial void PassFailed(ILogger logger, string pass, Exception exception);
}
