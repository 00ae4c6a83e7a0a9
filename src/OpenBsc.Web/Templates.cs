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
            // Sample observations only when asked for: a strategy office starts from the structure.
            if (http.Request.Form["data"] != "sample")
            {
                data = data with { Observations = [] };
            }

            string exists = $"/templates?problem=exists&template={Uri.EscapeDataString(name)}";
            if (await snapshots.GetAsync(data.Scorecard.Id) is not null
                || (await snapshots.ListAsync()).Any(s => string.Equals(s.Name, data.Scorecard.Name, StringComparison.OrdinalIgnoreCase)))
            {
                // Never overwrite a scorecard someone is already using, nor make a second one of the same name.
                return Results.Redirect(exists);
            }

            try
            {
                await import.ImportAsync([data], new Dictionary<string, string>(), null, http.Access()!.UserName, $"template {name}");
            }
            catch (ScorecardKeyTakenException)
            {
                // Another organisation's scorecard holds the id (a new key is new in the whole database): never named.
                return Results.Redirect("/templates?problem=taken");
            }

            return Results.Redirect($"/scorecards/{Uri.EscapeDataString(data.Scorecard.Id)}");
        }).WithName("CreateFromTemplate").RequireAccess(AccessScope.Organisation, Application.Features.Security.AccessRole.Editor);
        // Add a library measure to an objective: "objective" is "scorecard-id|objective-id".
        app.MapPost("/library/{id}/add", async (string id, HttpContext http, IAntiforgery antiforgery, LibraryToScorecard library, ScorecardSnapshots snapshots, Application.Features.Security.AccessQueries queries) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.Problem(statusCode: 400, title: "The form could not be used", detail: "The form has expired or did not come from this site: reload the library page and try again. Nothing was added.");
            }

            string target = http.Request.Form["objective"].ToString();
            int bar = target.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0)
            {
                return Results.Redirect("/library?problem=choose");
            }

            string key = target[..bar];
            string back = $"/library?to={Uri.EscapeDataString(target)}";
            // The target scorecard comes from the form: the user must be its editor (another organisation's looks missing).
            var card = await queries.ScorecardAsync(http.Access()!.OrganisationId, key);
            var role = card is null ? Application.Features.Security.AccessRole.None : http.Access()!.RoleOn(card);
            if (role == Application.Features.Security.AccessRole.None)
            {
                return Results.Redirect("/library?problem=gone");
            }

            if (role < Application.Features.Security.AccessRole.Editor)
            {
                return Results.Problem(statusCode: 403, title: "Not allowed", detail: "Adding a measure needs the editor role on the scorecard; ask an administrator if you need it.");
            }

            // Adding the same measure twice would quietly make a numbered copy: say it is there instead.
            if (MeasureLibrary.Find(id) is { } entry && await snapshots.GetAsync(key) is { } snapshot && LibraryMessages.Existing(snapshot.Scorecard, entry) is { } existing)
            {
                return Results.Redirect($"{back}&exists={Uri.EscapeDataString(existing.Id)}#m-{Uri.EscapeDataString(id)}");
            }

            var result = await library.AddAsync(id, key, target[(bar + 1)..]);
            // Added: go on to set its target in the measure editor.
            return result.MeasureId is { } added
                ? Results.Redirect($"/scorecards/{Uri.EscapeDataString(key)}/design/measures/{Uri.EscapeDataString(added)}?done=added")
                : Results.Redirect($"{back}&problem={(result.Conflict ? "conflict" : result.Problem!.StartsWith("There is no", StringComparison.Ordinal) || result.Problem.Contains("has no objective", StringComparison.Ordinal) ? "gone" : "invalid")}");
        }).WithName("AddLibraryMeasure").RequireAccess(AccessScope.SignedIn);
        return app;
    }
}
