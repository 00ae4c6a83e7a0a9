using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Validation;

namespace OpenBsc.Application.Features.Library;

/// <summary>What adding a library measure did: the new measure's id, or the problem (and whether it was a conflict).</summary>
public sealed record LibraryAddResult(string? MeasureId, string? Problem, bool Conflict = false);

/// <summary>
/// Adds a library measure (with the inputs of a calculated one) to an objective of a stored scorecard in one step.
/// The definition is changed through its version (optimistic concurrency): a concurrent edit makes this a conflict,
/// never a silent overwrite.
/// </summary>
public sealed class LibraryToScorecard(IDbContextFactory<OpenBscDbContext> contexts, TimeProvider clock)
{
    public async Task<LibraryAddResult> AddAsync(string libraryId, string scorecardKey, string objectiveId, CancellationToken cancellationToken = default)
    {
        var entry = MeasureLibrary.Find(libraryId);
        if (entry is null)
        {
            var close = MeasureLibrary.Suggest(libraryId);
            return new(null, $"There is no library measure '{libraryId}'{(close.Count > 0 ? $"; did you mean: {string.Join(", ", close)}" : "")}.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.Scorecards.SingleOrDefaultAsync(s => s.Key == scorecardKey, cancellationToken);
        if (stored is null)
        {
            return new(null, $"There is no scorecard '{scorecardKey}'.");
        }

        var card = ScorecardFileReader.ParseStored(stored.Definition, scorecardKey);
        if (!card.AllObjectives().Any(o => o.Id == objectiveId))
        {
            return new(null, $"Scorecard '{card.Name}' has no objective '{objectiveId}'.");
        }

        var taken = card.AllMeasures().Select(m => m.Id).Concat(card.AllObjectives().Select(o => o.Id)).Concat(card.Perspectives.Select(p => p.Id)).ToHashSet(StringComparer.Ordinal);
        string id = entry.Id;
        for (int n = 2; taken.Contains(id); n++)
        {
            id = $"{entry.Id}-{n}";
        }

        var (measure, inputs) = MeasureLibrary.ToMeasure(entry, id);
        // Inputs a scorecard already has are reused (the formula names them); the others are added beside the measure.
        Measure[] added = [measure, .. inputs.Where(i => !taken.Contains(i.Id))];
        var changed = card with { Perspectives = [.. card.Perspectives.Select(p => p with { Objectives = [.. p.Objectives.Select(o => Add(o, objectiveId, added))] })] };
        var errors = ScorecardValidator.Validate(new(changed, []));
        if (errors.Count > 0)
        {
            return new(null, $"Adding '{entry.Name}' would make the scorecard invalid: {string.Join("; ", errors)}");
        }

        stored.Definition = ScorecardFileWriter.ToJson(new(changed, []));
        stored.Version++;
        stored.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        // Every version is kept (scorecard_versions), so an editor holding an older one can be told what changed.
        db.ScorecardVersions.Add(new StoredScorecardVersion { OrganisationId = stored.OrganisationId, ScorecardId = stored.Id, Version = stored.Version, Definition = stored.Definition, SavedAt = stored.UpdatedAt, Change = $"add measure {id} from the library" });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(null, $"Scorecard '{card.Name}' was changed by someone else meanwhile; nothing was added. Reload and try again.", Conflict: true);
        }

        return new(id, null);
    }

    private static Objective Add(Objective objective, string target, IReadOnlyList<Measure> measures) =>
        objective.Id == target
            ? objective with { Measures = [.. objective.Measures, .. measures] }
            : objective with { Objectives = [.. objective.Objectives.Select(o => Add(o, target, measures))] };
}
