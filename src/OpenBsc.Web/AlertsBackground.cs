using OpenBsc.Application.Features.Alerts;

namespace OpenBsc.Web;

/// <summary>Runs the alert pass on every web node every <see cref="AlertSettings.Interval"/> (states and deliveries are claimed atomically).</summary>
internal sealed class AlertsBackground(IServiceScopeFactory scopes, AlertSettings settings, TimeProvider clock, ILogger<AlertsBackground> logger)
    : NodePass(scopes, settings.Interval, clock, logger)
{
    protected override string Name => "The alert pass";

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<AlertPass>().RunAsync(cancellationToken);
}
