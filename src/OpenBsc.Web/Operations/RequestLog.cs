using System.Diagnostics;
using OpenBsc.Web.Security;

namespace OpenBsc.Web.Operations;

/// <summary>
/// One log line per request (category <c>OpenBsc.Requests</c>, Information): method, path, status, duration, the
/// request id (also sent back as <c>X-Request-Id</c>; the trace id when tracing is on) and the signed-in user's id.
/// Structured: with <c>Logging__Console__FormatterName=json</c> each field is a JSON property (docs/operations.md).
/// Probes (<c>/healthz</c>, <c>/readyz</c>) are not logged: a load balancer asks every few seconds.
/// </summary>
public sealed partial class RequestLog(RequestDelegate next, ILoggerFactory loggers)
{
    public const string Category = "OpenBsc.Requests";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || !_logger.IsEnabled(LogLevel.Information))
        {
            await next(context);
            return;
        }

        string id = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        context.Response.Headers["X-Request-Id"] = id;
        long start = Stopwatch.GetTimestamp();
        int status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            double ms = Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 1);
            Guid? user = context.Access()?.UserId;
            Served(_logger, context.Request.Method, path.Value ?? "/", status, ms, id, user);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} {Status} {DurationMs} ms request {RequestId} user {UserId}")]
    private static partial void Served(ILogger logger, string method, string path, int status, double durationMs, string requestId, Guid? userId);
}
