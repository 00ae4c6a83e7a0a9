using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenBsc.Application;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Web;

/// <summary>What operators and load balancers rely on: probes, the version, assets before sign-in, trusted proxies, telemetry.</summary>
public sealed class OperationsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Probes_AnswerWithoutSignIn_ReadyzFailsWhileAMigrationIsPending(DatabaseProvider provider)
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        var anonymous = app.NewClient();
        Assert.Equal("alive", await anonymous.GetStringAsync("/healthz"));
        Assert.Equal("ready", await anonymous.GetStringAsync("/readyz"));

        // As if the schema were one migration behind this build (an upgrade whose db migrate has not run yet).
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            string last = (await db.Database.GetAppliedMigrationsAsync()).Last();
            await db.Database.ExecuteSqlAsync($"DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = {last}");
        }

        using var notReady = await anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("not ready: 1 database migration(s) pending (openbsc db migrate)", await notReady.Content.ReadAsStringAsync());
        Assert.Equal("alive", await anonymous.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task Readyz_FailsWhilePostgresIsStopped_AndRecoversWhenItIsBack()
    {
        // A throw-away cluster of this test's own, on another port: the shared test server is never stopped.
        await using var server = await OwnPostgres.StartAsync();
        var database = DatabaseOptions.ForPostgres(server.Connection);
        DatabaseSetup.Migrate(database);
        await using var node = await RunningApp.StartNodeAsync(database);
        var probe = node.NewClient();
        Assert.Equal("ready", await probe.GetStringAsync("/readyz"));

        await server.StopAsync();
        var watch = Stopwatch.StartNew();
        using (var down = await probe.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("not ready: database unreachable", await down.Content.ReadAsStringAsync());
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"readiness took {watch.Elapsed} to answer with the database down");
        Assert.Equal("alive", await probe.GetStringAsync("/healthz"));

        await server.StartAgainAsync();
        // The first probe after the restart may meet a pooled connection the restart broke; the pool then recovers.
        HttpStatusCode status = HttpStatusCode.ServiceUnavailable;
        for (var until = Stopwatch.StartNew(); status != HttpStatusCode.OK && until.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(200))
        {
            using var again = await probe.GetAsync("/readyz");
            status = again.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Version_InTheFooterAndTheApi_ForSignedInPeopleOnly()
    {
        await using var app = await RunningApp.StartAsync(demo: false);
        var version = await app.Client.GetFromJsonAsync<JsonObject>("/api/v1/version");
        Assert.Equal(AppVersion.Release, (string?)version!["version"]);
        Assert.Equal(AppVersion.Full, (string?)version["full"]);
        Assert.Matches(@"^\d+\.\d+\.\d+", AppVersion.Release);
        Assert.Contains($"OpenBsc {AppVersion.Display} ·", await app.Client.GetStringAsync("/"), StringComparison.Ordinal);

        var anonymous = app.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/version")).StatusCode);
        string login = await anonymous.GetStringAsync("/login");
        Assert.DoesNotContain(AppVersion.Release, login, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_AreServedBeforeSignIn_ThePageAfterARevocationIsNot()
    {
        await using var app = await RunningApp.StartAsync(demo: false);
        var client = await app.SignInAsync("leaver@test.example", AccessRole.Viewer);
        using (var scope = app.Services.CreateScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<Users>().DisableAsync("leaver@test.example")).Succeeded);
        }

        // The asset does not look at the session at all (no sign-out cookie: the cookie was never read) ...
        using var css = await client.GetAsync("/assets/app.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("nosniff", css.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.False(css.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/missing.css")).StatusCode);

        // ... while the next page request ends the disabled user's session.
        using var page = await client.GetAsync("/api/v1/scorecards");
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ForwardedProto_IsBelievedOnlyFromConfiguredProxies(bool configured)
    {
        await using var app = await RunningApp.StartAsync(DatabaseProvider.Sqlite, demo: false, 10_000, configured ? ["--OpenBsc:Proxies=127.0.0.1"] : []);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/login");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var response = await app.NewClient().SendAsync(request);
        // Cookies follow the request's scheme: secure only when the proxy's https is believed.
        string antiforgery = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Equal(configured, antiforgery.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Telemetry_IsExportedByOtlp_WhenAnEndpointIsConfigured()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var app = await RunningApp.StartAsync(DatabaseProvider.Sqlite, demo: true, 10_000,
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={collector.Url}", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_METRIC_EXPORT_INTERVAL=300", "--OTEL_BSP_SCHEDULE_DELAY=100");
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/scorecards/customer-support")).StatusCode);

        // Protobuf keeps names as plain UTF-8: the route of the request's span and the instruments' names.
        await collector.WaitForAsync("/v1/traces", "GET /scorecards/{Key}");
        await collector.WaitForAsync("/v1/metrics", "http.server.request.duration");
        await collector.WaitForAsync("/v1/metrics", "openbsc.snapshot.load.duration");
        await collector.WaitForAsync("/v1/metrics", "openbsc.outbox.backlog");
    }
}

/// <summary>A PostgreSQL cluster of one test's own (tests/postgres.sh on a free port and a new folder), stopped and removed at the end.</summary>
internal sealed class OwnPostgres : IAsyncDisposable
{
    private readonly string _directory;
    private readonly int _port;

    private OwnPostgres(string directory, int port, string connection)
    {
        _directory = directory;
        _port = port;
        Connection = new NpgsqlConnectionStringBuilder(connection) { Database = "openbsc_readyz", Timeout = 3 }.ToString();
    }

    public string Connection { get; }

    public static async Task<OwnPostgres> StartAsync()
    {
        int port = FreePort();
        string directory = Path.Combine(Path.GetTempPath(), $"openbsc-pg-own-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string> { ["OPENBSC_PG_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["OPENBSC_PG_DIR"] = directory };
        string connection = await RunAsync("bash", [Path.Combine(Root(), "tests", "postgres.sh")], environment);
        return new OwnPostgres(directory, port, connection.Trim());
    }

    public Task StopAsync() => PgCtlAsync("-m immediate stop");

    public Task StartAgainAsync() => PgCtlAsync($"-o \"-c listen_addresses=127.0.0.1 -p {_port} -k {_directory} -c fsync=off\" -l {_directory}/log -w start");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await PgCtlAsync("-m immediate stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_directory, recursive: true);
    }

    private Task<string> PgCtlAsync(string arguments)
    {
        string bin = Directory.GetDirectories("/usr/lib/postgresql").Order(StringComparer.Ordinal).Last() + "/bin";
        string command = $"{bin}/pg_ctl -D {_directory}/data {arguments}";
        // The cluster belongs to the postgres user when the tests run as root (as tests/postgres.sh made it).
        return Environment.UserName == "root" ? RunAsync("su", ["postgres", "-c", command]) : RunAsync("bash", ["-c", command]);
    }

    private static async Task<string> RunAsync(string file, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} failed: {await error}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenBsc.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("OpenBsc.slnx not found above the test binaries");
    }
}

/// <summary>A stand-in OpenTelemetry collector: a real HTTP server that keeps every OTLP/HTTP export it receives.</summary>
internal sealed class OtlpCollector : IAsyncDisposable
{
    private readonly Microsoft.AspNetCore.Builder.WebApplication _app;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Path, byte[] Body)> _exports = new();

    private OtlpCollector(Microsoft.AspNetCore.Builder.WebApplication app) => _app = app;

    public string Url => _app.Urls.First();

    public static async Task<OtlpCollector> StartAsync()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new OtlpCollector(app);
        app.MapPost("/v1/{signal}", async (Microsoft.AspNetCore.Http.HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            collector._exports.Enqueue((request.Path.Value!, body.ToArray()));
            return Microsoft.AspNetCore.Http.Results.Ok();
        });
        await app.StartAsync();
        return collector;
    }

    /// <summary>Waits (up to 30 s) for an export to <paramref name="path"/> that carries <paramref name="text"/>.</summary>
    public async Task WaitForAsync(string path, string text)
    {
        byte[] wanted = System.Text.Encoding.UTF8.GetBytes(text);
        for (var watch = Stopwatch.StartNew(); watch.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(100))
        {
            if (_exports.Any(e => e.Path == path && e.Body.AsSpan().IndexOf(wanted) >= 0))
            {
                return;
            }
        }

        Assert.Fail($"No OTLP export to {path} carried '{text}' within 30 s ({_exports.Count} exports: {string.Join(", ", _exports.Select(e => e.Path))}).");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
