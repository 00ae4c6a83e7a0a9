using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OpenBsc.Application;

/// <summary>
/// OpenBsc's own instruments (meter <c>OpenBsc</c>), exported by OpenTelemetry when an OTLP endpoint is configured
/// (docs/operations.md); with nothing listening they cost nothing.
/// </summary>
public static class Metrics
{
    public const string MeterName = "OpenBsc";

    private static readonly Meter Meter = new(MeterName, AppVersion.Release);

    private static readonly Histogram<double> SnapshotLoads = Meter.CreateHistogram<double>(
        "openbsc.snapshot.load.duration", unit: "s", description: "Loading a scorecard (definitions and observations of its cascade) for evaluation.");

    /// <summary>Times one snapshot load (a scorecard read from the database and built into a model).</summary>
    public static async Task<T> TimeSnapshotLoadAsync<T>(Func<Task<T>> load)
    {
        long start = Stopwatch.GetTimestamp();
        string outcome = "error";
        try
        {
            var result = await load();
            outcome = "ok";
            return result;
        }
        finally
        {
            SnapshotLoads.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
