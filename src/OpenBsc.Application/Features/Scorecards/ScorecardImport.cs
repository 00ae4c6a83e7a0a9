using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Application.Features.Scorecards;

/// <summary>A new scorecard's id is in use (possibly by another organisation, which is never named).</summary>
public sealed class ScorecardKeyTakenException(string message) : Exception(message);

/// <summary>An owner of the file is the e-mail of another organisation's account (<see cref="Security.ForeignOwners"/>): nothing was stored.</summary>
public sealed class OwnersRefusedException(IReadOnlyList<Domain.Validation.DefinitionError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));

/// <summary>The observation ledger refused a file's values (e.g. a closed period): nothing of the file was stored.</summary>
public sealed class ObservationsRefusedException(IReadOnlyList<LedgerProblem> problems)
    : Exception(string.Join("; ", problems.Take(10).Select(p => $"{p.Measure}{(p.Segment is null ? "" : "/" + p.Segment)} {p.Period}: {p.Field}: expected {p.Message}")))
{
    public IReadOnlyList<LedgerProblem> Problems { get; } = problems;
}

/// <summary>What an import did.</summary>
public sealed record ImportSummary(string ScorecardKey, bool Created, int Added, int Corrected, int Unchanged);

/// <summary>
/// Stores validated scorecard files: the definition (created or replaced, version bumped) and the observations
/// (new ones added; a different value for a period already held supersedes it, keeping the old value in the
/// history). One transaction for everything: all or nothing.
/// </summary>
public sealed class ScorecardImport(IDbContextFactory<OpenBscDbContext> contexts, ObservationLedger ledger, TimeProvider clock)
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
        if (db.CurrentTenant is { } tenant && await db.Organisations.FirstOrDefaultAsync(o => o.Id == tenant, cancellationToken) is { } own)
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

        var before = stored is null ? null : ScorecardFileReader.ParseStored(stored.Definition, card.Id);
        if (await Security.ForeignOwners.OfAsync(db, organisationId, card, before, cancellationToken) is { Count: > 0 } foreign)
        {
            throw new OwnersRefusedException(foreign);
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

        await db.SaveChangesAsync(cancellationToken);
        await ImportCommentaryAsync(db, stored, data, enteredBy, now, cancellationToken);
        if (data.Observations.Count == 0)
        {
            return new ImportSummary(card.Id, created, 0, 0, 0);
        }

        // Within one file a later row for the same measure and period is itself a correction of an earlier one.
        // A new scorecard holds no values, so the bulk path's one read of the values held costs nothing: take it from
        // the first row (row by row, PostgreSQL made two round trips a value: 10 minutes for 1,000 scorecards of 600).
        await using var batch = await ledger.OpenAsync(db, new LedgerScorecard(stored.Id, stored.OrganisationId, card.Id, card), enteredBy, reason, bulk: created || data.Observations.Count >= 1000, cancellationToken);
        var write = await batch.WriteAsync([.. data.Observations.Select(o => new LedgerEntry(o.Measure, o.Segment, o.Period, o.Value, o.Note))], cancellationToken: cancellationToken);
        if (write.Refused)
        {
            // The file was validated against its own definition: only a rule of the ledger (e.g. a closed period) refuses it here.
            throw new ObservationsRefusedException(write.Problems);
        }

        await batch.CommitAsync(cancellationToken);
        return new ImportSummary(card.Id, created, batch.Added, batch.Corrected, batch.Unchanged);
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
            await db.SaveChangesAsync(cancellationToken);
            await ReportingCycle.ReportingItems.TouchAsync(db, stored.Id, cancellationToken);
        }
    }

}
