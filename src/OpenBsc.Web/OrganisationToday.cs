using OpenBsc.Application.Features.Organisations;
using OpenBsc.Web.Security;

namespace OpenBsc.Web;

/// <summary>What day it is for the request: the signed-in user's organisation's (its time zone), UTC's for no user.</summary>
public static class OrganisationToday
{
    public static async ValueTask<DateOnly> TodayAsync(this HttpContext http)
    {
        var clock = http.RequestServices.GetRequiredService<OrganisationClock>();
        return http.Access() is { } access ? await clock.TodayAsync(access.OrganisationId, http.RequestAborted) : clock.Today(TimeZoneInfo.Utc);
    }
}
