using Microsoft.AspNetCore.Builder;
using OpenBsc.Application.Data;
using OpenBsc.Web;

namespace OpenBsc.Testing;

/// <summary>
/// The real web app on a free loopback port with a new database (demo organisation loaded, as on a first run):
/// a SQLite file in a temporary folder by default, or a new PostgreSQL database. Disposing stops it and deletes
/// the database.
/// </summary>
public sealed class RunningApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestDatabase? _database;

    private RunningApp(WebApplication app, TestDatabase? database)
    {
        _app = app;
        _database = database;
        DataDirectory = database?.Directory ?? "";
        BaseAddress = new Uri(app.Urls.First());
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    /// <summary>The SQLite database's folder (empty on PostgreSQL).</summary>
    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<RunningApp> StartAsync(bool demo = true) => StartAsync(DatabaseProvider.Sqlite, demo);

    public static async Task<RunningApp> StartAsync(DatabaseProvider provider, bool demo = true)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var app = Build(database.Options, demo);
        await app.StartAsync();
        return new RunningApp(app, database);
    }

    /// <summary>Another node on an existing (migrated) database, which it does not own: for tests of several web nodes.</summary>
    public static async Task<RunningApp> StartNodeAsync(DatabaseOptions database)
    {
        var app = Build(database, demo: false);
        await app.StartAsync();
        return new RunningApp(app, null);
    }

    private static WebApplication Build(DatabaseOptions database, bool demo) => database.Provider == DatabaseProvider.Postgres
        ? OpenBscWeb.Build([], new WebSettings { Provider = "postgres", Connection = database.ConnectionString, Urls = "http://127.0.0.1:0", DemoOnFirstRun = demo })
        : OpenBscWeb.Build([], new WebSettings { DataDirectory = Path.GetDirectoryName(database.SqliteFile), Urls = "http://127.0.0.1:0", DemoOnFirstRun = demo });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
