using OpenBsc.Application.Features.Organisations;
using OpenBsc.Web.Components.Shared;
using OpenBsc.Web.Security;

namespace OpenBsc.Web;

/// <summary>
/// Sets the format pages and reports show numbers and dates in (<see cref="OrganisationFormat.Current"/>, read by
/// <see cref="Display"/> and the PDF/HTML report) to the signed-in user's organisation's, once per request, before
/// pages render or are served from the page cache. The API is left out: its numbers and dates are machine formats
/// and never change with an organisation's settings.
/// </summary>
public sealed class OrganisationFormatting(RequestDelegate next, OrganisationClock clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Access() is { } access && !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            OrganisationFormat.Use(await clock.FormatAsync(access.OrganisationId, context.RequestAborted));
        }

        await next(context);
    }
}
