using Microsoft.AspNetCore.Antiforgery;
using OpenBsc.Web.Security;
using OpenBsc.Application.Features.Library;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Templates;

namespace OpenBsc.Web;

/// <summary>Template downloads and "create from template" (a form post, antiforgery-checked).</summary>
public static class Templates
{
    public static IEndpointRouteBuilder MapTemplates(this IEndpointRouteBuilder app)
    {
        app.MapGet("/templates/{name}.yaml", (string name) => ScorecardTemplates.Text(name) is { } text
            ? Results.Text(text, "application/yaml; charset=utf-8")
            : Results.Problem(statusCode: 404, title: "Template not found", detail: $"There is no template '{name}'; the templates are: {string.Join(", ", ScorecardTemplates.Names)}."))
            .WithName("TemplateFile").RequireAccess(AccessScope.SignedIn);

        // The page's form carries an antiforgery token; it is checked here so a forged post gets a clear 400.
        app.MapPost("/templates/{name}/create", async (string name, HttpContext http, IAntiforgery antiforgery, ScorecardSnapshots snapshots, ScorecardImport import) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.Problem(statusCode: 400, title: "The form could not be used", detail: "The form has expired or did not come from this site: reload the templates page and try again. Nothing was created.");
            }

            if (ScorecardTemplates.Text(name) is null)
            {
                return Results.Problem(statusCode: 404, title: "Template not found", detail: $"There is no template '{name}'.");
            }

            var data = ScorecardTemplates.Read(name).Data!;
            if (await snapshots.GetAsync(data.Scorecard.Id) is not null)
            {
                // Never overwrite a scorecard someone is already using.
                string problem = Uri.EscapeDataString($"A scorecard '{data.Scorecard.Id}' exists already: open it, or start from the downloaded file with another id.");
                return Results.Redirect($"/templates?problem={problem}");
            }

            try
            {
                await import.ImportAsync([data], new Dictionary<string, string>(), null, http.Access()!.UserName, $"template {name}");
            }
            catch (ScorecardKeyTakenException)
            {
                // Another organisation's scorecard holds the id (a new key is new in the whole database): never named.
                string problem = Uri.EscapeDataString($"The scorecard id '{data.Scorecard.Id}' is taken: start from the downloaded file with another id.");
                return Results.Redirect($"/templates?problem={problem}");
            }

            return Results.Redirect($"/scorecards/{Uri.EscapeDataString(data.Scorecard.Id)}");
        }).WithName("CreateFromTemplate").RequireAccess(AccessScope.Organisation, Application.Features.Security.AccessRole.Editor);
        // Add a library measure to an objective: "objective" is "scorecard-id|objective-id".
        app.MapPost("/library/{id}/add", async (string id, HttpContext http, IAntiforgery antiforgery, LibraryToScorecard library, Application.Features.Security.AccessQueries queries) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.Problem(statusCode: 400, title: "The form could not be used", detail: "The form has expired or did not come from this site: reload the library page and try again. Nothing was added.");
            }

            string target = http.Request.Form["objective"].ToString();
            int bar = target.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0)
            {
                return Results.Redirect($"/library?problem={Uri.EscapeDataString("Choose the objective to add the measure to.")}");
            }

            string key = target[..bar];
            // The target scorecard comes from the form: the user must be its editor (another organisation's looks missing).
            var card = await queries.ScorecardAsync(http.Access()!.OrganisationId, key);
            var role = card is null ? Application.Features.Security.AccessRole.None : http.Access()!.RoleOn(card);
            if (role == Application.Features.Security.AccessRole.None)
            {
                return Results.Redirect($"/library?problem={Uri.EscapeDataString($"There is no scorecard '{key}'.")}");
            }

            if (role < Application.Features.Security.AccessRole.Editor)
            {
                return Results.Problem(statusCode: 403, title: "Not allowed", detail: "Adding a measure needs the editor role on the scorecard; ask an administrator if you need it.");
            }

            var result = await library.AddAsync(id, key, target[(bar + 1)..]);
            return result.MeasureId is { } added
                ? Results.Redirect($"/scorecards/{Uri.EscapeDataString(key)}/measures/{Uri.EscapeDataString(added)}")
                : Results.Redirect($"/library?problem={Uri.EscapeDataString(result.Problem!)}");
        }).WithName("AddLibraryMeasure").RequireAccess(AccessScope.SignedIn);
        return app;
    }
}
