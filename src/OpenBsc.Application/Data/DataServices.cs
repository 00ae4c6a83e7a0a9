using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenBsc.Application.Features.Demo;
using OpenBsc.Application.Features.Scorecards;

namespace OpenBsc.Application.Data;

/// <summary>Registers the database and the feature services that use it (web host and CLI alike).</summary>
public static class DataServices
{
    public const string DataProtectionApplicationName = "OpenBsc";

    public static IServiceCollection AddOpenBscData(this IServiceCollection services, DatabaseOptions database)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(database);
        services.AddLogging();
        services.AddSingleton<Features.Security.AuditInterceptor>();
        services.AddSingleton<TextGuard>();
        // One pool; every context handed out carries a request context (the scope's, or the system's for shared caches).
        services.AddSingleton(provider =>
        {
            var builder = new DbContextOptionsBuilder<OpenBscDbContext>().UseApplicationServiceProvider(provider);
            database.Configure(builder);
            // Every context writes the audit log of what it saves.
            builder.AddInterceptors(provider.GetRequiredService<TextGuard>(), provider.GetRequiredService<Features.Security.AuditInterceptor>());
            return new ContextPool(new PooledDbContextFactory<OpenBscDbContext>(builder.Options));
        });
        services.AddScoped<Features.Security.RequestContext>();
        services.AddScoped<IDbContextFactory<OpenBscDbContext>>(provider => new RequestDbContexts(provider.GetRequiredService<ContextPool>(), provider.GetRequiredService<Features.Security.RequestContext>()));
        services.AddSingleton(provider => new SystemDbContexts(provider.GetRequiredService<ContextPool>()));
        // Identity's stores need a scoped context; it comes from the same pool.
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContext());
        services.AddIdentityCore<OpenBscUser>(o =>
        {
            // ASVS 5.0 V6.2: length, not composition; the common-password check is PasswordPolicy.
            o.Password.RequiredLength = Features.Security.PasswordPolicy.MinLength;
            o.Password.RequireDigit = false;
            o.Password.RequireLowercase = false;
            o.Password.RequireUppercase = false;
            o.Password.RequireNonAlphanumeric = false;
            o.Password.RequiredUniqueChars = 1;
            o.Lockout.MaxFailedAccessAttempts = 5;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            o.Lockout.AllowedForNewUsers = true;
            o.User.RequireUniqueEmail = false;
            o.User.AllowedUserNameCharacters += "+'";
        }).AddPasswordValidator<Features.Security.PasswordPolicy>().AddEntityFrameworkStores<OpenBscDbContext>()
            // Second factor: authenticator apps (TOTP, RFC 6238); the key and recovery codes live in user_tokens.
            .AddTokenProvider<Microsoft.AspNetCore.Identity.AuthenticatorTokenProvider<OpenBscUser>>(Microsoft.AspNetCore.Identity.TokenOptions.DefaultAuthenticatorProvider);
        services.AddScoped<Features.Security.Users>();
        services.AddScoped<Features.Security.Invitations>();
        services.AddScoped<Features.Security.SecondFactor>();
        services.AddScoped<Features.Security.ApiTokens>();
        services.AddScoped<Features.Security.Passkeys>();
        services.AddSingleton<DatabaseChanges>();
        services.AddSingleton<Features.Security.AccessQueries>();
        services.AddScoped<Features.Security.AuditQueries>();
        services.AddScoped<Features.Security.Approvals>();
        services.AddScoped<Features.Security.OrganisationPeople>();
        services.AddScoped<Features.ReportingCycle.MyItems>();
        services.AddSingleton<Features.Organisations.OrganisationClock>();
        services.AddScoped<Features.Organisations.OrganisationSettings>();
        services.AddSingleton<Features.Organisations.SingleSignOn>();
        // Data-protection keys (antiforgery tokens, sign-in cookies, organisations' SMTP passwords) live in the
        // database: every web node and the command line read the same key ring. The key repository asks its scope for
        // the DbContext (the scoped one above); one application name everywhere isolates payloads by application.
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName).PersistKeysToDbContext<OpenBscDbContext>();
        services.AddSingleton<ScorecardSnapshotCache>();
        services.AddScoped<ScorecardSnapshots>();
        services.AddSingleton<Features.Observations.ObservationLedger>();
        services.AddScoped<ScorecardImport>();
        services.AddScoped<Features.DataEntry.DataEntryGrid>();
        services.AddScoped<Features.Observations.ObservationImport>();
        services.AddScoped<Features.Observations.ObservationExport>();
        services.AddScoped<DemoOrganisation>();
        services.AddScoped<Features.Editing.ScorecardEditor>();
        services.AddScoped<Features.Editing.MeasureObservations>();
        services.AddScoped<Features.Library.LibraryToScorecard>();
        // Alerts: the web host registers settings read from configuration first; the CLI and tests get defaults.
        services.TryAddSingleton(new Features.Alerts.AlertSettings());
        services.AddScoped<Features.Alerts.AlertRules>();
        services.AddScoped<Features.Alerts.Notifications>();
        services.AddScoped<Features.Alerts.AlertCheck>();
        services.AddScoped<Features.Alerts.DeliverySender>();
        services.AddScoped<Features.Alerts.AlertPass>();
        // The reporting cycle (docs/reporting-cycle.md).
        services.AddScoped<Features.ReportingCycle.Commentary>();
        services.AddScoped<Features.ReportingCycle.Discussion>();
        services.AddScoped<Features.ReportingCycle.ItemActions>();
        services.AddScoped<Features.ReportingCycle.PeriodCloses>();
        services.AddScoped<Features.ReportingCycle.BriefingBooks>();
        services.AddScoped<Features.Reports.ScorecardReports>();
        // Data connectors (docs/connectors.md): the web host registers settings read from configuration first.
        services.TryAddSingleton(new Features.Connectors.ConnectorSettings());
        services.AddScoped<Features.Connectors.DataSources>();
        services.AddScoped<Features.Connectors.SourceRuns>();
        return services;
    }
}
