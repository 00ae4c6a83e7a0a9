using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Web;
using Spectre.Console.Cli;

namespace OpenBsc.Cli.Commands;

/// <summary><c>openbsc serve</c>: the web UI on the embedded database (demo organisation on first run).</summary>
public sealed class ServeCommand : Command<ServeCommand.Settings>
{
    public sealed class Settings : DataSettings
    {
        [CommandOption("--urls <URLS>")]
        [Description("Where to listen (default http://127.0.0.1:5080).")]
        public string Urls { get; init; } = WebSettings.DefaultUrls;

        [CommandOption("--no-demo")]
        [Description("Do not load the demo organisation into a new database.")]
        public bool NoDemo { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var web = new WebSettings { DataDirectory = settings.Data, DatabaseFile = settings.Database, Provider = settings.Provider, Connection = settings.Connection, Urls = settings.Urls, DemoOnFirstRun = !settings.NoDemo };
        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = OpenBscWeb.Build([], web);
        }
        catch (DatabaseUnavailableException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.EnvironmentFailure;
        }

        Console.Out.WriteLine($"OpenBsc {OpenBsc.Application.AppVersion.Display} is running at {settings.Urls.Split(';')[0]} (database {app.Services.GetRequiredService<DatabaseOptions>().Description}). Press Ctrl+C to stop.");
        Console.Out.WriteLine("Sign in with your account (first run: 'admin' and the one-time password above; 'openbsc users reset admin' prints a new one).");
        try
        {
            app.Run();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: cannot listen on {settings.Urls}: {e.Message}");
            return ExitCodes.EnvironmentFailure;
        }

        return ExitCodes.Success;
    }
}
