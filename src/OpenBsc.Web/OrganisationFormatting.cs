using OpenBsc.Application.Features.Organisations;
using OpenBsc.Web.Components.Shared;
using OpenBsc.Web.Security;

namespace OpenBsc.Web;

/// <summary>
/// Sets the format pages show numbers and dates in (<see cref="Display.Format"/>) to the signed-in user's
/// organisation's, once per request, before pages render or are served from the page cache. The API is left out:
/// its numbers and dates are machine formats and never change with an organisation's settings.
/// </summary>
public sealed class OrganisationFormatting(RequestDelegate next, OrganisationClock clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Access() is { } access && !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            Display.Use(await clock.FormatAsync(access.OrganisationId, context.RequestAborted));
        }

        await next(context);
    }
}
