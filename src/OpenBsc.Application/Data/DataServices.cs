using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.Demo;
using OpenBsc.Application.Features.Scorecards;

namespace OpenBsc.Application.Data;

/// <summary>Registers the database and the feature services that use it (web host and CLI alike).</summary>
public static class DataServices
{
    public static IServiceCollection AddOpenBscData(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(database);
        services.AddPooledDbContextFactory<OpenBscDbContext>(database.Configure);
        services.AddSingleton<ScorecardSnapshots>();
        services.AddSingleton<DataStamp>();
        services.AddSingleton<ScorecardImport>();
        services.AddSingleton<Features.DataEntry.DataEntryGrid>();
        services.AddSingleton<Features.Observations.ObservationImport>();
        services.AddSingleton<Features.Observations.ObservationExport>();
        services.AddSingleton<DemoOrganisation>();
        services.AddSingleton<Features.Editing.ScorecardEditor>();
        services.AddSingleton<Features.Editing.MeasureObservations>();
        services.AddSingleton<Features.Library.LibraryToScorecard>();
        return services;
    }
}
