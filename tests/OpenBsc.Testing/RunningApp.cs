using Microsoft.AspNetCore.Builder;
using OpenBsc.Web;

namespace OpenBsc.Testing;

/// <summary>
/// The real web app on a free loopback port with a new SQLite database in a temporary folder (demo organisation
/// loaded, as on a first run). Disposing stops it and deletes the folder.
/// </summary>
public sealed class RunningApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningApp(WebApplication app, string dataDirectory)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseAddress = new Uri(app.Urls.First());
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<RunningApp> StartAsync(bool demo = true)
    {
        string dir = Directory.CreateTempSubdirectory("openbsc-app-").FullName;
        var app = OpenBscWeb.Build([], new WebSettings { DataDirectory = dir, Urls = "http://127.0.0.1:0", DemoOnFirstRun = demo });
        await app.StartAsync();
        return new RunningApp(app, dir);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing request: the temp folder is cleaned by the OS.
        }
    }
}
