using OpenBsc.Web.Security;

namespace OpenBsc.Web.Api;

/// <summary>
/// Every error of an API request is problem details (RFC 9457) through <see cref="ApiProblems"/>: an exception (a
/// request the framework could not bind, a busy database, a bug) and a status set without a body (no such address,
/// method or media type). Pages keep the app's own error and not-found pages.
/// </summary>
public sealed partial class ApiErrors(RequestDelegate next, ILogger<ApiErrors> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!AccessControl.IsApi(context.Request.Path))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            int status = ApiProblems.StatusOf(e);
            if (status == StatusCodes.Status500InternalServerError)
            {
                Failed(logger, context.Request.Method, context.Request.Path, e);
            }

            context.Response.Clear();
            await ApiProblems.FromException(e, context).ExecuteAsync(context);
            return;
        }

        var response = context.Response;
        if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && response.ContentType is null)
        {
            await ApiProblems.ForStatus(response.StatusCode).ExecuteAsync(context);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void Failed(ILogger logger, string method, PathString path, Exception exception);
}
