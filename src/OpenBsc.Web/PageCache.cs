using System.Collections.Concurrent;
using OpenBsc.Application.Features.Security;

namespace OpenBsc.Web;

/// <summary>
/// Caches rendered pages by URL and data stamp (<see cref="RequestStamps.DataStamp"/>, read by access control in
/// the request's one round trip): a page is rendered once per version of the data, then served from memory until
/// anything changes, so no node serves stale pages after another node's write. Only successful GETs of HTML pages are kept.
/// </summary>
public sealed class PageCache(RequestDelegate next, TimeProvider clock)
{
    private const int MaxEntries = 2000;
    private const int MaxPageBytes = 2 * 1024 * 1024;
    private readonly ConcurrentDictionary<string, (long Stamp, byte[] Body, string ContentType)> _pages = new(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        // Pages are rendered for a user (their roles decide what is shown): kept per user, security stamp and roles,
        // and never for an anonymous request.
        var user = Security.AccessEndpoints.Access(context);
        bool cacheable = user is not null && HttpMethods.IsGet(request.Method) && IsPage(request.Path) && !request.Headers.ContainsKey("Authorization")
            && context.Items.TryGetValue(typeof(RequestStamps), out var read) && read is RequestStamps;
        if (!cacheable)
        {
            await next(context);
            return;
        }

        var stamps = (RequestStamps)context.Items[typeof(RequestStamps)]!;
        long current = stamps.DataStamp;
        // The day is part of the key: a page without a period shows a default that depends on the organisation's
        // today. Every time zone's day starts on a quarter hour of UTC, so the UTC quarter hour is in the key: a page
        // is rendered again at most every 15 minutes, and never shows yesterday's default in any zone, without asking
        // the organisation's zone on this cached path.
        string roles = string.Join(',', user!.ScorecardRoles.OrderBy(r => r.Key).Select(r => $"{r.Key}={r.Value}"));
        var now = clock.GetUtcNow();
        // The header shows the unread notifications: a page is kept per count; numbers and dates follow the
        // organisation's format, which its settings may change without a new data version.
        string key = $"{user.UserId}:{user.SecurityStamp}:{user.Role}:{roles}:{stamps.UnreadNotifications}:{Components.Shared.Display.Format.Key}|{now:yyyy-MM-dd-HH}:{now.Minute / 15}{request.Path}{request.QueryString}";
        if (_pages.TryGetValue(key, out var page) && page.Stamp == current)
        {
            context.Response.ContentType = page.ContentType;
            context.Response.ContentLength = page.Body.Length;
            await context.Response.Body.WriteAsync(page.Body, context.RequestAborted);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        byte[] body = buffer.ToArray();
        if (context.Response.StatusCode == StatusCodes.Status200OK && body.Length <= MaxPageBytes
            && context.Response.ContentType is { } type && type.StartsWith("text/html", StringComparison.Ordinal))
        {
            if (_pages.Count >= MaxEntries)
            {
                _pages.Clear();
            }

            _pages[key] = (current, body, type);
        }

        // Nothing written stays nothing written: an empty 404 must remain unstarted for the status-code page.
        if (body.Length > 0)
        {
            await original.WriteAsync(body, context.RequestAborted);
        }
    }

    private static bool IsPage(PathString path) =>
        path == "/" || (path.StartsWithSegments("/scorecards", StringComparison.Ordinal) && !path.Value!.EndsWith(".svg", StringComparison.Ordinal)
            // The import page holds a per-visitor antiforgery token: never served from the cache.
            && !path.Value!.EndsWith("/import", StringComparison.Ordinal)
            // The alerts page changes with its rules and webhooks, which no data stamp covers.
            && !path.Value!.EndsWith("/alerts", StringComparison.Ordinal));
}
