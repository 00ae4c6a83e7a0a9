using Microsoft.AspNetCore.Antiforgery;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Domain.Editing;
using OpenBsc.Web.Security;

namespace OpenBsc.Web.Components.Pages.Design;

/// <summary>Validate-as-you-type for the measure editor: the form's fields checked by the file's reader and validator; nothing is stored.</summary>
public static class DesignChecks
{
    public sealed record CheckResult(bool Valid, IReadOnlyDictionary<string, string[]> Errors);

    public static IEndpointRouteBuilder MapDesignChecks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/scorecards/{key}/design/measures/{id}/check", CheckMeasureAsync)
            .WithName("CheckMeasureForm")
            .RequireAccess(AccessScope.Scorecard, Application.Features.Security.AccessRole.Editor)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> CheckMeasureAsync(string key, string id, HttpContext http, IAntiforgery antiforgery, ScorecardEditor editor)
    {
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(statusCode: 400, title: "The form could not be checked", detail: "Post the measure form of this site (with its antiforgery token).");
        }

        var stored = await editor.GetAsync(key);
        var measure = stored is null ? null : ScorecardEdits.FindMeasure(stored.Scorecard, id);
        if (stored is null || measure is null)
        {
            return Results.Problem(statusCode: 404, title: "Measure not found", detail: $"There is no measure '{id}' in scorecard '{key}'.");
        }

        var form = await http.Request.ReadFormAsync();
        var (_, _, errors) = DesignForms.ReadMeasure(f => form.TryGetValue(f, out var v) ? v.ToString() : null, stored.Scorecard, measure);
        var byField = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        return Results.Ok(new CheckResult(errors.Count == 0, byField));
    }
}
