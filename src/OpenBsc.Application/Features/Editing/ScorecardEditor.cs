using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Editing;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Validation;

namespace OpenBsc.Application.Features.Editing;

/// <summary>How an edit ended.</summary>
public enum EditStatus
{
    /// <summary>Stored as a new version.</summary>
    Saved,

    /// <summary>The scorecard, or an item the edit names, does not exist.</summary>
    NotFound,

    /// <summary>The changed definition breaks a rule of the scorecard file; <see cref="EditResult.Errors"/> name the fields.</summary>
    Invalid,

    /// <summary>The caller edited an older version; <see cref="EditResult.Changes"/> say what changed since.</summary>
    Stale,

    /// <summary>The edit removes measures that have observations; repeat it with confirmation to archive them.</summary>
    NeedsConfirmation,

    /// <summary>The edit clashes with what is stored (an id already taken, an archived item in the way).</summary>
    Conflict,
}

/// <summary>A saved version of a definition, as listed in its history.</summary>
public sealed record VersionEntry(long Version, DateTime SavedAt, string? SavedBy, string? Change);

/// <summary>
/// What an edit did. On <see cref="EditStatus.Saved"/>, <see cref="Version"/> is the new version and
/// <see cref="Scorecard"/> the definition saved; otherwise <see cref="Version"/> is the current one and the other
/// fields say why nothing was stored.
/// </summary>
public sealed record EditResult(
    EditStatus Status,
    long Version,
    Scorecard? Scorecard,
    string? Message,
    IReadOnlyList<DefinitionError> Errors,
    IReadOnlyList<DefinitionChange> Changes,
    IReadOnlyList<VersionEntry> Since,
    IReadOnlyList<string> MeasuresWithData)
{
    public static EditResult Saved(long version, Scorecard card, string? message = null) => new(EditStatus.Saved, version, card, message, [], [], [], []);

    public static EditResult Failed(EditStatus status, long version, string message) => new(status, version, null, message, [], [], [], []);

    public static EditResult Invalid(long version, IReadOnlyList<DefinitionError> errors) =>
        new(EditStatus.Invalid, version, null, "The scorecard would not be valid after this change; nothing was stored.", errors, [], [], []);
}

/// <summary>A stored scorecard's definition with its versions.</summary>
public sealed record StoredDefinition(string Key, string Name, long Version, long DataVersion, DateTime UpdatedAt, DateTime? ArchivedAt, Scorecard Scorecard);

/// <summary>A scorecard as listed by the editor (archived ones included on request).</summary>
public sealed record ScorecardListItem(string Key, string Name, long Version, DateTime UpdatedAt, bool Archived);

/// <summary>A page of a longer list: the same envelope for every list of the API.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>A measure taken out of the live definition with its data kept.</summary>
public sealed record ArchivedMeasure(string Key, string Name, string Objective, DateTime ArchivedAt, string? ArchivedBy, int Observations, JsonObject Definition);

/// <summary>
/// Edits stored scorecard definitions. Every change is made on the Domain <see cref="Scorecard"/> by a pure
/// function (<see cref="ScorecardEdits"/>), validated by <see cref="ScorecardValidator"/> with the file's rules
/// and messages, and saved as a new version with optimistic concurrency: the caller says which version it
/// edited; if that is no longer the current one, nothing is stored and the result lists what changed since
/// (every version is kept in <c>scorecard_versions</c>). Removing measures that have observations needs
/// confirmation and archives them (<c>archived_measures</c>) instead of losing their data.
/// </summary>
public sealed class ScorecardEditor(IDbContextFactory<OpenBscDbContext> contexts, ObservationLedger ledger, TimeProvider clock)
{
    /// <summary>Kaplan and Norton's four perspectives, top of the strategy map first.</summary>
    public static readonly IReadOnlyList<Perspective> DefaultPerspectives =
    [
        new() { Id = "financial", Name = "Financial" },
        new() { Id = "customer", Name = "Customer" },
        new() { Id = "internal-process", Name = "Internal Process" },
        new() { Id = "learning-growth", Name = "Learning & Growth" },
    ];

    /// <summary>A new, empty scorecard: with the four classic perspectives, or none.</summary>
    public static Scorecard NewScorecard(string id, string name, bool defaultPerspectives = true) =>
        new() { Id = id, Name = name, Perspectives = defaultPerspectives ? DefaultPerspectives : [] };

    public async Task<StoredDefinition?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.Scorecards.AsNoTracking().SingleOrDefaultAsync(s => s.Key == key, cancellationToken);
        return stored is null ? null : new StoredDefinition(stored.Key, stored.Name, stored.Version, stored.DataVersion, stored.UpdatedAt, stored.ArchivedAt, Parse(stored.Definition, stored.Key));
    }

    /// <summary>Scorecards by name, filtered by <paramref name="search"/> (in key or name, any case), a page at a time.</summary>
    /// <summary>Scorecards by name, a page at a time; <paramref name="only"/> limits them to those keys (what the caller may see).</summary>
    public async Task<Paged<ScorecardListItem>> ListAsync(string? search, bool archived, int page, int pageSize, IReadOnlyCollection<string>? only = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Scorecards.AsNoTracking().Where(s => archived ? s.ArchivedAt != null : s.ArchivedAt == null);
        if (only is not null)
        {
            var keys = only.ToList();
            query = query.Where(s => keys.Contains(s.Key));
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            // Lower-cased on both sides: LIKE is case-insensitive on SQLite but not on PostgreSQL.
            string pattern = "%" + search.Trim().ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            query = query.Where(s => EF.Functions.Like(s.Key.ToLower(), pattern, "\\") || EF.Functions.Like(s.Name.ToLower(), pattern, "\\"));
        }

        int total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(s => s.Name).ThenBy(s => s.Key).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(s => new ScorecardListItem(s.Key, s.Name, s.Version, s.UpdatedAt, s.ArchivedAt != null))
            .ToListAsync(cancellationToken);
        return new Paged<ScorecardListItem>(items, page, pageSize, total);
    }

    /// <summary>Stores a new scorecard (version 1) with any observations the file holds.</summary>
    public async Task<EditResult> CreateAsync(ScorecardData data, string by, CancellationToken cancellationToken = default)
    {
        var card = data.Scorecard;
        var errors = ScorecardValidator.Validate(data).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (errors.Count == 0)
        {
            errors.AddRange(await CascadeErrorsAsync(db, card, cancellationToken));
        }

        if (errors.Count > 0)
        {
            return EditResult.Invalid(0, errors);
        }

        // Every organisation's scorecards (docs/decisions/0010): the refusal does not say whose the key is.
        if (await db.Scorecards.IgnoreQueryFilters().AnyAsync(s => s.Key == card.Id, cancellationToken))
        {
            return EditResult.Failed(EditStatus.Conflict, 0, $"A scorecard with id '{card.Id}' already exists (perhaps archived); choose another id.");
        }

        var organisation = await ScorecardImport.OrganisationAsync(db, card.Organisation, clock, cancellationToken);
        if (await Security.ForeignOwners.OfAsync(db, organisation.Id, card, null, cancellationToken) is { Count: > 0 } foreign)
        {
            return EditResult.Invalid(0, foreign);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        string definition = ScorecardFragments.ToFile(card);
        var stored = new StoredScorecard { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Key = card.Id, Name = card.Name, Definition = definition, Version = 1, UpdatedAt = now };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Scorecards.Add(stored);
        db.ScorecardVersions.Add(new StoredScorecardVersion { OrganisationId = stored.OrganisationId, ScorecardId = stored.Id, Version = 1, Definition = definition, SavedAt = now, SavedBy = by, Change = "create scorecard" });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another writer created the same id between the check and the save (unique index).
            return EditResult.Failed(EditStatus.Conflict, 0, $"A scorecard with id '{card.Id}' already exists; choose another id.");
        }

        if (data.Observations.Count > 0)
        {
            await using var batch = await ledger.OpenAsync(db, new LedgerScorecard(stored.Id, stored.OrganisationId, card.Id, card), by, "create scorecard", bulk: data.Observations.Count >= 1000, cancellationToken);
            var write = await batch.WriteAsync([.. data.Observations.Select(o => new LedgerEntry(o.Measure, o.Segment, o.Period, o.Value, o.Note))], cancellationToken: cancellationToken);
            if (write.Refused)
            {
                return EditResult.Invalid(0, [.. write.Problems.Select(p => new DefinitionError($"observations[{p.Index}].{p.Field}", p.Message))]);
            }

            await batch.CommitAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return EditResult.Saved(1, card);
    }

    /// <summary>
    /// Applies <paramref name="edit"/> to version <paramref name="expectedVersion"/> of scorecard <paramref name="key"/>
    /// and saves the result as the next version. <paramref name="change"/> says in words what the edit does (kept in
    /// the history). Measures the edit removes that have observations are archived when
    /// <paramref name="confirmArchive"/>, otherwise nothing is stored and the result names them.
    /// </summary>
    public Task<EditResult> EditAsync(string key, long expectedVersion, string change, Func<Scorecard, Edit> edit, string by, bool confirmArchive = false, CancellationToken cancellationToken = default) =>
        SaveAsync(key, expectedVersion, change, (_, card) => Task.FromResult(edit(card)), by, confirmArchive, restoring: null, cancellationToken);

    /// <summary>Replaces the whole definition (the scorecard file's <c>scorecard</c>); its id must stay the scorecard's key.</summary>
    public Task<EditResult> ReplaceAsync(string key, long expectedVersion, Scorecard replacement, string by, bool confirmArchive = false, CancellationToken cancellationToken = default) =>
        EditAsync(key, expectedVersion, "replace definition", _ => Edit.Done(replacement), by, confirmArchive, cancellationToken);

    /// <summary>Hides a scorecard from lists and pages, keeping its definition, history and data; refused while another scorecard cascades from it.</summary>
    public async Task<EditResult> ArchiveAsync(string key, long expectedVersion, string by, CancellationToken cancellationToken = default) =>
        await SetArchivedAsync(key, expectedVersion, archive: true, by, cancellationToken);

    /// <summary>Brings an archived scorecard back.</summary>
    public async Task<EditResult> RestoreAsync(string key, long expectedVersion, string by, CancellationToken cancellationToken = default) =>
        await SetArchivedAsync(key, expectedVersion, archive: false, by, cancellationToken);

    /// <summary>The measures archived out of a scorecard, with how many observations each keeps; null when there is no such scorecard.</summary>
    public async Task<IReadOnlyList<ArchivedMeasure>?> ArchivedMeasuresAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var id = await db.Scorecards.Where(s => s.Key == key).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(cancellationToken);
        if (id is null)
        {
            return null;
        }

        var rows = await db.ArchivedMeasures.AsNoTracking().Where(a => a.ScorecardId == id).OrderBy(a => a.MeasureKey).ToListAsync(cancellationToken);
        var counts = await db.Observations.Where(o => o.ScorecardId == id && o.SupersededAt == null && db.ArchivedMeasures.Any(a => a.ScorecardId == id && a.MeasureKey == o.MeasureKey))
            .GroupBy(o => o.MeasureKey).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return [.. rows.Select(r => new ArchivedMeasure(r.MeasureKey, r.Name, r.ObjectiveKey, r.ArchivedAt, r.ArchivedBy, counts.GetValueOrDefault(r.MeasureKey), JsonNode.Parse(r.Definition)!.AsObject()))];
    }

    /// <summary>
    /// Puts an archived measure back into the live definition, with its observations, under the objective that held
    /// it (or <paramref name="objective"/> when given).
    /// </summary>
    public Task<EditResult> RestoreMeasureAsync(string key, long expectedVersion, string measureKey, string? objective, string by, CancellationToken cancellationToken = default) =>
        SaveAsync(key, expectedVersion, $"restore measure {measureKey}", async (db, card) =>
        {
            var archived = await db.ArchivedMeasures.SingleOrDefaultAsync(a => a.MeasureKey == measureKey && db.Scorecards.Any(s => s.Id == a.ScorecardId && s.Key == key), cancellationToken);
            if (archived is null)
            {
                return Edit.NotFound($"There is no archived measure '{measureKey}' in scorecard '{key}'.");
            }

            var measure = ScorecardFragments.ReadMeasure(JsonNode.Parse(archived.Definition)).Item
                ?? throw new InvalidOperationException($"Archived measure {measureKey} of {key} does not read back.");
            db.ArchivedMeasures.Remove(archived);
            return ScorecardEdits.AddMeasure(card, objective ?? archived.ObjectiveKey, measure);
        }, by, confirmArchive: false, restoring: measureKey, cancellationToken);

    /// <summary>Every saved version of a scorecard's definition, newest first; null when there is no such scorecard.</summary>
    public async Task<IReadOnlyList<VersionEntry>?> HistoryAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var id = await db.Scorecards.Where(s => s.Key == key).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(cancellationToken);
        return id is null ? null : await db.ScorecardVersions.AsNoTracking().Where(v => v.ScorecardId == id).OrderByDescending(v => v.Version)
            .Select(v => new VersionEntry(v.Version, v.SavedAt, v.SavedBy, v.Change)).ToListAsync(cancellationToken);
    }

    /// <summary>The definition as it was at <paramref name="version"/>; null when that version is not kept.</summary>
    public async Task<Scorecard?> VersionAsync(string key, long version, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string? json = await db.ScorecardVersions.Where(v => v.Version == version && db.Scorecards.Any(s => s.Id == v.ScorecardId && s.Key == key))
            .Select(v => v.Definition).SingleOrDefaultAsync(cancellationToken);
        return json is null ? null : Parse(json, key);
    }

    private async Task<EditResult> SaveAsync(
        string key,
        long expectedVersion,
        string change,
        Func<OpenBscDbContext, Scorecard, Task<Edit>> edit,
        string by,
        bool confirmArchive,
        string? restoring,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.Scorecards.SingleOrDefaultAsync(s => s.Key == key, cancellationToken);
        if (stored is null)
        {
            return EditResult.Failed(EditStatus.NotFound, 0, $"There is no scorecard '{key}'.");
        }

        if (stored.Version != expectedVersion)
        {
            return await StaleAsync(db, stored, expectedVersion, cancellationToken);
        }

        var current = Parse(stored.Definition, key);
        var edited = await edit(db, current);
        if (edited.Scorecard is not { } card)
        {
            return EditResult.Failed(EditStatus.NotFound, stored.Version, edited.Missing!);
        }

        if (card.Id != key)
        {
            return EditResult.Invalid(stored.Version, [new DefinitionError("scorecard.id", $"the id of a stored scorecard cannot change: expected '{key}', found '{card.Id}' (create a new scorecard to use another id)")]);
        }

        var errors = ScorecardValidator.Validate(new ScorecardData(card, [])).ToList();
        if (errors.Count == 0)
        {
            errors.AddRange(await CascadeErrorsAsync(db, card, cancellationToken));
            errors.AddRange(await Security.ForeignOwners.OfAsync(db, stored.OrganisationId, card, current, cancellationToken));
        }

        if (errors.Count > 0)
        {
            return EditResult.Invalid(stored.Version, errors);
        }

        // A new measure may not take the id of an archived one: it would silently adopt the archived data.
        var before = current.AllMeasures().ToDictionary(m => m.Id, StringComparer.Ordinal);
        var after = card.AllMeasures().Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var added = after.Where(id => !before.ContainsKey(id) && id != restoring).ToList();
        var clash = await db.ArchivedMeasures.Where(a => a.ScorecardId == stored.Id && added.Contains(a.MeasureKey)).Select(a => a.MeasureKey).ToListAsync(cancellationToken);
        if (clash.Count > 0)
        {
            return EditResult.Failed(EditStatus.Conflict, stored.Version,
                $"Measure id '{clash[0]}' belongs to an archived measure of this scorecard; restore it, or choose another id.");
        }

        var removed = before.Keys.Where(id => !after.Contains(id)).ToList();
        var withData = await db.Observations.Where(o => o.ScorecardId == stored.Id && removed.Contains(o.MeasureKey))
            .Select(o => o.MeasureKey).Distinct().ToListAsync(cancellationToken);
        withData.Sort(StringComparer.Ordinal);
        if (withData.Count > 0 && !confirmArchive)
        {
            return new EditResult(EditStatus.NeedsConfirmation, stored.Version, null,
                $"This change removes measures that have observations ({string.Join(", ", withData)}). Confirm to archive them: they leave the scorecard but keep their data and can be restored.",
                [], [], [], withData);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        foreach (string measureKey in withData)
        {
            var measure = before[measureKey];
            db.ArchivedMeasures.Add(new StoredArchivedMeasure
            {
                OrganisationId = stored.OrganisationId,
                ScorecardId = stored.Id,
                MeasureKey = measureKey,
                Name = measure.Name,
                ObjectiveKey = ScorecardEdits.OwnerOfMeasure(current, measureKey)!.Id,
                Definition = ScorecardFragments.ToJson(measure).ToJsonString(),
                ArchivedAt = now,
                ArchivedBy = by,
            });
        }

        string definition = ScorecardFragments.ToFile(card);
        stored.Definition = definition;
        stored.Name = card.Name;
        stored.Version++;
        stored.UpdatedAt = now;
        string described = withData.Count > 0 ? $"{change} (archived {string.Join(", ", withData)})" : change;
        db.ScorecardVersions.Add(new StoredScorecardVersion { OrganisationId = stored.OrganisationId, ScorecardId = stored.Id, Version = stored.Version, Definition = definition, SavedAt = now, SavedBy = by, Change = Truncate(described, 500) });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another writer saved between our read and our write (the version is the concurrency token, and the
            // history's (scorecard, version) is unique): report what they changed.
            await using var fresh = await contexts.CreateDbContextAsync(cancellationToken);
            var latest = await fresh.Scorecards.AsNoTracking().SingleAsync(s => s.Id == stored.Id, cancellationToken);
            return await StaleAsync(fresh, latest, expectedVersion, cancellationToken);
        }

        return EditResult.Saved(stored.Version, card, withData.Count > 0 ? $"Archived {string.Join(", ", withData)} with their observations." : null);
    }

    private async Task<EditResult> SetArchivedAsync(string key, long expectedVersion, bool archive, string by, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.Scorecards.SingleOrDefaultAsync(s => s.Key == key, cancellationToken);
        if (stored is null)
        {
            return EditResult.Failed(EditStatus.NotFound, 0, $"There is no scorecard '{key}'.");
        }

        if (stored.Version != expectedVersion)
        {
            return await StaleAsync(db, stored, expectedVersion, cancellationToken);
        }

        if (archive)
        {
            var dependents = (await OtherDefinitionsAsync(db, key, cancellationToken)).Where(c => c.Cascade.Any(x => x.SourceScorecard == key)).Select(c => c.Id).ToList();
            if (dependents.Count > 0)
            {
                return EditResult.Failed(EditStatus.Conflict, stored.Version, $"Scorecard '{key}' cannot be archived: {string.Join(", ", dependents)} take contributions from it. Remove those cascade contributions first.");
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        stored.ArchivedAt = archive ? now : null;
        stored.Version++;
        stored.UpdatedAt = now;
        db.ScorecardVersions.Add(new StoredScorecardVersion { OrganisationId = stored.OrganisationId, ScorecardId = stored.Id, Version = stored.Version, Definition = stored.Definition, SavedAt = now, SavedBy = by, Change = archive ? "archive scorecard" : "restore scorecard" });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            await using var fresh = await contexts.CreateDbContextAsync(cancellationToken);
            return await StaleAsync(fresh, await fresh.Scorecards.AsNoTracking().SingleAsync(s => s.Id == stored.Id, cancellationToken), expectedVersion, cancellationToken);
        }

        return EditResult.Saved(stored.Version, Parse(stored.Definition, key));
    }

    /// <summary>The refusal of a stale save: what differs between the caller's version and the current one, and who saved since.</summary>
    private static async Task<EditResult> StaleAsync(OpenBscDbContext db, StoredScorecard stored, long expectedVersion, CancellationToken cancellationToken)
    {
        var since = await db.ScorecardVersions.AsNoTracking().Where(v => v.ScorecardId == stored.Id && v.Version > expectedVersion)
            .OrderBy(v => v.Version).Select(v => new VersionEntry(v.Version, v.SavedAt, v.SavedBy, v.Change)).ToListAsync(cancellationToken);
        string? old = await db.ScorecardVersions.AsNoTracking().Where(v => v.ScorecardId == stored.Id && v.Version == expectedVersion)
            .Select(v => v.Definition).SingleOrDefaultAsync(cancellationToken);
        IReadOnlyList<DefinitionChange> changes = old is null ? [] : DefinitionDiff.Between(Parse(old, stored.Key), Parse(stored.Definition, stored.Key));
        string message = old is null
            ? $"Version {expectedVersion} of scorecard '{stored.Key}' is not a version it had; the current version is {stored.Version}. Reload and edit again."
            : $"Scorecard '{stored.Key}' was changed since version {expectedVersion} (now version {stored.Version}); nothing was stored. Reload, look at what changed, and edit again.";
        return new EditResult(EditStatus.Stale, stored.Version, null, message, [], changes, since, []);
    }

    /// <summary>Cascade rules across stored scorecards: this one's sources exist, and the scorecards taking from this one still find what they take.</summary>
    private static async Task<IReadOnlyList<DefinitionError>> CascadeErrorsAsync(OpenBscDbContext db, Scorecard card, CancellationToken cancellationToken)
    {
        bool citedElsewhere = await db.Scorecards.AnyAsync(s => s.Key != card.Id && s.Definition.Contains("\"" + card.Id + "#"), cancellationToken);
        if (card.Cascade.Count == 0 && !citedElsewhere)
        {
            return [];
        }

        var others = await OtherDefinitionsAsync(db, card.Id, cancellationToken);
        var errors = new List<DefinitionError>();
        errors.AddRange(ScorecardValidator.ValidateCascade([new ScorecardData(card, []), .. others.Select(o => new ScorecardData(o, []))]));
        foreach (var dependent in others.Where(o => o.Cascade.Any(c => c.SourceScorecard == card.Id)))
        {
            var bundle = new List<ScorecardData> { new(dependent, []), new(card, []) };
            bundle.AddRange(others.Where(o => o.Id != dependent.Id).Select(o => new ScorecardData(o, [])));
            errors.AddRange(ScorecardValidator.ValidateCascade(bundle).Select(e => new DefinitionError($"{dependent.Id}: {e.Path}", e.Message)));
        }

        return errors;
    }

    private static async Task<List<Scorecard>> OtherDefinitionsAsync(OpenBscDbContext db, string key, CancellationToken cancellationToken)
    {
        var rows = await db.Scorecards.AsNoTracking().Where(s => s.Key != key).Select(s => new { s.Key, s.Definition }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => Parse(r.Definition, r.Key))];
    }

    internal static Scorecard Parse(string json, string key) => ScorecardFileReader.ParseStored(json, key);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
