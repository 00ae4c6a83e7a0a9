using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Scoring;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.Transfer;

/// <summary>Rows of one table in the source and in the target after a copy.</summary>
public sealed record TableCount(string Table, long Source, long Target)
{
    public bool Same => Source == Target;
}

/// <summary>One scorecard's scores (every node, at its latest period with data) compared between source and target.</summary>
public sealed record ScoreComparison(string Scorecard, string Period, int Nodes, bool Same);

/// <summary>What <c>openbsc db copy</c> did: counts per table and scores per scorecard, both sides.</summary>
/// <param name="Tables">Row counts per table, both sides.</param>
/// <param name="Scores">Every scorecard's scores, both sides.</param>
/// <param name="NulCharactersReplaced">NUL characters (U+0000) in text, which PostgreSQL cannot store, written as U+FFFD.</param>
public sealed record CopyReport(IReadOnlyList<TableCount> Tables, IReadOnlyList<ScoreComparison> Scores, long NulCharactersReplaced = 0)
{
    public bool Identical => Tables.All(t => t.Same) && Scores.All(s => s.Same);
}

/// <summary>Why a copy did not start (the target already holds data).</summary>
public sealed class CopyRefusedException(string message) : Exception(message);

/// <summary>
/// Copies every table of one OpenBsc database into another (typically an embedded SQLite file into PostgreSQL),
/// rows and ids as they are, observation history with superseded rows included; then compares the row counts
/// of every table and the scores of every scorecard on both sides. The target must be migrated and empty.
/// </summary>
public static class DatabaseCopy
{
    private const int Chunk = 20_000;

    public static async Task<CopyReport> CopyAsync(DatabaseOptions source, DatabaseOptions target, CancellationToken cancellationToken = default)
    {
        await using var from = new OpenBscDbContext(DatabaseSetup.ContextOptions(source));
        await using var to = new OpenBscDbContext(DatabaseSetup.ContextOptions(target));
        if (await to.Organisations.AnyAsync(cancellationToken) || await to.Scorecards.IgnoreQueryFilters().AnyAsync(cancellationToken))
        {
            throw new CopyRefusedException($"The target {target.Description} already holds data; copy into a new, migrated database.");
        }

        to.ChangeTracker.AutoDetectChangesEnabled = false;
        var tables = CopyOrder(to.Model);
        var nul = new NulCount(ObservationCopy.Applies(to));
        await using (var transaction = await to.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var entity in tables)
            {
                if (entity.ClrType == typeof(StoredObservation))
                {
                    await CopyObservationsAsync(from, to, nul, cancellationToken);
                }
                else
                {
                    await (Task)CopyEntityMethod.MakeGenericMethod(entity.ClrType).Invoke(null, [from, to, entity, nul, cancellationToken])!;
                }
            }

            if (ObservationCopy.Applies(to))
            {
                foreach (var entity in tables.Where(HasIdentity))
                {
                    await ObservationCopy.MoveSequencePastAsync(to, entity.GetTableName()!, cancellationToken, entity.FindPrimaryKey()!.Properties[0].GetColumnName());
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var counts = new List<TableCount>();
        foreach (var entity in tables)
        {
            string table = entity.GetTableName()!;
            counts.Add(new(table, await CountAsync(from, table, cancellationToken), await CountAsync(to, table, cancellationToken)));
            if (entity.ClrType == typeof(StoredObservation))
            {
                counts.Add(new("observations superseded", await from.Observations.LongCountAsync(o => o.SupersededAt != null, cancellationToken), await to.Observations.LongCountAsync(o => o.SupersededAt != null, cancellationToken)));
            }
        }

        var before = await ScoresAsync(source, cancellationToken);
        var after = await ScoresAsync(target, cancellationToken);
        // A name or note whose NUL characters were replaced reads the same on both sides once they are replaced here too.
        var scores = before
            .Select(b => after.TryGetValue(b.Key, out var a)
                ? new ScoreComparison(b.Key, b.Value.Period, b.Value.Nodes, a.Json == b.Value.Json.Replace("\\u0000", "\\uFFFD", StringComparison.Ordinal))
                : new ScoreComparison(b.Key, b.Value.Period, b.Value.Nodes, Same: false))
            .Concat(after.Keys.Except(before.Keys).Select(k => new ScoreComparison(k, after[k].Period, after[k].Nodes, Same: false)))
            .OrderBy(s => s.Scorecard, StringComparer.Ordinal)
            .ToList();
        return new CopyReport(counts, scores, nul.Count);
    }

    /// <summary>
    /// Every live scorecard's full score report (every node) at its latest month with data, as JSON, by key: the
    /// same numbers on two databases give the same strings.
    /// </summary>
    public static async Task<Dictionary<string, (string Period, int Nodes, string Json)>> ScoresAsync(DatabaseOptions database, CancellationToken cancellationToken = default)
    {
        await using var services = new ServiceCollection().AddOpenBscData(database).BuildServiceProvider();
        var snapshots = services.GetRequiredService<ScorecardSnapshots>();
        var scores = new Dictionary<string, (string, int, string)>(StringComparer.Ordinal);
        foreach (var summary in await snapshots.ListAsync(cancellationToken))
        {
            var snapshot = (await snapshots.GetAsync(summary.Key, cancellationToken))!;
            // The latest month with data, judged as ended: the same figures on both databases whatever the date.
            var period = snapshot.LatestObservedMonth ?? Period.Containing(PeriodKind.Month, new DateOnly(2000, 1, 1), FiscalCalendar.Gregorian);
            var report = ScoreReport.From(snapshot.Evaluate(new PeriodView(period)));
            scores[summary.Key] = (period.ToString(), report.Nodes.Count, JsonSerializer.Serialize(report));
        }

        return scores;
    }

    private static readonly System.Reflection.MethodInfo CopyEntityMethod =
        typeof(DatabaseCopy).GetMethod(nameof(CopyEntityAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    /// <summary>
    /// Every table of the model, each after the tables it refers to: users, roles, tokens, the audit log, alerts and
    /// deliveries move with the scorecards (a table added later is copied without anyone remembering to list it).
    /// </summary>
    private static List<IEntityType> CopyOrder(IModel model)
    {
        var entities = model.GetEntityTypes().Where(e => !e.IsOwned() && e.GetTableName() is not null).OrderBy(e => e.GetTableName(), StringComparer.Ordinal).ToList();
        var ordered = new List<IEntityType>();
        var placed = new HashSet<IEntityType>();
        void Place(IEntityType entity, HashSet<IEntityType> visiting)
        {
            if (placed.Contains(entity) || !visiting.Add(entity))
            {
                return;
            }

            foreach (var key in entity.GetForeignKeys())
            {
                Place(key.PrincipalEntityType, visiting);
            }

            placed.Add(entity);
            ordered.Add(entity);
        }

        foreach (var entity in entities)
        {
            Place(entity, []);
        }

        return ordered;
    }

    private static bool HasIdentity(IEntityType entity) =>
        entity.FindPrimaryKey()?.Properties is [{ } id] && id.ValueGenerated == ValueGenerated.OnAdd && (id.ClrType == typeof(int) || id.ClrType == typeof(long));

    private static async Task<long> CountAsync(OpenBscDbContext db, string table, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            // Table names come from our own model, never from input.
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// NUL characters met in text on the way to PostgreSQL, which cannot store them (error 22021; SQLite can, and
    /// stored some before they were refused at the door): each is written as U+FFFD and counted, so the copy goes
    /// through and says what it changed.
    /// </summary>
    private sealed class NulCount(bool replace)
    {
        public long Count { get; private set; }

        public string? Clean(string? text)
        {
            if (!replace || text is null || !text.Contains('\0', StringComparison.Ordinal))
            {
                return text;
            }

            Count += text.Count(c => c == '\0');
            return text.Replace('\0', '\uFFFD');
        }
    }

    /// <summary>One table's rows as they are (ids included), every organisation's; times marked UTC and text without NUL for PostgreSQL.</summary>
    private static Task CopyEntityAsync<T>(OpenBscDbContext from, OpenBscDbContext to, IEntityType entity, NulCount nul, CancellationToken cancellationToken)
        where T : class
    {
        var times = entity.GetProperties().Where(p => p.PropertyInfo is not null && (p.ClrType == typeof(DateTime) || p.ClrType == typeof(DateTime?))).Select(p => p.PropertyInfo!).ToList();
        var texts = entity.GetProperties().Where(p => p.PropertyInfo is { CanWrite: true } && p.ClrType == typeof(string)).Select(p => p.PropertyInfo!).ToList();
        var rows = from.Set<T>().IgnoreQueryFilters();
        if (entity.FindPrimaryKey()?.Properties is [{ } id] && id.PropertyInfo is not null)
        {
            // In key order, so that identities are written as they were issued.
            rows = rows.OrderBy(r => EF.Property<object>(r, id.Name));
        }

        return CopyTableAsync(rows, to, row =>
        {
            foreach (var time in times)
            {
                if (time.GetValue(row) is DateTime value)
                {
                    time.SetValue(row, ObservationCopy.Utc(value));
                }
            }

            foreach (var text in texts)
            {
                if (text.GetValue(row) is string value && nul.Clean(value) is var clean && !ReferenceEquals(clean, value))
                {
                    text.SetValue(row, clean);
                }
            }
        }, cancellationToken);
    }

    private static async Task CopyTableAsync<T>(IQueryable<T> rows, OpenBscDbContext to, Action<T> normalise, CancellationToken cancellationToken)
        where T : class
    {
        var batch = new List<T>(Chunk);
        await foreach (var row in rows.AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            normalise(row);
            batch.Add(row);
            if (batch.Count == Chunk)
            {
                await SaveAsync(to, batch, cancellationToken);
            }
        }

        await SaveAsync(to, batch, cancellationToken);
    }

    private static async Task SaveAsync<T>(OpenBscDbContext to, List<T> batch, CancellationToken cancellationToken)
        where T : class
    {
        to.Set<T>().AddRange(batch);
        await to.SaveChangesAsync(cancellationToken);
        to.ChangeTracker.Clear();
        batch.Clear();
    }

    /// <summary>Observations are most of the data: read in id order, written by COPY on PostgreSQL with their ids.</summary>
    private static async Task CopyObservationsAsync(OpenBscDbContext from, OpenBscDbContext to, NulCount nul, CancellationToken cancellationToken)
    {
        var rows = from.Observations.AsNoTracking().OrderBy(o => o.Id);
        if (ObservationCopy.Applies(to))
        {
            var all = new List<StoredObservation>(Chunk);
            await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                (row.MeasureKey, row.Segment, row.Note, row.EnteredBy, row.SupersededBy, row.CorrectionReason) =
                    (nul.Clean(row.MeasureKey)!, nul.Clean(row.Segment), nul.Clean(row.Note), nul.Clean(row.EnteredBy), nul.Clean(row.SupersededBy), nul.Clean(row.CorrectionReason));
                all.Add(row);
                if (all.Count == Chunk)
                {
                    await ObservationCopy.WriteAsync(to, all, keepIds: true, cancellationToken);
                    all.Clear();
                }
            }

            await ObservationCopy.WriteAsync(to, all, keepIds: true, cancellationToken);
            return;
        }

        await CopyEntityAsync<StoredObservation>(from, to, to.Model.FindEntityType(typeof(StoredObservation))!, nul, cancellationToken);
    }
}
