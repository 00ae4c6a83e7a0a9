using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.DataEntry;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.DataEntry;

/// <summary>
/// A new database (SQLite file in a temporary folder, or PostgreSQL) with the application's services, a fake clock (10 May 2026), and a
/// small scorecard: monthly calls (ana), monthly CSAT carried forward (ben), a calculated measure, a quarterly measure.
/// </summary>
public sealed class GridDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly TestDatabase _database;

    private GridDatabase(ServiceProvider services, TestDatabase database, FakeTimeProvider clock)
    {
        _services = services;
        _database = database;
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    public DataEntryGrid Grid => _services.GetRequiredService<DataEntryGrid>();

    public ScorecardImport Import => _services.GetRequiredService<ScorecardImport>();

    public ScorecardSnapshots Snapshots => _services.GetRequiredService<ScorecardSnapshots>();

    /// <summary>The stored data version of the scorecard: bumped once per saved batch.</summary>
    public async Task<long> DataVersionAsync()
    {
        var contexts = _services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<OpenBscDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        return db.Scorecards.Single(s => s.Key == "ops").DataVersion;
    }

    /// <summary>Every stored row of a measure, superseded ones included.</summary>
    public async Task<int> RowCountAsync()
    {
        var contexts = _services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<OpenBscDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        return db.Observations.Count();
    }

    public static ScorecardData Card() => new ScorecardBuilder().With(c => c with { Id = "ops", Name = "Operations" })
        .WithPerspective("p",
            ScorecardBuilder.Objective("serve",
                ScorecardBuilder.Measure("calls", 0, 100) with { Name = "Calls answered", Owner = "ana@example.org", Unit = "calls", Targets = [new PeriodTarget(Period.Parse("2026-04"), 120)] },
                ScorecardBuilder.Measure("csat", 0, 100) with { Name = "Satisfaction", Owner = "ben@example.org", Unit = "%", Inherit = 0 },
                ScorecardBuilder.Measure("double-calls", 0, 200) with { Name = "Double calls", Owner = "ana@example.org", Formula = "[calls] * 2" }),
            ScorecardBuilder.Objective("grow",
                ScorecardBuilder.Measure("revenue", 0, 1000) with { Name = "Revenue", Owner = "ana@example.org", Frequency = PeriodKind.Quarter, Aggregation = Aggregation.Sum }))
        .WithMonthly("calls", "2026-01", 90, 95, 97)
        .WithObservation("csat", "2026-01", 80)
        .Build();

    public static async Task<GridDatabase> StartAsync(DatabaseProvider provider)
    {
        var test = await TestDatabase.CreateAsync(provider);
        var options = test.Options;
        DatabaseSetup.Prepare(options, create: true);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection().AddOpenBscData(options).AddSingleton<TimeProvider>(clock).BuildServiceProvider();
        var database = new GridDatabase(services, test, clock);
        await database.Import.ImportAsync([Card()], new Dictionary<string, string>(), "Test org", "loader", "first load");
        return database;
    }

    public async Task<DataGrid> ReadAsync(string range = "2026", string? owner = null)
    {
        Assert.True(GridRange.TryParse(range, DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime), FiscalCalendar.Gregorian, out var parsed));
        return (await Grid.ReadAsync("ops", parsed, owner))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }
}

internal static class GridLookups
{
    public static GridRow Row(this DataGrid grid, string measure) =>
        grid.Sections.SelectMany(s => s.Rows).Single(r => r.Measure.Id == measure);

    public static GridCell Cell(this DataGrid grid, string measure, string period) =>
        grid.Row(measure).Cells.Single(c => c.Period.ToString() == period);
}
