using OpenBsc.Application.Features.Alerts;

namespace OpenBsc.Web;

/// <summary>
/// Runs the alert pass on every web node every <see cref="AlertSettings.Interval"/> (on the injected clock): nodes
/// may overlap, because states and deliveries are claimed atomically in the database. A failed pass is logged and
/// the next one tries again; no user's request ever waits for it.
/// </summary>
internal sealed partial class AlertsBackground(IServiceScopeFactory scopes, AlertSettings settings, TimeProvider clock, ILogger<AlertsBackground> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    // Each pass in a scope of its own, as the system: it reads every organisation's rules.
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<AlertPass>().RunAsync(stoppingToken);
                }
                catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException or TimeoutException)
                {
                    // The database was away or busy: the next tick runs the pass again from what is stored.
                    PassFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The alert pass failed; the next one tries again.")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
