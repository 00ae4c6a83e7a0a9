using OpenBsc.Application.Data;
using OpenBsc.Application.Features.DataEntry;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.IntegrationTests.DataEntry;

/// <summary>The data-entry grid on a real SQLite file with a fake clock (today is 10 May 2026).</summary>
public abstract class DataEntryGridTests(DatabaseProvider provider)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : DataEntryGridTests(DatabaseProvider.Sqlite);

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres() : DataEntryGridTests(DatabaseProvider.Postgres);

    [Fact]
    public async Task ReadAsync_FiscalYear_MarksMissingOverdueInheritedCalculatedAndFuture()
    {
        await using var database = await GridDatabase.StartAsync(provider);

        var grid = await database.ReadAsync("2026");

        var months = grid.Sections.Single(s => s.Frequency == PeriodKind.Month);
        Assert.Equal([.. Enumerable.Range(1, 12).Select(m => $"2026-{m:00}")], months.Periods.Select(p => p.ToString()));
        Assert.Equal([PeriodKind.Month, PeriodKind.Quarter], grid.Sections.Select(s => s.Frequency));

        var march = grid.Cell("calls", "2026-03");
        Assert.Equal(97, march.Stored!.Value);
        Assert.Equal(CellMarks.None, march.Marks);
        Assert.NotEqual(DataEntryGrid.NoBase, march.Base);

        // April ended 10 days ago: missing, not yet overdue; its own target applies.
        var april = grid.Cell("calls", "2026-04");
        Assert.Equal(CellMarks.Missing, april.Marks);
        Assert.Equal(120, april.Target);
        Assert.Equal(100, grid.Cell("calls", "2026-03").Target);
        Assert.Equal(DataEntryGrid.NoBase, april.Base);
        Assert.Equal(CellMarks.InProgress, grid.Cell("calls", "2026-05").Marks);
        Assert.Equal(CellMarks.Future, grid.Cell("calls", "2026-06").Marks);

        // Q1 ended 40 days ago without a value: overdue.
        Assert.Equal(CellMarks.Missing | CellMarks.Overdue, grid.Cell("revenue", "2026-Q1").Marks);

        var inherited = grid.Cell("csat", "2026-03");
        Assert.True(inherited.Has(CellMarks.Inherited));
        Assert.False(inherited.Has(CellMarks.Missing));
        Assert.Null(inherited.Stored);
        Assert.Equal(80, inherited.Shown);

        var calculated = grid.Row("double-calls");
        Assert.True(calculated.ReadOnly);
        Assert.True(calculated.Cells[0].Has(CellMarks.Calculated));
        Assert.Equal(180, calculated.Cells[0].Shown);
    }

    [Fact]
    public async Task ReadAsync_Owner_ShowsOnlyTheMeasuresTheyOwn()
    {
        await using var database = await GridDatabase.StartAsync(provider);

        var ben = await database.ReadAsync(owner: "Ben@Example.org");
        var ana = await database.ReadAsync(owner: "ana@example.org");

        Assert.Equal(["csat"], ben.Sections.SelectMany(s => s.Rows).Select(r => r.Measure.Id));
        Assert.Equal(["calls", "double-calls", "revenue"], ana.Sections.SelectMany(s => s.Rows).Select(r => r.Measure.Id));
        Assert.Equal(["ana@example.org", "ben@example.org"], ana.Owners);
    }

    [Fact]
    public async Task ReadAsync_Last12Months_EndsWithTheCurrentMonth()
    {
        await using var database = await GridDatabase.StartAsync(provider);

        var grid = await database.ReadAsync(GridRange.Last12Months);

        var months = grid.Sections.Single(s => s.Frequency == PeriodKind.Month).Periods;
        Assert.Equal("2025-06", months[0].ToString());
        Assert.Equal("2026-05", months[^1].ToString());
        Assert.Equal(["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"], grid.Sections.Single(s => s.Frequency == PeriodKind.Quarter).Periods.Select(p => p.ToString()));
    }

    [Fact]
    public async Task SaveAsync_NewValues_AreAddedInOneBatchAndBumpTheDataVersionOnce()
    {
        await using var database = await GridDatabase.StartAsync(provider);
        long before = await database.DataVersionAsync();

        var result = await database.Grid.SaveAsync("ops", [
            new CellEdit("calls", "2026-04", "110", "busy month"),
            new CellEdit("revenue", "2026-Q1", "512.5"),
        ], "ana@example.org");

        Assert.True(result!.Succeeded);
        Assert.Equal([("calls", 110.0, false), ("revenue", 512.5, false)], result.Saved.Select(s => (s.Measure, s.Value, s.Corrected)));
        Assert.Equal(before + 1, await database.DataVersionAsync());
        var grid = await database.ReadAsync();
        var april = grid.Cell("calls", "2026-04");
        Assert.Equal((110.0, "busy month", "ana@example.org"), (april.Stored!.Value, april.Stored.Note, april.Stored.EnteredBy));
        Assert.Equal(CellMarks.None, april.Marks);
        Assert.Equal(220, grid.Cell("double-calls", "2026-04").Shown);
    }

    [Fact]
    public async Task SaveAsync_Correction_SupersedesAndKeepsTheOldValueInHistory()
    {
        await using var database = await GridDatabase.StartAsync(provider);
        var march = (await database.ReadAsync()).Cell("calls", "2026-03");

        var result = await database.Grid.SaveAsync("ops", [new CellEdit("calls", "2026-03", "99", null, "recounted the logs", march.Base)], "ben@example.org");

        var saved = Assert.Single(result!.Saved);
        Assert.Equal(97, saved.Was);
        var history = (await database.Snapshots.HistoryAsync("ops", "calls")).Where(h => h.Period == "2026-03").ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal(99, history[0].Value);
        Assert.Null(history[0].SupersededAt);
        Assert.Equal((97.0, "ben@example.org", "recounted the logs"), (history[1].Value, history[1].SupersededBy, history[1].CorrectionReason));
        Assert.Equal(database.Clock.GetUtcNow().UtcDateTime, history[1].SupersededAt);
        Assert.Equal(99, (await database.ReadAsync()).Cell("calls", "2026-03").Stored!.Value);
    }

    [Fact]
    public async Task SaveAsync_CorrectionWithoutReason_RefusesTheBatchAndStoresNothing()
    {
        await using var database = await GridDatabase.StartAsync(provider);
        var grid = await database.ReadAsync();
        long version = await database.DataVersionAsync();
        int rows = await database.RowCountAsync();

        var result = await database.Grid.SaveAsync("ops", [
            new CellEdit("calls", "2026-04", "110"),
            new CellEdit("calls", "2026-03", "99", Base: grid.Cell("calls", "2026-03").Base),
        ], "ana");

        Assert.False(result!.Succeeded);
        Assert.Empty(result.Saved);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(("calls", "2026-03", "reason"), (problem.Measure, problem.Period, problem.Field));
        Assert.Contains("changing 97 to 99 is a correction: give a reason", problem.Message, StringComparison.Ordinal);
        Assert.Equal(version, await database.DataVersionAsync());
        Assert.Equal(rows, await database.RowCountAsync());
        Assert.Null((await database.ReadAsync()).Cell("calls", "2026-04").Stored);
    }

    [Fact]
    public async Task SaveAsync_ConcurrentWriter_IsAConflictAndNothingInTheBatchIsSaved()
    {
        await using var database = await GridDatabase.StartAsync(provider);
        var mine = await database.ReadAsync();
        database.Clock.Advance(TimeSpan.FromMinutes(5));
        var theirs = await database.Grid.SaveAsync("ops", [new CellEdit("calls", "2026-04", "111", Base: mine.Cell("calls", "2026-04").Base)], "ben@example.org");
        Assert.True(theirs!.Succeeded);
        long version = await database.DataVersionAsync();

        var result = await database.Grid.SaveAsync("ops", [
            new CellEdit("revenue", "2026-Q1", "500", Base: mine.Cell("revenue", "2026-Q1").Base),
            new CellEdit("calls", "2026-04", "110", Base: mine.Cell("calls", "2026-04").Base),
        ], "ana@example.org");

        Assert.False(result!.Succeeded);
        var conflict = Assert.Single(result.Conflicts);
        Assert.Equal(("calls", "2026-04", 111.0, "ben@example.org"), (conflict.Measure, conflict.Period, conflict.TheirValue, conflict.EnteredBy));
        Assert.Equal(new DateTime(2026, 5, 10, 9, 5, 0, DateTimeKind.Utc), conflict.EnteredAt);
        Assert.Contains("ben@example.org entered 111 at 2026-05-10 09:05 UTC", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(version, await database.DataVersionAsync());
        var after = await database.ReadAsync();
        Assert.Null(after.Cell("revenue", "2026-Q1").Stored);
        Assert.Equal(111, after.Cell("calls", "2026-04").Stored!.Value);
    }

    [Fact]
    public async Task SaveAsync_SameBatchTwice_IsNotAConflict()
    {
        await using var database = await GridDatabase.StartAsync(provider);
        CellEdit[] batch = [new CellEdit("calls", "2026-04", "110")];

        var first = await database.Grid.SaveAsync("ops", batch, "ana");
        long version = await database.DataVersionAsync();
        var again = await database.Grid.SaveAsync("ops", batch, "ana");

        Assert.Single(first!.Saved);
        Assert.True(again!.Succeeded);
        Assert.Empty(again.Saved);
        Assert.Equal(1, again.Unchanged);
        Assert.Equal(version, await database.DataVersionAsync());
    }

    [Fact]
    public async Task SaveAsync_BadCells_NameTheCellAndWhatWasExpected()
    {
        await using var database = await GridDatabase.StartAsync(provider);
        int rows = await database.RowCountAsync();

        var result = await database.Grid.SaveAsync("ops", [
            new CellEdit("double-calls", "2026-04", "5"),
            new CellEdit("calls", "2026-04", "12,5"),
            new CellEdit("calls", "2026-Q2", "5"),
            new CellEdit("nope", "2026-04", "5"),
            new CellEdit("revenue", "2026-Q2", "", "a comment alone"),
            new CellEdit("csat", "2026-04", "81"),
        ], "ana");

        Assert.Empty(result!.Saved);
        Assert.Equal(
            [
                ("double-calls", "2026-04", "measure"),
                ("calls", "2026-04", "value"),
                ("calls", "2026-Q2", "period"),
                ("nope", "2026-04", "measure"),
                ("revenue", "2026-Q2", "value"),
            ],
            result.Problems.Select(p => (p.Measure, p.Period, p.Field)));
        Assert.Contains("is calculated from its formula", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("'12,5' is not a number", result.Problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("expected a month period, not a quarter", result.Problems[2].Message, StringComparison.Ordinal);
        Assert.Contains("a comment needs a value", result.Problems[4].Message, StringComparison.Ordinal);
        Assert.Equal(rows, await database.RowCountAsync());
    }

    [Fact]
    public async Task SaveAsync_UnchangedCells_AreSkippedWithoutTouchingTheVersion()
    {
        await using var database = await GridDatabase.StartAsync(provider);
        var grid = await database.ReadAsync();
        long version = await database.DataVersionAsync();
        var everyCell = grid.Sections.SelectMany(s => s.Rows).Where(r => !r.ReadOnly)
            .SelectMany(r => r.Cells.Select(c => new CellEdit(r.Measure.Id, c.Period.ToString(), c.Stored?.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Stored?.Note, null, c.Base)))
            .ToList();

        var result = await database.Grid.SaveAsync("ops", everyCell, "ana");

        Assert.True(result!.Succeeded);
        Assert.Empty(result.Saved);
        Assert.Equal(everyCell.Count, result.Unchanged);
        Assert.Equal(version, await database.DataVersionAsync());
    }

    [Fact]
    public async Task Segmented_Measure_IsReadOnlyAndItsCellsAreRefused()
    {
        await using var database = await GridDatabase.StartAsync(provider);
        var card = GridDatabase.Card();
        var definition = Domain.Editing.ScorecardEdits.UpdateMeasure(
            card.Scorecard with { Segments = [new Domain.Scorecards.Segment("retail", "Retail", Domain.Scorecards.SegmentKind.Customer)] },
            "csat",
            Domain.Editing.ScorecardEdits.FindMeasure(card.Scorecard, "csat")! with { Segments = [new Domain.Scorecards.SegmentSeries { Segment = "retail" }] }).Scorecard!;
        var segmented = new Domain.Scorecards.ScorecardData(definition, [.. card.Observations.Where(o => o.Measure != "csat"), new Domain.Scorecards.Observation("csat", Period.Parse("2026-02"), 77, null, "retail")]);
        await database.Import.ImportAsync([segmented], new Dictionary<string, string>(), null, "loader", "segments");

        var grid = await database.ReadAsync();
        var result = await database.Grid.SaveAsync("ops", [new CellEdit("csat", "2026-04", "81")], "ana");

        Assert.Contains("per customer segment", grid.Row("csat").ReadOnlyReason, StringComparison.Ordinal);
        Assert.True(grid.Cell("csat", "2026-04").Has(CellMarks.Segmented));
        var problem = Assert.Single(result!.Problems);
        Assert.Equal(("csat", "measure"), (problem.Measure, problem.Field));
        Assert.Empty(result.Saved);
    }
}
