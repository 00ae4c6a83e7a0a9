using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Editing;

namespace OpenBsc.Application.Features.Connectors;

/// <summary>What a source feeds into one scorecard (docs/connectors.md, "Bindings").</summary>
public sealed record BindingDefinition(
    string Scorecard,
    string? Measure,
    string Query,
    string MeasureColumn = "measure",
    string PeriodColumn = "period",
    string ValueColumn = "value",
    string? NoteColumn = null,
    string? SegmentColumn = null);

/// <summary>A source as its editors see and write it: everything but the secret.</summary>
public sealed record SourceDefinition(
    string Name,
    string Kind,
    string Address,
    IReadOnlyList<BindingDefinition> Bindings,
    string? Format = null,
    string? RowsPath = null,
    string Auth = "none",
    string? AuthName = null,
    string? Owner = null,
    string Schedule = "demand",
    string? Cron = null,
    int DaysAfterClose = 0);

/// <summary>A stored source: its definition, whether a secret and a push token are set (never their values), its version for If-Match.</summary>
public sealed record SourceEntry(long Id, SourceDefinition Definition, bool HasSecret, bool HasPushToken, long Version, DateTime UpdatedAt);

/// <summary>What saving a source did; <see cref="Problems"/> name the field and what was expected.</summary>
public sealed record SourceWrite(EditStatus Status, SourceEntry? Source, IReadOnlyList<(string Field, string Message)> Problems, string? Message = null);

/// <summary>
/// The sources of an organisation: list, read, save (with If-Match versions), delete, and the push token. The secret
/// is encrypted with data protection (the key ring every node and <c>db copy</c> share) and only decrypted to connect.
/// </summary>
public sealed class DataSources(IDbContextFactory<OpenBscDbContext> contexts, IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Kinds = ["postgresql", "sqlite", "mysql", "http"];

    public static readonly IReadOnlyList<string> Formats = ["csv", "json"];

    public static readonly IReadOnlyList<string> Auths = ["none", "bearer", "basic", "header"];

    public static readonly IReadOnlyList<string> Schedules = ["demand", "cron", "after-close"];

    private IDataProtector Protector => protection.CreateProtector("OpenBsc.Connectors.Secret");

    public async Task<IReadOnlyList<SourceEntry>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.DataSources.AsNoTracking().Where(s => s.OrganisationId == organisationId).OrderBy(s => s.Name).ToListAsync(cancellationToken);
        var list = new List<SourceEntry>(rows.Count);
        foreach (var row in rows)
        {
            list.Add(await EntryAsync(db, row, cancellationToken));
        }

        return list;
    }

    public async Task<SourceEntry?> GetAsync(Guid organisationId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.DataSources.AsNoTracking().FirstOrDefaultAsync(s => s.OrganisationId == organisationId && s.Id == id, cancellationToken);
        return row is null ? null : await EntryAsync(db, row, cancellationToken);
    }

    /// <summary>The source named <paramref name="name"/> (any case) in the organisation (every organisation when null), or null.</summary>
    public async Task<SourceEntry?> FindAsync(Guid? organisationId, string name, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.DataSources.AsNoTracking().Where(s => organisationId == null || s.OrganisationId == organisationId).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        var row = rows.FirstOrDefault(s => string.Equals(s.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
        return row is null ? null : await EntryAsync(db, row, cancellationToken);
    }

    /// <summary>The organisation holding source <paramref name="id"/>, or null.</summary>
    public async Task<Guid?> OrganisationOfAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.DataSources.AsNoTracking().Where(s => s.Id == id).Select(s => (Guid?)s.OrganisationId).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Creates a source (<paramref name="id"/> null) or changes one seen at <paramref name="expectedVersion"/>; a new
    /// <paramref name="secret"/> replaces the stored one, null keeps it, <paramref name="clearSecret"/> removes it.
    /// Nothing is saved when any field is wrong.
    /// </summary>
    public async Task<SourceWrite> SaveAsync(Guid organisationId, long? id, long? expectedVersion, SourceDefinition definition, string? secret, bool clearSecret, string by, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        definition = Normalise(definition);
        var (problems, ownerId, scorecards) = await CheckAsync(db, organisationId, definition, cancellationToken);
        if (problems.Count > 0)
        {
            return new SourceWrite(EditStatus.Invalid, null, problems, "Nothing was saved: " + string.Join("; ", problems.Select(p => p.Message)));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        StoredDataSource row;
        if (id is { } existing)
        {
            var found = await db.DataSources.FirstOrDefaultAsync(s => s.OrganisationId == organisationId && s.Id == existing, cancellationToken);
            if (found is null)
            {
                return new SourceWrite(EditStatus.NotFound, null, [], $"There is no source {existing}.");
            }

            if (expectedVersion != found.Version)
            {
                return new SourceWrite(EditStatus.Stale, await EntryAsync(db, found, cancellationToken), [], $"The source was changed at {found.UpdatedAt:yyyy-MM-dd HH:mm} UTC after you opened it; nothing was saved. Reload and make your change again.");
            }

            row = found;
            if (row.Schedule != definition.Schedule || row.Cron != definition.Cron || row.DaysAfterClose != definition.DaysAfterClose)
            {
                // A new schedule starts from now: it does not run the occurrences it would have had in the past.
                row.ScheduledThrough = now;
            }

            row.Version++;
            row.UpdatedAt = now;
            await db.SourceBindings.Where(b => b.SourceId == row.Id).ExecuteDeleteAsync(cancellationToken);
        }
        else
        {
            row = new StoredDataSource { OrganisationId = organisationId, Name = definition.Name, Kind = definition.Kind, Address = "", CreatedAt = now, CreatedBy = by, UpdatedAt = now, ScheduledThrough = now };
            db.DataSources.Add(row);
        }

        row.Name = definition.Name;
        row.Kind = definition.Kind;
        row.Address = definition.Address;
        row.Format = definition.Format;
        row.RowsPath = definition.RowsPath;
        row.Auth = definition.Auth;
        row.AuthName = definition.AuthName;
        row.OwnerId = ownerId;
        row.Schedule = definition.Schedule;
        row.Cron = definition.Cron;
        row.DaysAfterClose = definition.DaysAfterClose;
        if (clearSecret)
        {
            row.SecretProtected = null;
        }
        else if (!string.IsNullOrEmpty(secret))
        {
            row.SecretProtected = Protector.Protect(secret);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new SourceWrite(EditStatus.Stale, null, [], "The source was changed meanwhile; nothing was saved. Reload and make your change again.");
        }
        catch (DbUpdateException)
        {
            return new SourceWrite(EditStatus.Conflict, null, [("name", $"name: a source named '{definition.Name}' exists already; choose another name.")]);
        }

        for (int i = 0; i < definition.Bindings.Count; i++)
        {
            var b = definition.Bindings[i];
            db.SourceBindings.Add(new StoredSourceBinding
            {
                OrganisationId = organisationId,
                SourceId = row.Id,
                ScorecardId = scorecards[i],
                Measure = b.Measure,
                Query = b.Query,
                MeasureColumn = b.MeasureColumn,
                PeriodColumn = b.PeriodColumn,
                ValueColumn = b.ValueColumn,
                NoteColumn = b.NoteColumn,
                SegmentColumn = b.SegmentColumn,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SourceWrite(EditStatus.Saved, await EntryAsync(db, row, cancellationToken), [], "Saved.");
    }

    public async Task<bool> DeleteAsync(Guid organisationId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.DataSources.FirstOrDefaultAsync(s => s.OrganisationId == organisationId && s.Id == id, cancellationToken);
        if (row is null)
        {
            return false;
        }

        db.DataSources.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Makes a new push token for the source (the old one stops working) and returns it: shown once, only its hash is kept.</summary>
    public async Task<string?> NewPushTokenAsync(Guid organisationId, long id, CancellationToken cancellationToken = default)
    {
        string token = "obsc_push_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        int changed = await db.DataSources.Where(s => s.OrganisationId == organisationId && s.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.PushTokenHash, HashOf(token)), cancellationToken);
        return changed == 0 ? null : token;
    }

    /// <summary>The source a push token writes to, or null when the token is no source's.</summary>
    public async Task<(Guid OrganisationId, long Id)?> PushTargetAsync(long id, string token, CancellationToken cancellationToken = default)
    {
        string hash = HashOf(token);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.DataSources.AsNoTracking().Where(s => s.Id == id && s.PushTokenHash == hash).Select(s => new { s.OrganisationId, s.Id }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.OrganisationId, row.Id);
    }

    internal static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The secret in clear, to connect with; null when none is set.</summary>
    internal string? Secret(StoredDataSource row) => row.SecretProtected is null ? null : Protector.Unprotect(row.SecretProtected);

    private static async Task<SourceEntry> EntryAsync(OpenBscDbContext db, StoredDataSource row, CancellationToken cancellationToken)
    {
        var bindings = await db.SourceBindings.AsNoTracking().Where(b => b.SourceId == row.Id).OrderBy(b => b.Id)
            .Join(db.Scorecards.IgnoreQueryFilters(), b => b.ScorecardId, s => s.Id, (b, s) => new { b, s.Key }).ToListAsync(cancellationToken);
        string? owner = row.OwnerId is { } ownerId ? await db.Users.AsNoTracking().Where(u => u.Id == ownerId).Select(u => u.UserName).FirstOrDefaultAsync(cancellationToken) : null;
        var definition = new SourceDefinition(row.Name, row.Kind, row.Address,
            [.. bindings.Select(x => new BindingDefinition(x.Key, x.b.Measure, x.b.Query, x.b.MeasureColumn, x.b.PeriodColumn, x.b.ValueColumn, x.b.NoteColumn, x.b.SegmentColumn))],
            row.Format, row.RowsPath, row.Auth, row.AuthName, owner, row.Schedule, row.Cron, row.DaysAfterClose);
        return new SourceEntry(row.Id, definition, row.SecretProtected is not null, row.PushTokenHash is not null, row.Version, row.UpdatedAt);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static SourceDefinition Normalise(SourceDefinition d) => d with
    {
        Name = (d.Name ?? "").Trim(),
        Kind = (d.Kind ?? "").Trim().ToLowerInvariant(),
        Address = (d.Address ?? "").Trim(),
        Format = d.Kind == "http" ? Blank(d.Format)?.ToLowerInvariant() ?? "csv" : null,
        RowsPath = d.Kind == "http" ? Blank(d.RowsPath) : null,
        Auth = Blank(d.Auth)?.ToLowerInvariant() ?? "none",
        AuthName = Blank(d.AuthName),
        Owner = Blank(d.Owner),
        Schedule = Blank(d.Schedule)?.ToLowerInvariant() ?? "demand",
        Cron = d.Schedule == "cron" ? Blank(d.Cron) : null,
        Bindings = [.. (d.Bindings ?? []).Select(b => b with
        {
            Scorecard = (b.Scorecard ?? "").Trim(),
            Measure = Blank(b.Measure),
            Query = (b.Query ?? "").Trim(),
            MeasureColumn = Blank(b.MeasureColumn) ?? "measure",
            PeriodColumn = Blank(b.PeriodColumn) ?? "period",
            ValueColumn = Blank(b.ValueColumn) ?? "value",
            NoteColumn = Blank(b.NoteColumn),
            SegmentColumn = Blank(b.SegmentColumn),
        })],
    };

    private static async Task<(List<(string Field, string Message)> Problems, Guid? Owner, List<Guid> Scorecards)> CheckAsync(OpenBscDbContext db, Guid organisationId, SourceDefinition d, CancellationToken cancellationToken)
    {
        var problems = new List<(string Field, string Message)>();
        if (d.Name.Length is 0 or > 100)
        {
            problems.Add(("name", "name: expected 1 to 100 characters"));
        }

        if (!Kinds.Contains(d.Kind))
        {
            problems.Add(("kind", $"kind: '{d.Kind}' is not a kind of source; expected one of {string.Join(", ", Kinds)}"));
        }
        else if (AddressProblem(d.Kind, d.Address) is { } address)
        {
            problems.Add(("address", "address: " + address));
        }

        if (d.Kind == "http")
        {
            if (!Formats.Contains(d.Format ?? ""))
            {
                problems.Add(("format", $"format: expected one of {string.Join(", ", Formats)}"));
            }

            if (!Auths.Contains(d.Auth))
            {
                problems.Add(("auth", $"auth: expected one of {string.Join(", ", Auths)}"));
            }
            else if (d.Auth is "basic" or "header" && d.AuthName is null)
            {
                problems.Add(("authName", d.Auth == "basic" ? "authName: the user name for basic authentication" : "authName: the name of the header that carries the secret (e.g. X-Api-Key)"));
            }
            else if (d.Auth == "header" && d.AuthName is { } header && (header.Any(c => c <= ' ' || c > '~' || c == ':') || header.Length > 100))
            {
                problems.Add(("authName", $"authName: '{header}' is not a header name; expected letters, digits and dashes (e.g. X-Api-Key)"));
            }
        }
        else if (d.Auth != "none")
        {
            problems.Add(("auth", "auth: only HTTP sources take an authentication kind; a database's password goes in the secret"));
        }

        if (!Schedules.Contains(d.Schedule))
        {
            problems.Add(("schedule", $"schedule: expected one of {string.Join(", ", Schedules)}"));
        }
        else if (d.Schedule == "cron" && (d.Cron is null || !ReportingCycle.BriefingBooks.TryParseCron(d.Cron, out _)))
        {
            problems.Add(("cron", $"cron: '{d.Cron}' is not a cron expression; expected five fields: minute hour day-of-month month day-of-week (e.g. \"0 6 * * *\" for 06:00 every day)"));
        }

        if (d.DaysAfterClose is < 0 or > 366)
        {
            problems.Add(("daysAfterClose", $"daysAfterClose: expected 0 to 366 days, found {d.DaysAfterClose}"));
        }

        Guid? owner = null;
        if (d.Owner is { } name)
        {
            owner = await db.Users.AsNoTracking().Where(u => u.OrganisationId == organisationId && (u.UserName == name || u.Email == name)).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken);
            if (owner is null)
            {
                problems.Add(("owner", $"owner: '{name}' is not a user of this organisation"));
            }
        }

        var scorecards = new List<Guid>();
        for (int i = 0; i < d.Bindings.Count; i++)
        {
            var b = d.Bindings[i];
            string at = $"bindings[{i}]";
            var card = await db.Scorecards.AsNoTracking().IgnoreQueryFilters().Where(s => s.OrganisationId == organisationId && s.Key == b.Scorecard).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(cancellationToken);
            if (card is null)
            {
                problems.Add((at + ".scorecard", $"{at}.scorecard: '{b.Scorecard}' is not a scorecard of this organisation"));
            }

            scorecards.Add(card ?? Guid.Empty);
            if (d.Kind != "http" && b.Query.Length == 0)
            {
                problems.Add((at + ".query", $"{at}.query: the SQL query that returns the rows (e.g. select measure, period, value from kpi)"));
            }
            else if (b.Query.Length > 8000)
            {
                problems.Add((at + ".query", $"{at}.query: at most 8,000 characters"));
            }
        }

        return (problems, owner, scorecards);
    }

    /// <summary>What is wrong with a source's address, or null.</summary>
    internal static string? AddressProblem(string kind, string address)
    {
        if (address.Length is 0 or > 2000)
        {
            return kind == "http" ? "the URL to read (https://…), at most 2,000 characters" : "the connection string, at most 2,000 characters";
        }

        if (kind == "http")
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return $"'{address}' is not an http(s) URL";
            }

            return uri.UserInfo.Length > 0 ? "no user or password in the URL: choose basic authentication and put the password in the secret" : null;
        }

        try
        {
            DbConnectionStringBuilder builder = SourceReaders.Builder(kind, address);
            if (builder.TryGetValue("Password", out var password) && !string.IsNullOrEmpty(password?.ToString()))
            {
                return "no password in the connection string: put it in the secret, which is kept encrypted and never shown back";
            }

            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            // The builder's message names the keyword, never a value.
            return $"not a {kind} connection string: {e.Message}";
        }
    }
}
