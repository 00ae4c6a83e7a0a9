using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Scoring;
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
public sealed record CopyReport(IReadOnlyList<TableCount> Tables, IReadOnlyList<ScoreComparison> Scores)
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
        await using (var transaction = await to.Database.BeginTransactionAsync(cancellationToken))
        {
            await CopyTableAsync(from.Organisations, to, o => o.CreatedAt = ObservationCopy.Utc(o.CreatedAt), cancellationToken);
            // Every organisation's scorecards, whatever flow of work runs the copy.
            await CopyTableAsync(from.Scorecards.IgnoreQueryFilters(), to, s =>
            {
                s.UpdatedAt = ObservationCopy.Utc(s.UpdatedAt);
                s.ArchivedAt = s.ArchivedAt is { } a ? ObservationCopy.Utc(a) : null;
            }, cancellationToken);
            await CopyTableAsync(from.ScorecardVersions.OrderBy(v => v.Id), to, v => v.SavedAt = ObservationCopy.Utc(v.SavedAt), cancellationToken);
            await CopyTableAsync(from.ArchivedMeasures.OrderBy(a => a.Id), to, a => a.ArchivedAt = ObservationCopy.Utc(a.ArchivedAt), cancellationToken);
            await CopyTableAsync(from.DataProtectionKeys.OrderBy(k => k.Id), to, _ => { }, cancellationToken);
            await CopyObservationsAsync(from, to, cancellationToken);
            if (ObservationCopy.Applies(to))
            {
                foreach (string table in new[] { "scorecard_versions", "archived_measures", "data_protection_keys" })
                {
                    await ObservationCopy.MoveSequencePastAsync(to, table, cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var tables = new List<TableCount>
        {
            new("organisations", await from.Organisations.LongCountAsync(cancellationToken), await to.Organisations.LongCountAsync(cancellationToken)),
            new("scorecards", await from.Scorecards.IgnoreQueryFilters().LongCountAsync(cancellationToken), await to.Scorecards.IgnoreQueryFilters().LongCountAsync(cancellationToken)),
            new("scorecard_versions", await from.ScorecardVersions.LongCountAsync(cancellationToken), await to.ScorecardVersions.LongCountAsync(cancellationToken)),
            new("archived_measures", await from.ArchivedMeasures.LongCountAsync(cancellationToken), await to.ArchivedMeasures.LongCountAsync(cancellationToken)),
            new("observations", await from.Observations.LongCountAsync(cancellationToken), await to.Observations.LongCountAsync(cancellationToken)),
            new("observations superseded", await from.Observations.LongCountAsync(o => o.SupersededAt != null, cancellationToken), await to.Observations.LongCountAsync(o => o.SupersededAt != null, cancellationToken)),
            new("data_protection_keys", await from.DataProtectionKeys.LongCountAsync(cancellationToken), await to.DataProtectionKeys.LongCountAsync(cancellationToken)),
        };

        var before = await ScoresAsync(source, cancellationToken);
        var after = await ScoresAsync(target, cancellationToken);
        var scores = before
            .Select(b => after.TryGetValue(b.Key, out var a)
                ? new ScoreComparison(b.Key, b.Value.Period, b.Value.Nodes, a.Json == b.Value.Json)
                : new ScoreComparison(b.Key, b.Value.Period, b.Value.Nodes, Same: false))
            .Concat(after.Keys.Except(before.Keys).Select(k => new ScoreComparison(k, after[k].Period, after[k].Nodes, Same: false)))
            .OrderBy(s => s.Scorecard, StringComparer.Ordinal)
            .ToList();
        return new CopyReport(tables, scores);
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
            var period = snapshot.DefaultPeriod(new DateOnly(2000, 1, 1));
            var report = ScoreReport.From(snapshot.Evaluate(new PeriodView(period)));
            scores[summary.Key] = (period.ToString(), report.Nodes.Count, JsonSerializer.Serialize(report));
        }

        return scores;
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
    private static async Task CopyObservationsAsync(OpenBscDbContext from, OpenBscDbContext to, CancellationToken cancellationToken)
    {
        var rows = from.Observations.AsNoTracking().OrderBy(o => o.Id);
        if (ObservationCopy.Applies(to))
        {
            var all = new List<StoredObservation>(Chunk);
            await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
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

        await CopyTableAsync(rows, to, o =>
        {
            o.EnteredAt = ObservationCopy.Utc(o.EnteredAt);
            o.SupersededAt = o.SupersededAt is { } s ? ObservationCopy.Utc(s) : null;
        }, cancellationToken);
    }
}
