namespace OpenBsc.Application.Features.Organisations;

/// <summary>
/// The one place that says what day it is for an organisation: periods in progress, the default reporting period,
/// reminders, overdue data and digests all ask here. The day is the organisation's, not the server's: until an
/// organisation sets its time zone it is UTC's.
/// </summary>
public sealed class OrganisationClock(TimeProvider clock)
{
    // Organisations have no time-zone setting yet: every one is on UTC.
    private readonly TimeZoneInfo _zone = TimeZoneInfo.Utc;

    /// <summary>Today in <paramref name="zone"/>.</summary>
    public DateOnly Today(TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);

    /// <summary>Today for the organisation <paramref name="organisationId"/>, in its time zone.</summary>
    public async ValueTask<DateOnly> TodayAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        Today(await ZoneAsync(organisationId, cancellationToken));

    /// <summary>The organisation's time zone: schedules (cron, reminders, digests) run on its wall clock.</summary>
    public ValueTask<TimeZoneInfo> ZoneAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        _ = organisationId;
        _ = cancellationToken;
        return ValueTask.FromResult(_zone);
    }
}
