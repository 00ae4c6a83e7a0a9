using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
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
        // Every context (pooled or scoped) writes the audit log of what it saves.
        services.AddPooledDbContextFactory<OpenBscDbContext>((provider, builder) =>
        {
            database.Configure(builder);
            builder.AddInterceptors(provider.GetRequiredService<Features.Security.AuditInterceptor>());
        });
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
        services.AddSingleton<Features.Security.ApiTokens>();
        services.AddSingleton<Features.Security.AccessQueries>();
        services.AddSingleton<Features.Security.AuditQueries>();
        services.AddSingleton<Features.Security.Approvals>();
        services.AddSingleton<Features.Organisations.OrganisationClock>();
        services.AddSingleton<Features.Organisations.OrganisationSettings>();
        // Data-protection keys (antiforgery tokens, sign-in cookies, organisations' SMTP passwords) live in the
        // database: every web node and the command line read the same key ring. The key repository asks its scope for
        // the DbContext (the scoped one above); one application name everywhere isolates payloads by application.
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName).PersistKeysToDbContext<OpenBscDbContext>();
        services.AddSingleton<ScorecardSnapshots>();
        services.AddSingleton<ScorecardImport>();
        services.AddSingleton<Features.DataEntry.DataEntryGrid>();
        services.AddSingleton<Features.Observations.ObservationImport>();
        services.AddSingleton<Features.Observations.ObservationExport>();
        services.AddSingleton<DemoOrganisation>();
        services.AddSingleton<Features.Editing.ScorecardEditor>();
        services.AddSingleton<Features.Editing.MeasureObservations>();
        services.AddSingleton<Features.Library.LibraryToScorecard>();
        // Alerts: the web host registers settings read from configuration first; the CLI and tests get defaults.
        services.TryAddSingleton(new Features.Alerts.AlertSettings());
        services.AddSingleton<Features.Alerts.AlertRules>();
        services.AddSingleton<Features.Alerts.Notifications>();
        services.AddSingleton<Features.Alerts.AlertCheck>();
        services.AddSingleton<Features.Alerts.DeliverySender>();
        services.AddSingleton<Features.Alerts.AlertPass>();
        // The reporting cycle (docs/reporting-cycle.md).
        services.AddSingleton<Features.ReportingCycle.Commentary>();
        services.AddSingleton<Features.ReportingCycle.Discussion>();
        services.AddSingleton<Features.ReportingCycle.ItemActions>();
        services.AddSingleton<Features.ReportingCycle.PeriodCloses>();
        services.AddSingleton<Features.ReportingCycle.BriefingBooks>();
        services.AddSingleton<Features.Reports.ScorecardReports>();
        return services;
    }
}
