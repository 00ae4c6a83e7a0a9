using OpenBsc.Application.Features.Connectors;

namespace OpenBsc.Web;

/// <summary>
/// Runs the data sources whose schedule came due, on every web node every <see cref="ConnectorSettings.Interval"/>:
/// each occurrence and each run is claimed in the database (a lease), so a source runs once however many nodes look.
/// </summary>
internal sealed class SourcesBackground(IServiceScopeFactory scopes, ConnectorSettings settings, TimeProvider clock, ILogger<SourcesBackground> logger)
    : NodePass(scopes, settings.Interval, clock, logger)
{
    protected override string Name => "Running the due data sources";

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<SourceRuns>().RunDueAsync(cancellationToken);
}
