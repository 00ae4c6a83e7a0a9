using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application;
using OpenBsc.Application.Data;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OpenBsc.Web.Operations;

/// <summary>
/// OpenTelemetry traces and metrics, exported by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured (the
/// standard variables: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_METRIC_EXPORT_INTERVAL</c>, …); without it nothing
/// is collected. Traces: each request (ASP.NET Core) and each PostgreSQL command (Npgsql). Metrics: request rate and
/// latency (<c>http.server.request.duration</c>), snapshot loads (<c>openbsc.snapshot.load.duration</c>), the outbox
/// backlog (<c>openbsc.outbox.backlog</c>), database connections (Npgsql) and the runtime (<c>System.Runtime</c>).
/// </summary>
public static class Telemetry
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddOpenBscTelemetry(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointKey]))
        {
            return builder;
        }

        builder.Services.AddSingleton<OutboxGauge>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("openbsc", serviceVersion: AppVersion.Full))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !(c.Request.Path.StartsWithSegments("/healthz") || c.Request.Path.StartsWithSegments("/readyz")))
                .AddSource("Npgsql"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddMeter(Metrics.MeterName, OutboxGauge.MeterName, "Npgsql", "System.Runtime"))
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>Starts the instruments that need the app's services (the outbox gauge); nothing without OTLP.</summary>
    public static void StartOpenBscTelemetry(this WebApplication app) => app.Services.GetService<OutboxGauge>()?.Start();

    /// <summary>Deliveries waiting to be sent (pending or being sent), read when the exporter collects (once a minute by default).</summary>
    private sealed class OutboxGauge(IMeterFactory meters, IDbContextFactory<OpenBscDbContext> contexts)
    {
        public const string MeterName = "OpenBsc.Outbox";

        public void Start() => meters.Create(MeterName).CreateObservableGauge("openbsc.outbox.backlog", Backlog, unit: "{delivery}",
            description: "E-mails and webhook calls waiting to be sent (pending or being sent).");

        private long Backlog()
        {
            using var db = contexts.CreateDbContext();
            // Every organisation's outbox: the node sends them all.
            return db.Deliveries.IgnoreQueryFilters().LongCount(d => d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Sending);
        }
    }
}
