using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OpenBsc.Application.Data;

namespace OpenBsc.Application.Features.Security;

/// <summary>
/// Writes the audit log from EF Core's change tracker, in the same transaction as the change: no writer can forget
/// it (editor, library, templates, users, roles, tokens, approvals all save through EF). Observations are the one
/// exception: their one writer, the ObservationLedger, audits each batch as one entry with its row count, and saving
/// an observation as a tracked entity is refused.
/// </summary>
public sealed class AuditInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is OpenBscDbContext db)
        {
            AddEntriesAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is OpenBscDbContext db)
        {
            await AddEntriesAsync(db, cancellationToken);
        }

        return result;
    }

    private async Task AddEntriesAsync(OpenBscDbContext db, CancellationToken cancellationToken)
    {
        db.ChangeTracker.DetectChanges();
        var now = clock.GetUtcNow().UtcDateTime;
        string actor = db.Actor;
        var keys = new Dictionary<Guid, string>();
        var entries = new List<StoredAuditEntry>();

        async Task<string?> KeyOf(Guid scorecardId)
        {
            if (keys.TryGetValue(scorecardId, out string? known))
            {
                return known;
            }

            string? key = db.ChangeTracker.Entries<StoredScorecard>().FirstOrDefault(e => e.Entity.Id == scorecardId)?.Entity.Key
                ?? await db.Scorecards.AsNoTracking().IgnoreQueryFilters().Where(s => s.Id == scorecardId).Select(s => s.Key).FirstOrDefaultAsync(cancellationToken);
            keys[scorecardId] = key ?? "";
            return key;
        }

        void Add(Guid organisation, string action, string? scorecard, string subject, object? before, object? after) =>
            entries.Add(new StoredAuditEntry
            {
                OrganisationId = organisation,
                At = now,
                Actor = actor,
                Action = action,
                Scorecard = scorecard,
                Subject = subject.Length > 500 ? subject[..500] : subject,
                Before = before is null ? null : before as string ?? JsonSerializer.Serialize(before),
                After = after is null ? null : after as string ?? JsonSerializer.Serialize(after),
            });

        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList())
        {
            switch (entry.Entity)
            {
                case StoredObservation when entry.State is EntityState.Added or EntityState.Modified:
                    // One writer of observations, which audits each batch as one entry (docs/architecture.md).
                    throw new InvalidOperationException("Observations are written through the ObservationLedger, not saved as tracked entities.");
                case StoredScorecard s:
                    if (entry.State == EntityState.Added)
                    {
                        Add(s.OrganisationId, "scorecard.created", s.Key, s.Name, null, s.Definition);
                    }
                    else if (entry.State == EntityState.Deleted)
                    {
                        Add(s.OrganisationId, "scorecard.deleted", s.Key, s.Name, s.Definition, null);
                    }
                    else
                    {
                        if (Changed(entry, nameof(StoredScorecard.Definition)))
                        {
                            Add(s.OrganisationId, "scorecard.changed", s.Key, s.Name, entry.Property(nameof(StoredScorecard.Definition)).OriginalValue, s.Definition);
                        }

                        if (Changed(entry, nameof(StoredScorecard.ArchivedAt)))
                        {
                            Add(s.OrganisationId, s.ArchivedAt is null ? "scorecard.restored" : "scorecard.archived", s.Key, s.Name, null, null);
                        }

                        if (Changed(entry, nameof(StoredScorecard.RequiresApproval)))
                        {
                            Add(s.OrganisationId, "scorecard.approval-setting", s.Key, s.Name, new { RequiresApproval = !s.RequiresApproval }, new { s.RequiresApproval });
                        }
                    }

                    break;
                case OpenBscUser u:
                    if (entry.State == EntityState.Added)
                    {
                        Add(u.OrganisationId, "user.created", null, u.UserName ?? "", null, UserState(u));
                    }
                    else if (entry.State == EntityState.Deleted)
                    {
                        Add(u.OrganisationId, "user.deleted", null, u.UserName ?? "", UserState(u), null);
                    }
                    else
                    {
                        if (Changed(entry, nameof(OpenBscUser.PasswordHash)))
                        {
                            // Never the hash itself: only that the password changed.
                            Add(u.OrganisationId, "user.password-changed", null, u.UserName ?? "", null, new { u.MustChangePassword });
                        }

                        if (Changed(entry, nameof(OpenBscUser.TwoFactorEnabled)))
                        {
                            Add(u.OrganisationId, u.TwoFactorEnabled ? "user.second-factor-on" : "user.second-factor-off", null, u.UserName ?? "", null, null);
                        }

                        if (Changed(entry, nameof(OpenBscUser.Role)) || Changed(entry, nameof(OpenBscUser.DisabledAt)) || Changed(entry, nameof(OpenBscUser.Email)))
                        {
                            var before = new
                            {
                                Role = AccessRoles.Name((AccessRole)entry.Property(nameof(OpenBscUser.Role)).OriginalValue!),
                                Disabled = entry.Property(nameof(OpenBscUser.DisabledAt)).OriginalValue is not null,
                                Email = (string?)entry.Property(nameof(OpenBscUser.Email)).OriginalValue,
                            };
                            Add(u.OrganisationId, u.DisabledAt is not null && !before.Disabled ? "user.disabled" : u.DisabledAt is null && before.Disabled ? "user.enabled" : "user.changed", null, u.UserName ?? "", before, UserState(u));
                        }
                    }

                    break;
                case StoredOrganisation org when entry.State == EntityState.Modified:
                    // What changed, before and after; the SMTP password only as "changed" (never its value, not even encrypted).
                    var changed = entry.Properties.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)).ToList();
                    if (changed.Count > 0)
                    {
                        object? Shown(Microsoft.EntityFrameworkCore.ChangeTracking.PropertyEntry p, object? value) =>
                            p.Metadata.Name is nameof(StoredOrganisation.SmtpPasswordProtected) or nameof(StoredOrganisation.OidcClientSecretProtected) ? (value is null ? "none" : "set") : value;
                        Add(org.Id, "organisation.settings", null, org.Name,
                            changed.ToDictionary(p => p.Metadata.Name, p => Shown(p, p.OriginalValue)), changed.ToDictionary(p => p.Metadata.Name, p => Shown(p, p.CurrentValue)));
                    }

                    break;
                case StoredInvitation i when entry.State == EntityState.Added:
                    Add(i.OrganisationId, "user.invited", null, i.Email, null, new { Role = AccessRoles.Name(i.Role), i.ExpiresAt });
                    break;
                case StoredScorecardRole r:
                    string user = await db.Users.AsNoTracking().Where(x => x.Id == r.UserId).Select(x => x.UserName).FirstOrDefaultAsync(cancellationToken) ?? "";
                    string? card = await KeyOf(r.ScorecardId);
                    Add(r.OrganisationId, entry.State switch { EntityState.Added => "role.granted", EntityState.Deleted => "role.revoked", _ => "role.changed" }, card, user,
                        entry.State == EntityState.Added ? null : new { Role = AccessRoles.Name((AccessRole)entry.Property(nameof(StoredScorecardRole.Role)).OriginalValue!) },
                        entry.State == EntityState.Deleted ? null : new { Role = AccessRoles.Name(r.Role) });
                    break;
                case StoredApiToken t:
                    string owner = await db.Users.AsNoTracking().Where(x => x.Id == t.UserId).Select(x => x.UserName).FirstOrDefaultAsync(cancellationToken) ?? "";
                    if (entry.State == EntityState.Added)
                    {
                        Add(t.OrganisationId, "token.created", null, $"{owner}: {t.Name}", null, new { t.Scope, t.ExpiresAt });
                    }
                    else if (Changed(entry, nameof(StoredApiToken.RevokedAt)))
                    {
                        Add(t.OrganisationId, "token.revoked", null, $"{owner}: {t.Name}", null, new { t.RevokedAt });
                    }

                    break;
                case StoredPasskey k:
                    string holder = await db.Users.AsNoTracking().Where(x => x.Id == k.UserId).Select(x => x.UserName).FirstOrDefaultAsync(cancellationToken) ?? "";
                    if (entry.State is EntityState.Added or EntityState.Deleted)
                    {
                        Add(k.OrganisationId, entry.State == EntityState.Added ? "passkey.added" : "passkey.removed", null, $"{holder}: {k.Name}", null, null);
                    }
                    else if (Changed(entry, nameof(StoredPasskey.LastUsedAt)))
                    {
                        Add(k.OrganisationId, "passkey.used", null, $"{holder}: {k.Name}", null, null);
                    }

                    break;
                case StoredAlertRule a when entry.State is EntityState.Added or EntityState.Deleted:
                    var rule = new { a.Kind, a.Threshold, a.AfterDays, a.Subject, a.Recipients, a.InApp, a.Email, a.Webhook };
                    Add(a.OrganisationId, entry.State == EntityState.Added ? "alert-rule.added" : "alert-rule.deleted", await KeyOf(a.ScorecardId), $"{a.Kind} {a.Subject ?? "all"}",
                        entry.State == EntityState.Deleted ? rule : null, entry.State == EntityState.Added ? rule : null);
                    break;
                case StoredWebhook w when entry.State is EntityState.Added or EntityState.Deleted:
                    // The URL only: the secret never goes into the log.
                    Add(w.OrganisationId, entry.State == EntityState.Added ? "webhook.added" : "webhook.deleted", await KeyOf(w.ScorecardId), w.Url, null, null);
                    break;
                case StoredDataSource d:
                    // Never the secret, not even encrypted: only whether one is set, and that it changed.
                    var source = new { d.Kind, d.Address, d.Format, d.RowsPath, d.Auth, d.AuthName, Secret = d.SecretProtected is null ? "none" : "set", d.Schedule, d.Cron, d.DaysAfterClose };
                    if (entry.State == EntityState.Added)
                    {
                        Add(d.OrganisationId, "source.added", null, d.Name, null, source);
                    }
                    else if (entry.State == EntityState.Deleted)
                    {
                        Add(d.OrganisationId, "source.deleted", null, d.Name, source, null);
                    }
                    else if (Changed(entry, nameof(StoredDataSource.Version)))
                    {
                        Add(d.OrganisationId, "source.changed", null, d.Name, null, new { source.Kind, source.Address, source.Format, source.RowsPath, source.Auth, source.AuthName, source.Schedule, source.Cron, source.DaysAfterClose, SecretChanged = Changed(entry, nameof(StoredDataSource.SecretProtected)) });
                    }

                    break;
                case StoredPeriodClose c:
                    if (entry.State == EntityState.Added)
                    {
                        Add(c.OrganisationId, "period.closed", await KeyOf(c.ScorecardId), c.Period, null, new { c.LastDay });
                    }
                    else if (Changed(entry, nameof(StoredPeriodClose.ReopenedAt)))
                    {
                        Add(c.OrganisationId, "period.reopened", await KeyOf(c.ScorecardId), c.Period, null, new { Reason = c.ReopenReason });
                    }

                    break;
                case StoredCommentary c when entry.State == EntityState.Added:
                    Add(c.OrganisationId, "commentary.saved", await KeyOf(c.ScorecardId), $"{(c.Item.Length == 0 ? "scorecard" : c.Item)} {c.Period}", null, null);
                    break;
                case StoredAction a:
                    Add(a.OrganisationId, entry.State switch { EntityState.Added => "action.opened", EntityState.Deleted => "action.deleted", _ => "action.changed" }, await KeyOf(a.ScorecardId),
                        $"{a.Item}: {a.Title}", null, entry.State == EntityState.Deleted ? null : new { a.Status, a.Owner, a.Due });
                    break;
                case StoredPendingObservation p:
                    string pending = $"{p.MeasureKey}{(p.Segment is null ? "" : "/" + p.Segment)} {p.Period}";
                    if (entry.State == EntityState.Added)
                    {
                        Add(p.OrganisationId, "observation.submitted", await KeyOf(p.ScorecardId), pending, null, new { p.Value, p.Note, p.SubmittedBy });
                    }
                    else if (Changed(entry, nameof(StoredPendingObservation.State)))
                    {
                        Add(p.OrganisationId, p.State == ApprovalState.Approved ? "observation.approved" : "observation.rejected", await KeyOf(p.ScorecardId), pending, new { p.Value, p.SubmittedBy }, new { State = p.State.ToString(), p.DecidedBy });
                    }

                    break;
            }
        }

        db.AuditLog.AddRange(entries);
    }

    private static object UserState(OpenBscUser u) => new { Role = AccessRoles.Name(u.Role), Disabled = u.DisabledAt is not null, u.Email };

    private static bool Changed(EntityEntry entry, string property)
    {
        var p = entry.Property(property);
        return p.IsModified && !Equals(p.OriginalValue, p.CurrentValue);
    }
}

/// <summary>One audit entry as shown and exported.</summary>
public sealed record AuditRow(long Id, DateTime At, string Actor, string Action, string? Scorecard, string Subject, string? Before, string? After);

/// <summary>
/// The filters of the audit page and export: scorecard key, actor (user name), what (an action such as
/// <c>user.disabled</c>, or a kind such as <c>user</c> for every <c>user.…</c>), and a day range (inclusive, UTC).
/// </summary>
/// <summary>What the audit log is filtered by; <paramref name="Zone"/> is whose days From and To are (the organisation's: the times shown are in it).</summary>
public sealed record AuditFilter(string? Scorecard = null, string? Actor = null, DateOnly? From = null, DateOnly? To = null, string? Action = null, TimeZoneInfo? Zone = null);

/// <summary>Reads an organisation's audit log (newest first) and writes it as CSV.</summary>
public sealed class AuditQueries(IDbContextFactory<OpenBscDbContext> contexts)
{
    public const int MaxRows = 10_000;

    /// <summary>The kinds of change the "what" filter offers (the part of an action before its dot).</summary>
    public static readonly IReadOnlyList<string> Kinds =
        ["observations", "observation", "scorecard", "period", "commentary", "action", "user", "role", "token", "passkey", "organisation", "alert-rule", "webhook"];

    public async Task<IReadOnlyList<AuditRow>> ListAsync(Guid organisationId, AuditFilter filter, int limit = 500, CancellationToken cancellationToken = default) =>
        await ListAsync(organisationId, filter, 0, limit, cancellationToken);

    /// <summary>One page of the filtered log, newest first: <paramref name="limit"/> rows after skipping <paramref name="skip"/>.</summary>
    public async Task<IReadOnlyList<AuditRow>> ListAsync(Guid organisationId, AuditFilter filter, int skip, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.AuditLog.AsNoTracking().Where(a => a.OrganisationId == organisationId);
        if (!string.IsNullOrWhiteSpace(filter.Scorecard))
        {
            query = query.Where(a => a.Scorecard == filter.Scorecard);
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            query = query.Where(a => a.Actor == filter.Actor);
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            string action = filter.Action;
            string kind = action + ".";
            query = action.Contains('.', StringComparison.Ordinal) ? query.Where(a => a.Action == action) : query.Where(a => a.Action.StartsWith(kind));
        }

        var zone = filter.Zone ?? TimeZoneInfo.Utc;
        if (filter.From is { } from)
        {
            var start = StartOfDay(from, zone);
            query = query.Where(a => a.At >= start);
        }

        if (filter.To is { } to)
        {
            var end = StartOfDay(to.AddDays(1), zone);
            query = query.Where(a => a.At < end);
        }

        return await query.OrderByDescending(a => a.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(limit, 1, MaxRows))
            .Select(a => new AuditRow(a.Id, a.At, a.Actor, a.Action, a.Scorecard, a.Subject, a.Before, a.After))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The first moment (UTC) of <paramref name="day"/> in <paramref name="zone"/>. Where a clock change skips midnight
    /// (a few zones move at 00:00) the day starts at the first minute that exists.
    /// </summary>
    internal static DateTime StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with an apostrophe.</summary>
    public static string ToCsv(IEnumerable<AuditRow> rows)
    {
        var csv = new StringBuilder("at,actor,action,scorecard,subject,before,after\r\n");
        foreach (var r in rows)
        {
            csv.AppendJoin(',', [r.At.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), Cell(r.Actor), Cell(r.Action), Cell(r.Scorecard), Cell(r.Subject), Cell(r.Before), Cell(r.After)]).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Cell(string? text)
    {
        text ??= "";
        if (text.Length > 0 && "=+-@\t\r".Contains(text[0], StringComparison.Ordinal))
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
