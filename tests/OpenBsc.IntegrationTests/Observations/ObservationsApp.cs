using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Observations;

/// <summary>
/// The real app (on SQLite or PostgreSQL, Kestrel) shared by the observation-file tests; every test stores its own
/// scorecard under a fresh key, so tests neither see nor depend on each other's data.
/// </summary>
public abstract class ObservationsApp(DatabaseProvider provider) : IAsyncLifetime
{
    public RunningApp App { get; private set; } = null!;

    public ObservationImport Import => App.Services.GetRequiredService<ObservationImport>();

    public ObservationExport Export => App.Services.GetRequiredService<ObservationExport>();

    public async Task InitializeAsync() => App = await RunningApp.StartAsync(provider, demo: false);

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>
    /// Stores a scorecard with measures csat and nps (plain), calls (calculated: [csat] * 2), share (tracked per segment) and segments smb and
    /// enterprise, plus one held observation (csat 2026-01 = 70); returns its key.
    /// </summary>
    public async Task<string> NewScorecardAsync()
    {
        string key = "card-" + Guid.NewGuid().ToString("N")[..8];
        var data = new ScorecardBuilder()
            .With(c => c with { Id = key, Name = key, Segments = [new Segment("smb", "Small business", SegmentKind.Customer), new Segment("enterprise", "Enterprise", SegmentKind.Customer)] })
            .WithMeasures(
                ScorecardBuilder.Measure("csat"),
                ScorecardBuilder.Measure("nps"),
                ScorecardBuilder.Measure("calls") with { Formula = "[csat] * 2" },
                ScorecardBuilder.Measure("share") with { Segments = [new SegmentSeries { Segment = "smb" }, new SegmentSeries { Segment = "enterprise" }] })
            .WithObservation("csat", "2026-01", 70)
            .Build();
        await App.Services.GetRequiredService<ScorecardImport>().ImportAsync([data], new Dictionary<string, string>(), "Test org", "setup", "setup");
        return key;
    }

    public Task<ObservationImportResult> ImportCsvAsync(string key, string csv, string fileName = "values.csv") =>
        Import.ImportAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(csv)), ObservationFileFormat.Csv, fileName, "tester");

    /// <summary>Every stored row of the scorecard (current and superseded), oldest first.</summary>
    public async Task<List<StoredObservation>> RowsAsync(string key)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
        var id = await db.Scorecards.Where(s => s.Key == key).Select(s => s.Id).SingleAsync();
        return await db.Observations.AsNoTracking().Where(o => o.ScorecardId == id).OrderBy(o => o.Id).ToListAsync();
    }

    public async Task<long> DataVersionAsync(string key)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
        return await db.Scorecards.Where(s => s.Key == key).Select(s => s.DataVersion).SingleAsync();
    }
}

/// <summary>The observation-file app on the embedded SQLite file.</summary>
public sealed class SqliteObservationsApp() : ObservationsApp(DatabaseProvider.Sqlite);

/// <summary>The observation-file app on PostgreSQL.</summary>
public sealed class PostgresObservationsApp() : ObservationsApp(DatabaseProvider.Postgres);
