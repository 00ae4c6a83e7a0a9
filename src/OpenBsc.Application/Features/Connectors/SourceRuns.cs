using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Application.Features.Organisations;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Periods;

namespace OpenBsc.Application.Features.Connectors;

/// <summary>One run of a source as its history lists it.</summary>
public sealed record SourceRunRow(long Id, string Trigger, string Status, DateTime StartedAt, DateTime? FinishedAt, long RowsRead, int Added, int Corrected, int Unchanged, string? Error, string? RunBy)
{
    public TimeSpan? Duration => FinishedAt is { } end ? end - StartedAt : null;
}

/// <summary>A row as it would be stored: the scorecard, and the cells the binding mapped to measure, period, value, note and segment.</summary>
public sealed record PreviewRow(long Row, string Scorecard, string? Measure, string? Period, string? Value, string? Note, string? Segment);

/// <summary>
/// What a preview found: the first rows as they would be stored, the row errors a CSV import of them would report,
/// and what storing them would do; or <see cref="Error"/> when the source could not be read.
/// </summary>
public sealed record SourcePreview(IReadOnlyList<PreviewRow> Rows, long RowsRead, IReadOnlyList<ObservationRowError> Errors, long ErrorCount, int Added, int Corrected, int Unchanged, string? Error)
{
    public bool Succeeded => Error is null && ErrorCount == 0;
}

/// <summary>
/// Runs sources (docs/connectors.md): reads each binding's rows within the limits, then stores all of them through the
/// observation ledger in one transaction — all or nothing, unchanged values left alone, a corrected value superseding
/// with the reason "source NAME run ID" — audited as <c>source:NAME</c>. A node claims a source with a lease first,
/// so one run happens however many nodes are asked; every run is recorded, and a failed or empty one tells the owner.
/// </summary>
public sealed class SourceRuns(IServiceScopeFactory scopes, SystemDbContexts system, DataSources sources, ConnectorSettings settings, OrganisationClock organisationClock, TimeProvider clock)
{
    public const int PreviewRows = 20;

    /// <summary>The source's runs, newest first.</summary>
    public async Task<IReadOnlyList<SourceRunRow>> HistoryAsync(Guid organisationId, long sourceId, int take = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await system.CreateDbContextAsync(cancellationToken);
        return await db.SourceRuns.AsNoTracking().Where(r => r.OrganisationId == organisationId && r.SourceId == sourceId).OrderByDescending(r => r.Id).Take(take)
            .Select(r => new SourceRunRow(r.Id, r.Trigger, r.Status, r.StartedAt, r.FinishedAt, r.RowsRead, r.Added, r.Corrected, r.Unchanged, r.Error, r.RunBy)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Runs the source now unless a node is running it already (then null). The run is recorded whatever happens.
    /// </summary>
    public async Task<SourceRunRow?> RunAsync(Guid organisationId, long sourceId, string trigger, string by, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var db = await system.CreateDbContextAsync(cancellationToken))
        {
            int claimed = await db.DataSources.Where(s => s.OrganisationId == organisationId && s.Id == sourceId && (s.LeaseUntil == null || s.LeaseUntil < now))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LeaseUntil, now + settings.Lease), cancellationToken);
            if (claimed == 0)
            {
                return null;
            }
        }

        return await RunLeasedAsync(organisationId, sourceId, trigger, by, cancellationToken);
    }

    /// <summary>
    /// Runs every source whose schedule came due (a cron occurrence in the organisation's time zone, or N days after a
    /// period of a bound scorecard ended). A node claims an occurrence by moving the source's <c>ScheduledThrough</c>
    /// from the value it read and taking the lease in the same update: only one node's update matches.
    /// </summary>
    /// <returns>The runs this node made.</returns>
    public async Task<IReadOnlyList<SourceRunRow>> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<StoredDataSource> scheduled;
        await using (var db = await system.CreateDbContextAsync(cancellationToken))
        {
            scheduled = await db.DataSources.AsNoTracking().Where(s => s.Schedule != "demand").OrderBy(s => s.Id).ToListAsync(cancellationToken);
        }

        var runs = new List<SourceRunRow>();
        foreach (var source in scheduled)
        {
            if (!await IsDueAsync(source, now, cancellationToken))
            {
                continue;
            }

            var previous = source.ScheduledThrough;
            await using (var db = await system.CreateDbContextAsync(cancellationToken))
            {
                int claimed = await db.DataSources.Where(s => s.Id == source.Id && s.ScheduledThrough == previous && (s.LeaseUntil == null || s.LeaseUntil < now))
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.ScheduledThrough, now).SetProperty(s => s.LeaseUntil, now + settings.Lease), cancellationToken);
                if (claimed == 0)
                {
                    continue;
                }
            }

            runs.Add(await RunLeasedAsync(source.OrganisationId, source.Id, "schedule", "schedule", cancellationToken));
        }

        return runs;
    }

    private async Task<bool> IsDueAsync(StoredDataSource source, DateTime now, CancellationToken cancellationToken)
    {
        var zone = await organisationClock.ZoneAsync(source.OrganisationId, cancellationToken);
        var from = DateTime.SpecifyKind(source.ScheduledThrough ?? source.CreatedAt, DateTimeKind.Utc);
        if (source.Schedule == "cron")
        {
            return source.Cron is not null && ReportingCycle.BriefingBooks.TryParseCron(source.Cron, out var cron) && cron.GetNextOccurrence(from, zone) is { } next && next <= now;
        }

        // after-close: the latest period of a bound scorecard whose last day is N days or more behind today.
        var today = organisationClock.Today(zone);
        await using var db = await system.CreateDbContextAsync(cancellationToken);
        var cards = await db.SourceBindings.AsNoTracking().Where(b => b.SourceId == source.Id)
            .Join(db.Scorecards.IgnoreQueryFilters(), b => b.ScorecardId, s => s.Id, (b, s) => new { s.Key, s.Definition }).Distinct().ToListAsync(cancellationToken);
        foreach (var card in cards)
        {
            var definition = ScorecardFileReader.ParseStored(card.Definition, card.Key);
            var day = today.AddDays(-source.DaysAfterClose);
            var period = Period.Containing(definition.ReportingFrequency(), day, definition.Calendar);
            if (period.End(definition.Calendar) > day)
            {
                period = period.Previous();
            }

            var dueDay = period.End(definition.Calendar).AddDays(source.DaysAfterClose);
            var dueAt = TimeZoneInfo.ConvertTimeToUtc(dueDay.ToDateTime(TimeOnly.MinValue), zone);
            if (from < dueAt && dueAt <= now)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the source and checks its rows as a run would, storing nothing: the preview and <c>openbsc sources test</c>.</summary>
    public async Task<SourcePreview> PreviewAsync(Guid organisationId, long sourceId, CancellationToken cancellationToken = default)
    {
        var work = await ReadAsync(organisationId, sourceId, cancellationToken);
        if (work.Error is { } error)
        {
            return new SourcePreview([], 0, [], 0, 0, 0, 0, error);
        }

        var stored = await StoreAsync(organisationId, work, "preview", commit: false, cancellationToken);
        return new SourcePreview([.. work.Tables.SelectMany(t => t.Preview()).Take(PreviewRows)], work.Tables.Sum(t => (long)t.Table.Rows.Count),
            stored.Errors, stored.ErrorCount, stored.Added, stored.Corrected, stored.Unchanged, stored.Message);
    }

    /// <summary>
    /// Stores a pushed observations file (CSV: measure,period,value[,note][,segment]) into the scorecard of the source's
    /// first binding, or <paramref name="scorecard"/> when it is one of its bindings', as a run of the source (trigger
    /// <c>push</c>): the same checks, limits, history, audit and owner alert as a run that reads.
    /// </summary>
    public async Task<SourceRunRow> PushAsync(Guid organisationId, long sourceId, Stream csv, string? scorecard, CancellationToken cancellationToken = default)
    {
        var pushed = new PushedFile(csv, scorecard);
        return await RunLeasedAsync(organisationId, sourceId, "push", "push", cancellationToken, pushed);
    }

    /// <summary>A pushed file, read in place of the source's bindings.</summary>
    private sealed record PushedFile(Stream Content, string? Scorecard);

    private async Task<SourceRunRow> RunLeasedAsync(Guid organisationId, long sourceId, string trigger, string by, CancellationToken cancellationToken, PushedFile? pushed = null)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        var run = new StoredSourceRun { OrganisationId = organisationId, SourceId = sourceId, Trigger = trigger, Status = "running", StartedAt = started, RunBy = by };
        await using (var db = await system.CreateDbContextAsync(cancellationToken))
        {
            db.SourceRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }

        try
        {
            var work = await ReadAsync(organisationId, sourceId, cancellationToken, pushed);
            run.RowsRead = work.Tables.Sum(t => (long)t.Table.Rows.Count);
            if (work.Error is { } error)
            {
                run.Status = "failed";
                run.Error = Clip(error);
            }
            else
            {
                var stored = await StoreAsync(organisationId, work, $"source {work.Name} run {run.Id}", commit: true, cancellationToken);
                run.Added = stored.Added;
                run.Corrected = stored.Corrected;
                run.Unchanged = stored.Unchanged;
                run.Status = stored.Message is not null ? "failed" : run.RowsRead == 0 ? "empty" : "succeeded";
                run.Error = stored.Message is { } message ? Clip(message) : run.RowsRead == 0 ? "the source returned no rows" : null;
            }

            run.FinishedAt = clock.GetUtcNow().UtcDateTime;
            await using var db = await system.CreateDbContextAsync(cancellationToken);
            db.SourceRuns.Update(run);
            if (run.Status != "succeeded")
            {
                await AlertOwnerAsync(db, organisationId, sourceId, work.Name, run, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            await using var db = await system.CreateDbContextAsync(CancellationToken.None);
            await db.DataSources.Where(s => s.Id == sourceId).ExecuteUpdateAsync(u => u.SetProperty(s => s.LeaseUntil, (DateTime?)null), CancellationToken.None);
        }

        return new SourceRunRow(run.Id, run.Trigger, run.Status, run.StartedAt, run.FinishedAt, run.RowsRead, run.Added, run.Corrected, run.Unchanged, run.Error, run.RunBy);
    }

    private static string Clip(string text) => text.Length <= 4000 ? text : text[..3999] + "…";

    /// <summary>The source's owner hears of a failed or empty run in the app and by e-mail (the alert channels' outbox).</summary>
    private async Task AlertOwnerAsync(OpenBscDbContext db, Guid organisationId, long sourceId, string name, StoredSourceRun run, CancellationToken cancellationToken)
    {
        var owner = await db.DataSources.AsNoTracking().Where(s => s.Id == sourceId && s.OwnerId != null)
            .Join(db.Users, s => s.OwnerId, u => u.Id, (s, u) => new { u.Id, u.Email }).FirstOrDefaultAsync(cancellationToken);
        if (owner is null)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        string title = run.Status == "empty" ? $"Source {name} read no rows" : $"Source {name} failed";
        string body = $"Run {run.Id} at {run.StartedAt:yyyy-MM-dd HH:mm} UTC: {run.Error}. Nothing was stored by this run.";
        db.Notifications.Add(new StoredNotification { OrganisationId = organisationId, UserId = owner.Id, Title = title, Body = Clip(body), Link = "/sources", CreatedAt = now });
        if (owner.Email is { } email)
        {
            db.Deliveries.Add(new StoredDelivery
            {
                OrganisationId = organisationId,
                Channel = "email",
                Target = email,
                Subject = $"[OpenBsc] {title}",
                Payload = $"{body}\n\nYou receive this because you own the source {name}.",
                Status = DeliveryStatus.Pending,
                NextAttemptAt = now,
                CreatedAt = now,
            });
        }
    }

    /// <summary>What a run works on: each binding's scorecard and rows, read before anything is written.</summary>
    private sealed record Work(string Name, IReadOnlyList<BoundTable> Tables, string? Error);

    private async Task<Work> ReadAsync(Guid organisationId, long sourceId, CancellationToken cancellationToken, PushedFile? pushed = null)
    {
        StoredDataSource? source;
        List<(StoredSourceBinding Binding, string Scorecard)> bindings;
        await using (var db = await system.CreateDbContextAsync(cancellationToken))
        {
            source = await db.DataSources.AsNoTracking().FirstOrDefaultAsync(s => s.OrganisationId == organisationId && s.Id == sourceId, cancellationToken);
            if (source is null)
            {
                return new Work("", [], $"there is no source {sourceId}");
            }

            bindings = [.. (await db.SourceBindings.AsNoTracking().Where(b => b.SourceId == sourceId).OrderBy(b => b.Id)
                .Join(db.Scorecards.IgnoreQueryFilters(), b => b.ScorecardId, s => s.Id, (b, s) => new { b, s.Key }).ToListAsync(cancellationToken)).Select(x => (x.b, x.Key))];
        }

        if (bindings.Count == 0)
        {
            return new Work(source.Name, [], "the source is bound to no scorecard: add a binding (a query and the scorecard it feeds)");
        }

        if (pushed is not null)
        {
            string? target = pushed.Scorecard is null ? bindings[0].Scorecard : bindings.Select(b => b.Scorecard).FirstOrDefault(k => k == pushed.Scorecard);
            if (target is null)
            {
                return new Work(source.Name, [], $"the source feeds no scorecard '{pushed.Scorecard}' (it feeds {string.Join(", ", bindings.Select(b => b.Scorecard).Distinct())})");
            }

            try
            {
                var table = await SourceReaders.ReadCsvAsync(pushed.Content, settings, cancellationToken);
                var file = new StoredSourceBinding
                {
                    NoteColumn = table.Columns.Contains("note", StringComparer.OrdinalIgnoreCase) ? "note" : null,
                    SegmentColumn = table.Columns.Contains("segment", StringComparer.OrdinalIgnoreCase) ? "segment" : null,
                };
                return new Work(source.Name, [BoundTable.Map(file, target, table)], null);
            }
            catch (ConnectorException e)
            {
                return new Work(source.Name, [], e.Message);
            }
        }

        var connection = new SourceConnection(source.Name, source.Kind, source.Address, source.Format, source.RowsPath, source.Auth, source.AuthName, sources.Secret(source));
        var tables = new List<BoundTable>();
        try
        {
            foreach (var (binding, scorecard) in bindings)
            {
                var table = await SourceReaders.ReadAsync(connection, binding.Query, settings, cancellationToken);
                tables.Add(BoundTable.Map(binding, scorecard, table));
            }
        }
        catch (ConnectorException e)
        {
            return new Work(source.Name, tables, SourceReaders.Scrub(e.Message, connection.Secret));
        }

        return new Work(source.Name, tables, null);
    }

    private sealed record Stored(int Added, int Corrected, int Unchanged, IReadOnlyList<ObservationRowError> Errors, long ErrorCount, string? Message);

    /// <summary>Stores every binding's rows in one transaction, as the connector; rolled back on any bad row or when not committing.</summary>
    private async Task<Stored> StoreAsync(Guid organisationId, Work work, string batchSource, bool commit, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().Set(organisationId, $"source:{work.Name}");
        var import = scope.ServiceProvider.GetRequiredService<ObservationImport>();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        int added = 0, corrected = 0, unchanged = 0;
        foreach (var table in work.Tables)
        {
            using var reader = table.Reader();
            var result = await import.ImportTableAsync(db, table.Scorecard, reader, batchSource, $"source {work.Name}", null, commit: true, cancellationToken);
            if (result.Refusal is { } refusal)
            {
                return new Stored(0, 0, 0, [], 0, refusal.Message);
            }

            if (!result.Succeeded)
            {
                string listed = string.Join("; ", result.Errors.Take(5).Select(e => e.Format($"{work.Name} ({table.Scorecard})")));
                return new Stored(0, 0, 0, result.Errors, result.ErrorCount,
                    $"{result.ErrorCount:N0} bad row{(result.ErrorCount == 1 ? "" : "s")}, nothing stored: {listed}{(result.More is { } more ? "; " + more : "")}");
            }

            added += result.Summary!.Added;
            corrected += result.Summary.Corrected;
            unchanged += result.Summary.Unchanged;
        }

        if (commit)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new Stored(added, corrected, unchanged, [], 0, null);
    }
}
