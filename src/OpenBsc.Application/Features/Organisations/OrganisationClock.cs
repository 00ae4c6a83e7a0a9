using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;

namespace OpenBsc.Application.Features.Organisations;

/// <summary>
/// The one place that says what day it is for an organisation: periods in progress, the default reporting period,
/// reminders, overdue data and digests all ask here. The day is the organisation's, in its time zone (organisation
/// settings), not the server's.
/// </summary>
public sealed class OrganisationClock(SystemDbContexts contexts, TimeProvider clock)
{
    /// <summary>How long a node keeps an organisation's time zone before reading it again (another node may have changed it).</summary>
    public static readonly TimeSpan ZoneLifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, (OrganisationFormat Format, DateTimeOffset Read)> _formats = new();

    /// <summary>Today in <paramref name="zone"/>.</summary>
    public DateOnly Today(TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);

    /// <summary>The time now in the organisation's time zone.</summary>
    public async ValueTask<DateTimeOffset> NowAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        TimeZoneInfo.ConvertTime(clock.GetUtcNow(), await ZoneAsync(organisationId, cancellationToken));

    /// <summary>Today for the organisation <paramref name="organisationId"/>, in its time zone.</summary>
    public async ValueTask<DateOnly> TodayAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        DateOnly.FromDateTime((await NowAsync(organisationId, cancellationToken)).DateTime);

    /// <summary>The organisation's time zone (UTC for an unknown organisation or a zone this server does not know).</summary>
    public async ValueTask<TimeZoneInfo> ZoneAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        (await FormatAsync(organisationId, cancellationToken)).Zone;

    /// <summary>
    /// How the organisation reads numbers, dates and times (its zone included), kept like the zone: read with it in
    /// one query, at most every <see cref="ZoneLifetime"/>.
    /// </summary>
    public async ValueTask<OrganisationFormat> FormatAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (_formats.TryGetValue(organisationId, out var known) && now - known.Read < ZoneLifetime)
        {
            return known.Format;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var o = await db.Organisations.AsNoTracking().Where(o => o.Id == organisationId)
            .Select(o => new { o.TimeZone, o.DecimalComma, o.DateFormat }).FirstOrDefaultAsync(cancellationToken);
        var format = o is null ? OrganisationFormat.Invariant
            : new OrganisationFormat(o.DecimalComma, OrganisationSettings.DateFormats.Contains(o.DateFormat) ? o.DateFormat : OrganisationFormat.Invariant.DateFormat, TimeZones.Find(o.TimeZone) ?? TimeZoneInfo.Utc);
        _formats[organisationId] = (format, now);
        return format;
    }

    /// <summary>Forgets a cached zone and format (this node saved new settings: they count from the next request).</summary>
    public void Forget(Guid organisationId) => _formats.TryRemove(organisationId, out _);
}

/// <summary>Time zones by IANA id (as the server's time-zone data knows them).</summary>
public static class TimeZones
{
    public static TimeZoneInfo? Find(string? id) =>
        string.IsNullOrWhiteSpace(id) ? null : TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;

    /// <summary>Every IANA zone id the server knows, for the settings page's choice.</summary>
    public static IReadOnlyList<string> Ids { get; } = [.. TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Append("UTC").Distinct().Order(StringComparer.Ordinal)];
}
