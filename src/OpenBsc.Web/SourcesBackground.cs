using OpenBsc.Application.Features.Connectors;

namespace OpenBsc.Web;

/// <summary>
/// Runs the data sources whose schedule came due, on every web node every <see cref="ConnectorSettings.Interval"/>:
/// nodes may overlap, because each occurrence and each run is claimed in the database (a lease), so a source runs
/// once. A failed pass is logged and the next one tries again.
/// </summary>
internal sealed partial class SourcesBackground(IServiceScopeFactory scopes, ConnectorSettings settings, TimeProvider clock, ILogger<SourcesBackground> logger) : BackgroundService
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
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<SourceRuns>().RunDueAsync(stoppingToken);
                }
                catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException or TimeoutException)
                {
                    // The database was away or busy: the next tick looks again from what is stored.
                    PassFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Running the due data sources failed; the next pass tries again.")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
