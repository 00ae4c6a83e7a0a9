using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Alerts;
using OpenBsc.Application.Features.Demo;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Web.Api;
using OpenBsc.Application.Features.Security;
using OpenBsc.Web.Components;
using OpenBsc.Web.Components.Pages.Design;
using OpenBsc.Web.Operations;
using OpenBsc.Web.Security;

namespace OpenBsc.Web;

/// <summary>Builds the web application: the table of contents of the host (CONTRIBUTING.md, rule 10).</summary>
public static partial class OpenBscWeb
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
        // A web request waits for another writer only so long, then answers 503 with Retry-After (ApiProblems).
        settings = settings with
        {
            DatabaseWaitSeconds = builder.Configuration.GetValue("OpenBsc:Database:WaitSeconds", settings.DatabaseWaitSeconds),
            MaxConcurrentUploads = builder.Configuration.GetValue("OpenBsc:Uploads:Concurrent", settings.MaxConcurrentUploads),
        };
        database = database with { WaitSeconds = settings.DatabaseWaitSeconds };

        builder.WebHost.UseUrls(settings.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // One line per entry, as log collectors (journald, Docker) expect; Logging__Console__FormatterName=json for JSON lines.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        // Keys live in the database (shared by every web node), unencrypted at rest like the data beside them; no need to warn each start.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // One line per request (OpenBsc__RequestLog=false turns it off; docs/operations.md).
        builder.Logging.AddFilter(RequestLog.Category, builder.Configuration.GetValue("OpenBsc:RequestLog", true) ? LogLevel.Information : LogLevel.None);
        // Readiness failures are logged once, with their reason, by DatabaseReadiness.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None);
        builder.AddOpenBscTelemetry();
        builder.Services.AddOpenBscHealth();
        var proxies = TrustedProxies.Read(builder.Configuration);
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
        // A query, route or body value that does not bind throws, so ApiErrors answers a problem naming it (not an empty 400).
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
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
        app.StartOpenBscTelemetry();

        app.UseMiddleware<RequestLog>();
        if (proxies is not null)
        {
            app.UseForwardedHeaders(proxies);
        }

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            CreateScopeForErrors = true,
            // A bad request (e.g. a form without its antiforgery token) is the client's 400, a busy database a 503, not our 500.
            StatusCodeSelector = ApiProblems.StatusOf,
        });
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseMiddleware<ApiErrors>();
        app.UseMiddleware<SecurityHeaders>();
        // Routing here, after the headers every response gets and before sign-in: assets and probes are short-circuit
        // endpoints, answered at once without reading the cookie or the database (docs/operations.md).
        app.UseRouting();
        app.UseSingleSignOnCallbacks();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseMiddleware<AccessControl>();
        app.UseMiddleware<OrganisationFormatting>();
        // OpenBsc__PageCache=false renders every request (to measure rendering itself).
        if (app.Configuration.GetValue("OpenBsc:PageCache", true))
        {
            app.UseMiddleware<PageCache>();
        }

        app.UseAntiforgery();
        app.MapAssets();
        app.MapHealth();
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
        app.MapSingleSignOn();
        app.MapPasskeys();
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
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OpenBscWeb));
        try
        {
            await using var scope = services.CreateAsyncScope();
            var loaded = await scope.ServiceProvider.GetRequiredService<ScorecardSnapshots>().WarmUpAsync(WarmUpMeasures);
            WarmedUp(logger, loaded.Count);
        }
        catch (ObjectDisposedException)
        {
            // The app stopped while warming up (a short-lived test host, Ctrl+C at start): nothing to report.
        }
        catch (Exception e)
        {
            // Warming up is an optimisation (the first request loads what it needs anyway), but a failure here is often
            // the first sign of a broken database or definition: logged, never swallowed.
            WarmUpFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up: {Count} scorecard(s) loaded.")]
    private static partial void WarmedUp(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Warm-up failed; scorecards load on their first request instead.")]
    private static partial void WarmUpFailed(ILogger logger, Exception exception);
}
