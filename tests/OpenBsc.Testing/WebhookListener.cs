using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OpenBsc.Testing;

/// <summary>A webhook call as the listener received it.</summary>
public sealed record ReceivedCall(IReadOnlyDictionary<string, string> Headers, string Body, int Answered);

/// <summary>
/// A real HTTP server (Kestrel) on a loopback port that receives webhook POSTs at <see cref="Url"/>, keeps each call,
/// and answers 500 to the first <see cref="FailFirst"/> calls (a receiver that is down) and 200 after.
/// </summary>
public sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedCall> _calls = new();
    private int _failuresLeft;

    private WebhookListener(WebApplication app) => _app = app;

    public string Url => _app.Urls.First() + "/hook";

    public IReadOnlyList<ReceivedCall> Calls => [.. _calls];

    /// <summary>How many calls to answer 500 from now on (<see cref="int.MaxValue"/>: always).</summary>
    public int FailFirst
    {
        get => Volatile.Read(ref _failuresLeft);
        set => Volatile.Write(ref _failuresLeft, value);
    }

    public static async Task<WebhookListener> StartAsync(int failFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new WebhookListener(app) { FailFirst = failFirst };
        app.MapPost("/hook", listener.ReceiveAsync);
        await app.StartAsync();
        return listener;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        string body = await reader.ReadToEndAsync();
        bool fail = Interlocked.Decrement(ref _failuresLeft) >= 0;
        if (!fail)
        {
            Interlocked.Exchange(ref _failuresLeft, 0);
        }

        int status = fail ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        _calls.Enqueue(new ReceivedCall(request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body, status));
        return Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
