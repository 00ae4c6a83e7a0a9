using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;

namespace OpenBsc.Web;

/// <summary>
/// Data-protection keys (antiforgery tokens, sign-in cookies) kept in the database: every web node behind a load
/// balancer reads the same key ring, so a token or cookie issued by one node is accepted by any other.
/// </summary>
internal static class SharedDataProtection
{
    public const string ApplicationName = "OpenBsc";

    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        // The key repository asks its scope for the DbContext; the app otherwise uses short-lived contexts from the factory.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContext());
        // One application name on every node: it isolates payloads by application, not by install path.
        services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<OpenBscDbContext>();
        return services;
    }
}
