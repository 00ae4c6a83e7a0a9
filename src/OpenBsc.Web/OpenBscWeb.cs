using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Alerts;
using OpenBsc.Application.Features.Demo;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Web.Api;
using OpenBsc.Application.Features.Security;
using OpenBsc.Web.Components;
using OpenBsc.Web.Components.Pages.Design;
using OpenBsc.Web.Security;

namespace OpenBsc.Web;

/// <summary>Builds the web application: the table of contents of the host (STYLE 10).</summary>
public static class OpenBscWeb
{
    /// <summary>
    /// Opens (or, on first run, creates) the database, then builds the app. Throws
    /// <see cref="DatabaseUnavailableException"/> naming the file when the database cannot be used.
    /// </summary>
    public static WebApplication Build(string[] args, WebSettings settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // The command line wins; otherwise configuration (OpenBsc__Database__Provider / __Connection) names the database.
        var database = DatabaseOptions.Resolve(
            settings.Provider ?? builder.Configuration[DatabaseOptions.ProviderKey],
            settings.Connection ?? builder.Configuration[DatabaseOptions.ConnectionKey],
            settings.DataDirectory,
            settings.DatabaseFile);
        bool created = DatabaseSetup.Prepare(database, create: settings.DatabaseFile is null);

        builder.WebHost.UseUrls(settings.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Keys live in the database (shared by every web node), unencrypted at rest like the data beside them; no need to warn each start.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // OpenBsc__Smtp__* and OpenBsc__Alerts__* (docs/alerts.md); registered before the data services keep their defaults.
        var alerts = AlertSettings.Read(key => builder.Configuration[key]);
        builder.Services.AddSingleton(alerts);
        // OpenBsc__Connectors__* (docs/connectors.md): limits, and which networks HTTP sources may reach.
        var connectors = Application.Features.Connectors.ConnectorSettings.Read(key => builder.Configuration[key]);
        builder.Services.AddSingleton(connectors);
        builder.Services.AddOpenBscData(database);
        if (alerts.Background)
        {
            builder.Services.AddHostedService<AlertsBackground>();
        }

        if (connectors.Background)
        {
            builder.Services.AddHostedService<SourcesBackground>();
        }

        builder.Services.AddRazorComponents();
        // The data-entry grid posts four fields a cell (value, comment, reason, base): 12 months of 100 measures
        // is 4,800 fields, far over the default of 1,024.
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.ValueCountLimit = 65_536);
        builder.Services.AddProblemDetails();
        builder.Services.AddApiJson();
        builder.Services.AddApiReference();
        // OpenBsc__SessionMinutes sets the inactivity timeout (default 30).
        settings = settings with { SessionTimeout = TimeSpan.FromMinutes(builder.Configuration.GetValue("OpenBsc:SessionMinutes", settings.SessionTimeout.TotalMinutes)) };
        builder.Services.AddOpenBscSecurity(settings);

        var app = builder.Build();
        if (created && settings.DemoOnFirstRun)
        {
            using var scope = app.Services.CreateScope();
            scope.ServiceProvider.GetRequiredService<RequestContext>().Set(null, "demo");
            scope.ServiceProvider.GetRequiredService<DemoOrganisation>().LoadAsync().GetAwaiter().GetResult();
        }

        // First run: an administrator with a one-time password, printed once (no default password exists).
        using (var scope = app.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<RequestContext>().Set(null, "first run");
            if (scope.ServiceProvider.GetRequiredService<Users>().EnsureAdministratorAsync().GetAwaiter().GetResult() is { } password)
            {
                settings.OnAdministratorCreated(Users.FirstAdministrator, password);
            }
        }

        // Load every scorecard once in the background, so that the first page does not pay for it.
        _ = Task.Run(() => WarmUpAsync(app.Services));

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            CreateScopeForErrors = true,
            // A bad request (e.g. a form without its antiforgery token) is the client's 400, not our 500.
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseMiddleware<SecurityHeaders>();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseMiddleware<AccessControl>();
        // OpenBsc__PageCache=false renders every request (to measure rendering itself).
        if (app.Configuration.GetValue("OpenBsc:PageCache", true))
        {
            app.UseMiddleware<PageCache>();
        }

        app.UseAntiforgery();
        app.MapAssets();
        app.MapScorecardDownloads();
        app.MapScorecardsApi();
        app.MapScorecardEditingApi();
        app.MapMeasureObservationsApi();
        app.MapApiReference();
        app.MapObservationFilesApi();
        app.MapAlertsApi();
        app.MapReportingCycleApi();
        app.MapSourcesApi();
        app.MapTemplates();
        app.MapDesignChecks();
        app.MapAccount();
        // Blazor's own framework files (unused by static pages, mapped anyway) are public like /assets.
        app.MapRazorComponents<App>().Add(endpoint =>
        {
            if (!endpoint.Metadata.OfType<AccessAttribute>().Any())
            {
                endpoint.Metadata.Add(new AccessAttribute(endpoint.Metadata.Any(m => m is Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata) ? AccessScope.Organisation : AccessScope.Public, AccessRole.Administrator));
            }
        });
        return app;
    }

    // About 20 department scorecards of 1,000 measures, or one 5,000-measure cascade with 5 years of monthly data
    // four times over (~1.2M values, ~300 MB): what a node holds from its start (docs/database.md).
    private const int WarmUpMeasures = 20_000;

    private static async Task WarmUpAsync(IServiceProvider services)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ScorecardSnapshots>().WarmUpAsync(WarmUpMeasures);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException or ObjectDisposedException)
        {
            // Warming up is an optimisation: the first request loads what it needs anyway.
        }
    }
}
