using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Application.Features.Scorecards;

/// <summary>A new scorecard's id is in use (possibly by another organisation, which is never named).</summary>
public sealed class ScorecardKeyTakenException(string message) : Exception(message);

/// <summary>What an import did.</summary>
public sealed record ImportSummary(string ScorecardKey, bool Created, int Added, int Corrected, int Unchanged);

/// <summary>
/// Stores validated scorecard files: the definition (created or replaced, version bumped) and the observations
/// (new ones added; a different value for a period already held supersedes it, keeping the old value in the
/// history). One transaction for everything: all or nothing.
/// </summary>
public sealed class ScorecardImport(IDbContextFactory<OpenBscDbContext> contexts, TimeProvider clock)
{
    public const string DefaultOrganisation = "My organisation";

    /// <summary>Imports a loaded file and the scorecards it cascades from, in one transaction.</summary>
    /// <param name="bundle">The file's scorecard first, then the scorecards it cascades from.</param>
    /// <param name="sourceAliases">Other names of cascade sources (file names) → scorecard ids; stored cascades always name ids.</param>
    /// <param name="organisationName">The organisation's name when the database has none yet.</param>
    /// <param name="enteredBy">Who is importing (kept with every value).</param>
    /// <param name="reason">Why earlier values are superseded (e.g. "import card.yaml").</param>
    /// <param name="cancellationToken">Cancels before the commit.</param>
    public async Task<IReadOnlyList<ImportSummary>> ImportAsync(
        IReadOnlyList<ScorecardData> bundle,
        IReadOnlyDictionary<string, string> sourceAliases,
        string? organisationName,
        string enteredBy,
        string reason,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organisation = await OrganisationAsync(db, organisationName ?? bundle[0].Scorecard.Organisation, clock, cancellationToken);
        var summaries = new List<ImportSummary>();
        // Sources first, so that the scorecard citing them finds them stored.
        foreach (var data in bundle.Reverse())
        {
            var card = data.Scorecard with { Cascade = [.. data.Scorecard.Cascade.Select(c => ById(c, sourceAliases))] };
            summaries.Add(await ImportOneAsync(db, organisation.Id, data with { Scorecard = card }, enteredBy, reason, cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        summaries.Reverse();
        return summaries;
    }

    /// <summary>The database's organisation: there is one per database until organisations are managed (users and roles).</summary>
    public static async Task<StoredOrganisation> OrganisationAsync(OpenBscDbContext db, string? name, TimeProvider clock, CancellationToken cancellationToken)
    {
        // A signed-in user's changes go to their own organisation, never to another tenant's.
        if (Security.Tenant.Current is { } tenant && await db.Organisations.FirstOrDefaultAsync(o => o.Id == tenant, cancellationToken) is { } own)
        {
            return own;
        }

        var existing = await db.Organisations.OrderBy(o => o.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var organisation = new StoredOrganisation { Id = Guid.NewGuid(), Name = name ?? DefaultOrganisation, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync(cancellationToken);
        return organisation;
    }

    private static CascadeContribution ById(CascadeContribution contribution, IReadOnlyDictionary<string, string> aliases) =>
        aliases.TryGetValue(contribution.SourceScorecard, out string? id) ? contribution with { From = $"{id}#{contribution.SourceItem}" } : contribution;

    private async Task<ImportSummary> ImportOneAsync(OpenBscDbContext db, Guid organisationId, ScorecardData data, string enteredBy, string reason, CancellationToken cancellationToken)
    {
        var card = data.Scorecard;
        var now = clock.GetUtcNow().UtcDateTime;
        string definition = ScorecardFileWriter.ToJson(new ScorecardData(card, []));
        var stored = await db.Scorecards.SingleOrDefaultAsync(s => s.OrganisationId == organisationId && s.Key == card.Id, cancellationToken);
        bool created = stored is null;
        if (created && await db.Scorecards.IgnoreQueryFilters().AnyAsync(s => s.Key == card.Id, cancellationToken))
        {
            // A new key must be new in the whole database, every organisation's scorecards included (docs/decisions/0010).
            throw new ScorecardKeyTakenException($"The scorecard id '{card.Id}' is taken: choose another id.");
        }

        if (stored is null)
        {
            stored = new StoredScorecard { Id = Guid.NewGuid(), OrganisationId = organisationId, Key = card.Id, Name = card.Name, Definition = definition, Version = 1, UpdatedAt = now };
            db.Scorecards.Add(stored);
            db.ScorecardVersions.Add(new StoredScorecardVersion { OrganisationId = stored.OrganisationId, ScorecardId = stored.Id, Version = stored.Version, Definition = definition, SavedAt = now, SavedBy = enteredBy, Change = reason });
        }
        else if (stored.Definition != definition)
        {
            stored.Definition = definition;
            stored.Name = card.Name;
            stored.Version++;
            stored.UpdatedAt = now;
            // Every version is kept, so an editor holding an older one can be told what the import changed.
            db.ScorecardVersions.Add(new StoredScorecardVersion { OrganisationId = stored.OrganisationId, ScorecardId = stored.Id, Version = stored.Version, Definition = definition, SavedAt = now, SavedBy = enteredBy, Change = reason });
        }

        var current = created
            ? []
            : await db.Observations
                .Where(o => o.ScorecardId == stored.Id && o.SupersededAt == null)
                .ToDictionaryAsync(o => (o.MeasureKey, o.Segment, o.Period), cancellationToken);
        int added = 0, corrected = 0, unchanged = 0;
        var appended = new List<StoredObservation>();
        // Within one file a later row for the same measure and period is itself a correction of an earlier one.
        foreach (var observation in data.Observations)
        {
            string period = observation.Period.ToString();
            var key = (observation.Measure, observation.Segment, period);
            if (current.TryGetValue(key, out var held))
            {
                if (held.Value.Equals(observation.Value) && held.Note == observation.Note)
                {
                    unchanged++;
                    continue;
                }

                held.SupersededAt = now;
                held.SupersededBy = enteredBy;
                held.CorrectionReason = reason;
                corrected++;
            }
            else
            {
                added++;
            }

            var row = new StoredObservation
            {
                OrganisationId = organisationId,
                ScorecardId = stored.Id,
                MeasureKey = observation.Measure,
                Segment = observation.Segment,
                Period = period,
                PeriodStart = observation.Period.Start(card.Calendar).DayNumber,
                Value = observation.Value,
                Note = observation.Note,
                EnteredBy = enteredBy,
                EnteredAt = now,
            };
            appended.Add(row);
            current[key] = row;
        }

        if (added + corrected > 0)
        {
            stored.DataVersion++;
        }

        // Large imports on PostgreSQL append by binary COPY after the tracked changes (definition, superseded rows)
        // are saved, in the same transaction; a row corrected later in the same file is written already superseded.
        if (appended.Count >= ObservationCopy.Threshold && ObservationCopy.Applies(db))
        {
            await db.SaveChangesAsync(cancellationToken);
            await ObservationCopy.WriteAsync(db, appended, keepIds: false, cancellationToken);
        }
        else
        {
            db.Observations.AddRange(appended);
            await db.SaveChangesAsync(cancellationToken);
        }

        await ImportCommentaryAsync(db, stored, data, enteredBy, now, cancellationToken);
        return new ImportSummary(card.Id, created, added, corrected, unchanged);
    }

    /// <summary>
    /// The file's commentary (docs/reporting-cycle.md): a text that differs from the one held supersedes it, which stays
    /// in the history; an unchanged one is left alone. The scorecard's own commentary is named by its id in the file.
    /// </summary>
    private static async Task ImportCommentaryAsync(OpenBscDbContext db, StoredScorecard stored, ScorecardData data, string enteredBy, DateTime now, CancellationToken cancellationToken)
    {
        if (data.Commentary.Count == 0)
        {
            return;
        }

        var held = await db.Commentary.Where(c => c.ScorecardId == stored.Id && c.SupersededAt == null).ToDictionaryAsync(c => (c.Item, c.Period), cancellationToken);
        bool changed = false;
        foreach (var note in data.Commentary)
        {
            string item = note.Item == data.Scorecard.Id ? "" : note.Item;
            string period = note.Period.ToString();
            if (held.TryGetValue((item, period), out var current))
            {
                if (current.Analysis == note.Analysis && current.Recommendations == note.Recommendations)
                {
                    continue;
                }

                current.SupersededAt = now;
                current.SupersededBy = enteredBy;
            }

            db.Commentary.Add(new StoredCommentary
            {
                OrganisationId = stored.OrganisationId,
                ScorecardId = stored.Id,
                Item = item,
                Period = period,
                Analysis = note.Analysis,
                Recommendations = note.Recommendations,
                EnteredBy = enteredBy,
                EnteredAt = now,
            });
            changed = true;
        }

        if (changed)
        {
            stored.DataVersion++;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

}
