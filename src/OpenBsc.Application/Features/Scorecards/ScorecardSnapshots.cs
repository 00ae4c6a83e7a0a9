using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.Scorecards;

/// <summary>A stored scorecard as listed: its key, name and the scorecards it takes contributions from.</summary>
public sealed record ScorecardSummary(Guid Id, string Key, string Name, IReadOnlyList<string> CascadesFrom);

/// <summary>
/// A scorecard loaded for evaluation with the scorecards it cascades from: the immutable engine model and the
/// definitions. Evaluations per period are memoised (the snapshot is replaced when any version changes).
/// </summary>
public sealed class ScorecardSnapshot(ScorecardModel model, IReadOnlyList<ScorecardData> bundle, IReadOnlyDictionary<string, Scorecard> cards, string stamp, DateOnly? firstDay, DateOnly? lastDay, Guid id = default, Guid organisationId = default, Period? closedPeriod = null)
{
    /// <summary>The latest period closed for this scorecard (values up to its end are locked), or null.</summary>
    public Period? ClosedPeriod { get; } = closedPeriod;

    /// <summary>The stored scorecard's id (empty for a snapshot not loaded from the database).</summary>
    public Guid Id { get; } = id;

    /// <summary>The organisation holding the scorecard: whose today and whose closed periods apply.</summary>
    public Guid OrganisationId { get; } = organisationId;

    private readonly ConcurrentDictionary<Period, ScorecardAnalysis> _analyses = new();

    // Bounded: a page is evaluated for a handful of periods; more distinct periods than this just recompute.
    private const int MaxEvaluations = 256;
    private readonly ConcurrentDictionary<PeriodView, ScorecardEvaluation> _evaluations = new();

    public ScorecardModel Model { get; } = model;

    /// <summary>The data the model was built from (this scorecard first): what-if runs change a copy of it.</summary>
    public IReadOnlyList<ScorecardData> Bundle { get; } = bundle;

    /// <summary>Forecasts, link checks, detected tensions, performers and weights at a period (memoised).</summary>
    public ScorecardAnalysis Analyze(Period period)
    {
        if (_analyses.TryGetValue(period, out var known))
        {
            return known;
        }

        var analysis = ScorecardAnalysis.Run(Model, Scorecard, period);
        if (_analyses.Count < MaxEvaluations)
        {
            _analyses.TryAdd(period, analysis);
        }

        return analysis;
    }

    public Scorecard Scorecard => Model.Scorecard;

    /// <summary>This scorecard and its cascade sources, by key.</summary>
    public IReadOnlyDictionary<string, Scorecard> Cards { get; } = cards;

    /// <summary>The versions this snapshot was built from: definition and data versions of every scorecard in it.</summary>
    public string Stamp { get; } = stamp;

    /// <summary>First day of the earliest observed period of this scorecard (null without data).</summary>
    public DateOnly? FirstDay { get; } = firstDay;

    /// <summary>First day of the latest observed period of this scorecard (null without data).</summary>
    public DateOnly? LastDay { get; } = lastDay;

    /// <summary>
    /// The scorecard's current reporting period, what every page shows when no period is asked for (docs/scoring.md
    /// §5): the latest closed period, else the latest period of the scorecard's reporting frequency that has ended by
    /// <paramref name="today"/>. A value entered early for a period not yet ended never moves it.
    /// </summary>
    public Period ReportingPeriod(DateOnly today)
    {
        if (ClosedPeriod is { } closed)
        {
            return closed;
        }

        var calendar = Scorecard.Calendar;
        var current = Period.Containing(Scorecard.ReportingFrequency(), today, calendar);
        return current.End(calendar) <= today ? current : current.Previous();
    }

    /// <summary>The month of the latest observation (null without data).</summary>
    public Period? LatestObservedMonth => LastDay is { } day ? Period.Containing(PeriodKind.Month, day, FiscalCalendar.Gregorian) : null;

    public ScorecardEvaluation Evaluate(PeriodView view)
    {
        if (_evaluations.TryGetValue(view, out var known))
        {
            return known;
        }

        var evaluation = Model.Evaluate(view);
        if (_evaluations.Count < MaxEvaluations)
        {
            _evaluations.TryAdd(view, evaluation);
        }

        return evaluation;
    }
}

/// <summary>One row of a measure's history, superseded values included.</summary>
public sealed record ObservationHistoryRow(
    string Period,
    double Value,
    string? Note,
    string? EnteredBy,
    DateTime EnteredAt,
    DateTime? SupersededAt,
    string? SupersededBy,
    string? CorrectionReason,
    string? Segment = null);

/// <summary>
/// What every request shares: parsed definitions and loaded snapshots, by scorecard id (never by key: keys are unique
/// per organisation only), read through system contexts (by id, so no organisation filter is needed).
/// </summary>
public sealed class ScorecardSnapshotCache(SystemDbContexts contexts)
{
    internal SystemDbContexts Contexts { get; } = contexts;

    internal ConcurrentDictionary<Guid, ScorecardSnapshot> Snapshots { get; } = new();

    internal ConcurrentDictionary<(Guid Id, long Version), Scorecard> Definitions { get; } = new();

    // Loads in progress, by the root scorecard's id and versions: concurrent requests after a change share one load.
    internal ConcurrentDictionary<string, Lazy<Task<ScorecardSnapshot>>> Loading { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Loads stored scorecards for evaluation with a few set-based queries (versions, definitions, current
/// observations of the whole cascade) and caches the result per version stamp, so that a write through any
/// node is seen by the next request on every node. Keys resolve in the request's organisation (its contexts);
/// snapshots are shared by every request (<see cref="ScorecardSnapshotCache"/>).
/// </summary>
public sealed class ScorecardSnapshots(IDbContextFactory<OpenBscDbContext> contexts, ScorecardSnapshotCache cache)
{
    private readonly ConcurrentDictionary<Guid, ScorecardSnapshot> _snapshots = cache.Snapshots;
    private readonly ConcurrentDictionary<(Guid Id, long Version), Scorecard> _definitions = cache.Definitions;
    private readonly ConcurrentDictionary<string, Lazy<Task<ScorecardSnapshot>>> _loading = cache.Loading;

    private sealed record VersionRow(Guid Id, Guid OrganisationId, string Key, string Name, long Version, long DataVersion);

    public async Task<IReadOnlyList<ScorecardSummary>> ListAsync(CancellationToken cancellationToken = default) =>
        (await SummariesAsync(_ => true, cancellationToken)).Summaries.ConvertAll(s => s.Summary);

    /// <summary>
    /// The listed scorecards whose key <paramref name="include"/> admits (<c>All</c>), and those that
    /// <paramref name="choose"/> picks among them, in its order, each with its snapshot (<c>Chosen</c>): a page of a long
    /// list loads and evaluates only its own scorecards. The version rows are read once for all of them (not once per
    /// scorecard, as a <see cref="GetAsync(string, CancellationToken)"/> per row would): once the snapshots are loaded,
    /// a page listing 1,000 scorecards costs one query, like one listing three.
    /// </summary>
    public async Task<(IReadOnlyList<ScorecardSummary> All, IReadOnlyList<(ScorecardSummary Summary, ScorecardSnapshot Snapshot)> Chosen)> ListWithSnapshotsAsync(
        Func<string, bool> include, Func<IReadOnlyList<ScorecardSummary>, IEnumerable<ScorecardSummary>> choose, CancellationToken cancellationToken = default)
    {
        var (rows, summaries) = await SummariesAsync(include, cancellationToken);
        var all = summaries.ConvertAll(s => s.Summary);
        var rowOf = summaries.ToDictionary(s => s.Summary.Id, s => s.Row);
        var chosen = choose(all).ToList();
        var listed = new List<(ScorecardSummary, ScorecardSnapshot)>(chosen.Count);
        // One key index per organisation, not one per scorecard: with 1,000 scorecards, building it for each was a
        // million dictionary inserts on every visit of the organisation page.
        var organisations = new Dictionary<Guid, Dictionary<string, VersionRow>>();
        foreach (var summary in chosen)
        {
            var row = rowOf[summary.Id];
            if (!organisations.TryGetValue(row.OrganisationId, out var versions))
            {
                versions = organisations[row.OrganisationId] = SameOrganisation(rows, row);
            }

            listed.Add((summary, await SnapshotOfAsync(row, versions, cancellationToken)));
        }

        return (all, listed);
    }

    private async Task<(List<VersionRow> Rows, List<(VersionRow Row, ScorecardSummary Summary)> Summaries)> SummariesAsync(Func<string, bool> include, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await Versions(db).ToListAsync(cancellationToken);
        var summaries = new List<(VersionRow, ScorecardSummary)>();
        foreach (var row in rows.Where(r => include(r.Key)))
        {
            var card = await DefinitionAsync(db, row, cancellationToken);
            summaries.Add((row, new ScorecardSummary(row.Id, row.Key, row.Name, [.. card.Cascade.Select(c => c.SourceScorecard).Distinct()])));
        }

        return (rows, summaries);
    }

    /// <summary>
    /// Loads scorecards before anyone asks, so that first pages do not wait: the smallest first, while their measures
    /// (each snapshot's cascade sources included) stay within <paramref name="measureBudget"/> in all. A node does not
    /// spend its start and its memory on a giant scorecard nobody may open (the 100,000-measure synthetic company took
    /// 20 s of both cores and 1 GB on every node); such a scorecard loads on its first request.
    /// </summary>
    /// <returns>The keys loaded.</returns>
    public async Task<IReadOnlyList<string>> WarmUpAsync(int measureBudget, CancellationToken cancellationToken = default)
    {
        List<VersionRow> rows;
        var measures = new Dictionary<Guid, int>();
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            rows = await Versions(db).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                measures[row.Id] = (await DefinitionAsync(db, row, cancellationToken)).AllMeasures().Count();
            }
        }

        // A snapshot holds its own copy of its cascade sources' data, so its size counts them too.
        var sizes = new List<(VersionRow Row, int Measures)>();
        foreach (var row in rows)
        {
            var closure = await KnownClosureAsync(row, SameOrganisation(rows, row));
            sizes.Add((row, closure?.Sum(c => measures[c.Row.Id]) ?? measures[row.Id]));
        }

        var loaded = new List<string>();
        long spent = 0;
        foreach (var (row, size) in sizes.OrderBy(s => s.Measures).ThenBy(s => s.Row.Key, StringComparer.Ordinal))
        {
            if (spent + size > measureBudget)
            {
                continue;
            }

            await SnapshotOfAsync(row, rows, cancellationToken);
            spent += size;
            loaded.Add(row.Key);
        }

        return loaded;
    }

    /// <summary>
    /// The snapshot of scorecard <paramref name="key"/> in the request's organisation (<see cref="Security.RequestContext"/>),
    /// or null when there is no such scorecard. Without a tenant, a key several organisations hold names the oldest
    /// organisation's (<see cref="ScorecardKeys"/>).
    /// </summary>
    public async Task<ScorecardSnapshot?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        List<VersionRow> rows;
        VersionRow root;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            rows = await Versions(db).ToListAsync(cancellationToken);
            var holders = rows.Where(v => v.Key == key).ToList();
            if (holders.Count == 0)
            {
                return null;
            }

            root = holders[0];
            if (holders.Count > 1)
            {
                var oldestFirst = (await ScorecardKeys.HoldersAsync(db, key, cancellationToken)).ConvertAll(o => o.Id);
                root = holders.MinBy(v => oldestFirst.IndexOf(v.OrganisationId))!;
            }
        }

        return await SnapshotOfAsync(root, rows, cancellationToken);
    }

    /// <summary>The snapshot of scorecard <paramref name="key"/> of the organisation <paramref name="organisationId"/> (background work, which has no signed-in user), or null.</summary>
    public async Task<ScorecardSnapshot?> GetAsync(Guid organisationId, string key, CancellationToken cancellationToken = default)
    {
        List<VersionRow> rows;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            rows = await Versions(db.Scorecards.IgnoreQueryFilters().Where(s => s.OrganisationId == organisationId)).ToListAsync(cancellationToken);
        }

        var root = rows.FirstOrDefault(v => v.Key == key);
        return root is null ? null : await SnapshotOfAsync(root, rows, cancellationToken);
    }

    private Task<ScorecardSnapshot> SnapshotOfAsync(VersionRow root, List<VersionRow> rows, CancellationToken cancellationToken) =>
        SnapshotOfAsync(root, SameOrganisation(rows, root), cancellationToken);

    /// <summary>The snapshot of <paramref name="root"/>, given its organisation's scorecards by key (<see cref="SameOrganisation"/>).</summary>
    private async Task<ScorecardSnapshot> SnapshotOfAsync(VersionRow root, Dictionary<string, VersionRow> versions, CancellationToken cancellationToken)
    {
        // Every definition of the cascade already parsed: the stamp is known without reading more.
        if (await KnownClosureAsync(root, versions) is { } known && _snapshots.TryGetValue(root.Id, out var cached) && cached.Stamp == Stamp(known))
        {
            return cached;
        }

        // Concurrent requests after a change share one load instead of each parsing and reading it all.
        string loading = $"{root.Id}:{root.Version}:{root.DataVersion}";
        var load = _loading.GetOrAdd(loading, _ => new Lazy<Task<ScorecardSnapshot>>(() => Metrics.TimeSnapshotLoadAsync(() => LoadAsync(root, versions, CancellationToken.None))));
        try
        {
            var snapshot = await load.Value.WaitAsync(cancellationToken);
            _snapshots[root.Id] = snapshot;
            return snapshot;
        }
        finally
        {
            if (load.IsValueCreated && load.Value.IsCompleted)
            {
                _loading.TryRemove(loading, out _);
            }
        }
    }

    /// <summary>The scorecards a cascade may cite from <paramref name="root"/>: its own organisation's, by key.</summary>
    private static Dictionary<string, VersionRow> SameOrganisation(List<VersionRow> rows, VersionRow root) =>
        rows.Where(v => v.OrganisationId == root.OrganisationId).ToDictionary(v => v.Key, StringComparer.Ordinal);

    /// <summary>
    /// The cascade closure: this scorecard and every scorecard it takes contributions from, each with its definition
    /// from <paramref name="definition"/>; null as soon as one has none.
    /// </summary>
    private static async ValueTask<List<(VersionRow Row, Scorecard Card)>?> ClosureAsync(VersionRow root, Dictionary<string, VersionRow> versions, Func<VersionRow, ValueTask<Scorecard?>> definition)
    {
        var closure = new List<(VersionRow Row, Scorecard Card)>();
        var pending = new List<VersionRow> { root };
        for (int i = 0; i < pending.Count; i++)
        {
            if (await definition(pending[i]) is not { } card)
            {
                return null;
            }

            closure.Add((pending[i], card));
            foreach (string source in card.Cascade.Select(c => c.SourceScorecard))
            {
                if (versions.TryGetValue(source, out var row) && pending.All(c => c.Key != source))
                {
                    pending.Add(row);
                }
            }
        }

        return closure;
    }

    /// <summary>The closure when every definition in it is parsed already (nothing read); otherwise null.</summary>
    private ValueTask<List<(VersionRow Row, Scorecard Card)>?> KnownClosureAsync(VersionRow root, Dictionary<string, VersionRow> versions) =>
        ClosureAsync(root, versions, row => ValueTask.FromResult(_definitions.GetValueOrDefault((row.Id, row.Version))));

    private static string Stamp(IEnumerable<(VersionRow Row, Scorecard Card)> closure) =>
        string.Join(';', closure.Select(c => $"{c.Row.Id}:{c.Row.Version}:{c.Row.DataVersion}"));

    /// <summary>
    /// Loads the scorecard and its cascade sources. Each scorecard's rows are read (on their own connection) while
    /// its definition parses and the cascade is followed: for 5,000 measures the two take about as long as each other.
    /// </summary>
    private async Task<ScorecardSnapshot> LoadAsync(VersionRow root, Dictionary<string, VersionRow> versions, CancellationToken cancellationToken)
    {
        var reads = new List<Task<List<Observation>>>();
        try
        {
            List<(VersionRow Row, Scorecard Card)> closure;
            await using (var db = await cache.Contexts.CreateDbContextAsync(cancellationToken))
            {
                // Never null: every definition is read.
                closure = (await ClosureAsync(root, versions, async row =>
                {
                    // On a pool thread: SQLite's "async" reads run synchronously and would otherwise read before parsing.
                    reads.Add(Task.Run(() => ObservationsAsync(row.Id, cancellationToken), cancellationToken));
                    return await DefinitionAsync(db, row, cancellationToken);
                }))!;
            }

            var rows = await Task.WhenAll(reads);
            var bundle = closure.Select((c, i) => new ScorecardData(c.Card, rows[i])).ToList();

            // First days of the earliest and latest periods observed, as stored (PeriodStart: the scorecard's calendar).
            var calendar = bundle[0].Scorecard.Calendar;
            var starts = bundle[0].Observations.Select(o => o.Period).Distinct().Select(p => p.Start(calendar)).ToList();
            DateOnly? firstDay = starts.Count == 0 ? null : starts.Min();
            DateOnly? lastDay = starts.Count == 0 ? null : starts.Max();
            var cards = closure.ToDictionary(c => c.Row.Key, c => c.Card, StringComparer.Ordinal);
            Period? closed = await ClosedPeriodAsync(root.Id, cancellationToken);
            return new ScorecardSnapshot(ScorecardModel.Build(bundle), bundle, cards, Stamp(closure), firstDay, lastDay, root.Id, root.OrganisationId, closed);
        }
        catch
        {
            // A failed parse must not leave a read running unobserved.
            await Task.WhenAll(reads.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
            throw;
        }
    }

    /// <summary>
    /// The current observations of one scorecard, with only what the engine needs, read with a plain data reader:
    /// for 300,000 rows EF's async materialisation took 3× the reader's time (bench/README.md). A handful of
    /// distinct period texts come back among many thousand rows: each is parsed once.
    /// </summary>
    private async Task<List<Observation>> ObservationsAsync(Guid scorecardId, CancellationToken cancellationToken)
    {
        await using var db = await cache.Contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = """SELECT "MeasureKey", "Segment", "Period", "Value", "Note" FROM observations WHERE "ScorecardId" = @id AND "SupersededAt" IS NULL""";
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        // The key as each provider stores it: uuid on PostgreSQL, EF Core's upper-case GUID text on SQLite.
        id.Value = ObservationCopy.Applies(db) ? scorecardId : scorecardId.ToString().ToUpperInvariant();
        command.Parameters.Add(id);
        var periods = new Dictionary<string, Period>(StringComparer.Ordinal);
        var observations = new List<Observation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string text = reader.GetString(2);
            if (!periods.TryGetValue(text, out var period))
            {
                period = periods[text] = Period.Parse(text);
            }

            observations.Add(new Observation(reader.GetString(0), period, reader.GetDouble(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return observations;
    }

    /// <summary>Every value ever entered for a measure, newest period first, corrections beside what they replaced.</summary>
    /// <summary>The latest period closed (and not reopened) for a scorecard; closing moves the data version, so the snapshot reloads.</summary>
    private async Task<Period?> ClosedPeriodAsync(Guid scorecardId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string? text = await db.PeriodCloses.AsNoTracking().Where(c => c.ScorecardId == scorecardId && c.ReopenedAt == null)
            .OrderByDescending(c => c.LastDay).Select(c => c.Period).FirstOrDefaultAsync(cancellationToken);
        return text is not null && Period.TryParse(text, out var period) ? period : null;
    }

    public async Task<IReadOnlyList<ObservationHistoryRow>> HistoryAsync(string scorecardKey, string measureKey, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Observations.AsNoTracking()
            .Where(o => o.MeasureKey == measureKey && db.Scorecards.Any(s => s.Id == o.ScorecardId && s.Key == scorecardKey))
            .OrderByDescending(o => o.PeriodStart).ThenByDescending(o => o.Id)
            .Select(o => new ObservationHistoryRow(o.Period, o.Value, o.Note, o.EnteredBy, o.EnteredAt, o.SupersededAt, o.SupersededBy, o.CorrectionReason, o.Segment))
            .ToListAsync(cancellationToken);
        return rows;
    }

    private static IQueryable<VersionRow> Versions(OpenBscDbContext db) => Versions(db.Scorecards);

    private static IQueryable<VersionRow> Versions(IQueryable<StoredScorecard> scorecards) =>
        // Archived scorecards are kept with their data but are not shown (the editor lists and restores them).
        scorecards.AsNoTracking().Where(s => s.ArchivedAt == null).OrderBy(s => s.Name).Select(s => new VersionRow(s.Id, s.OrganisationId, s.Key, s.Name, s.Version, s.DataVersion));

    private async Task<Scorecard> DefinitionAsync(OpenBscDbContext db, VersionRow row, CancellationToken cancellationToken)
    {
        if (_definitions.TryGetValue((row.Id, row.Version), out var known))
        {
            return known;
        }

        string json = await db.Scorecards.AsNoTracking().Where(s => s.Id == row.Id).Select(s => s.Definition).SingleAsync(cancellationToken);
        var card = ScorecardFileReader.ParseStored(json, $"{row.Key} v{row.Version}");
        _definitions[(row.Id, row.Version)] = card;
        return card;
    }
}
