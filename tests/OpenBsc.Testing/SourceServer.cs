using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OpenBsc.Testing;

/// <summary>
/// A real HTTP server (Kestrel) on a loopback port acting as a connector's HTTP source: it answers the documents a
/// test puts at a path (checking a bearer token when one is set), and has paths that misbehave — one that never
/// answers, one that answers 2 GB, one that redirects wherever the test says.
/// </summary>
public sealed class SourceServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string Type, string Body)> _documents = new();

    private SourceServer(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    /// <summary>The bearer token every document path requires (null: none).</summary>
    public string? Token { get; set; }

    /// <summary>The Authorization header of the last request.</summary>
    public string? LastAuthorization { get; private set; }

    /// <summary>Where <c>/redirect</c> points.</summary>
    public string RedirectTo { get; set; } = "http://169.254.169.254/latest/meta-data/";

    public void Put(string path, string type, string body) => _documents[path] = (type, body);

    public static async Task<SourceServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new SourceServer(app);
        app.MapGet("/hang", async (CancellationToken stop) =>
        {
            await Task.Delay(Timeout.Infinite, stop);
            return Results.Ok();
        });
        app.MapGet("/huge", async (HttpResponse response, CancellationToken stop) =>
        {
            // Two gigabytes announced and streamed: the reader must stop at its limit, whatever the header says.
            response.ContentType = "text/csv";
            if (response.HttpContext.Request.Query.ContainsKey("length"))
            {
                response.ContentLength = 2L * 1024 * 1024 * 1024;
            }

            var chunk = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("calls,2026-01,1\n", 4096)));
            for (long sent = 0; sent < 2L * 1024 * 1024 * 1024 && !stop.IsCancellationRequested; sent += chunk.Length)
            {
                await response.Body.WriteAsync(chunk, stop);
            }
        });
        app.MapGet("/redirect", (HttpResponse _) => Results.Redirect(server.RedirectTo));
        app.MapGet("/{**path}", (HttpRequest request, string path) =>
        {
            server.LastAuthorization = request.Headers.Authorization.ToString();
            if (server.Token is { } token && request.Headers.Authorization.ToString() != "Bearer " + token)
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            return server._documents.TryGetValue("/" + path, out var document) ? Results.Text(document.Body, document.Type) : Results.NotFound();
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
