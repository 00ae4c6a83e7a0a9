using OpenBsc.Application.Features.Security;
using OpenBsc.Web.Security;
using System.Text.Json.Nodes;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.ScorecardFiles;
using OpenBsc.Domain.Editing;
using OpenBsc.Domain.Scorecards;
using static OpenBsc.Web.Api.ApiProblems;

namespace OpenBsc.Web.Api;

/// <summary>
/// Editing endpoints under <c>/api/v1/scorecards</c>: scorecards, their definition as a scorecard file, and every
/// item in it (perspectives, objectives, measures, links, tensions, initiatives, risks) in the scorecard file's own
/// field names. Reads carry the scorecard's version as ETag; writes must send it back in If-Match.
/// </summary>
public static class ScorecardEditingApi
{
    /// <summary>A new scorecard from scratch; a scorecard file (with <c>openbsc: 1</c>) is accepted by the same endpoint.</summary>
    public sealed record NewScorecardRequest(string? Id, string? Name, string? Perspectives);

    /// <summary>A stored scorecard: its key, name and versions.</summary>
    public sealed record ScorecardResponse(string Key, string Name, long Version, long DataVersion, DateTime UpdatedAt, bool Archived);

    private static readonly string[] ObjectiveLocation = ["perspective", "parent"];
    private static readonly string[] MeasureLocation = ["objective"];

    public static IEndpointRouteBuilder MapScorecardEditingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/scorecards").WithTags("Scorecards").AccessByMethod(AccessRole.Viewer, AccessRole.Editor);
        api.MapGet("/", ListAsync).WithName("ListScorecards").RequireAccess(AccessScope.SignedIn)
            .WithSummary("The organisation's scorecards by name, a page at a time; q filters by id or name, archived=true lists archived ones.")
            .Produces<Paged<ScorecardListItem>>().ProducesValidationProblem();
        api.MapPost("/", CreateAsync).WithName("CreateScorecard").RequireAccess(AccessScope.Organisation, AccessRole.Editor)
            .WithSummary("Creates a scorecard: { id, name, perspectives: default | none } or a whole scorecard file (JSON, openbsc: 1) with its observations.")
            .Accepts<JsonObject>("application/json").Produces<ScorecardResponse>(StatusCodes.Status201Created).WriteProblems().WithMetadata(new UploadLimitAttribute());
        api.MapGet("/{key}", GetAsync).WithName("GetScorecard")
            .WithSummary("A scorecard's name and versions; the ETag is its definition version.")
            .Produces<ScorecardResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/{key}", ArchiveAsync).WithName("ArchiveScorecard")
            .WithSummary("Archives a scorecard: hidden from lists and pages, definition, history and data kept (If-Match required).")
            .Produces<ScorecardResponse>().WriteProblems();
        api.MapPost("/{key}/restore", RestoreAsync).WithName("RestoreScorecard")
            .WithSummary("Brings an archived scorecard back (If-Match required).")
            .Produces<ScorecardResponse>().WriteProblems();
        api.MapGet("/{key}/definition", DefinitionAsync).WithName("GetDefinition")
            .WithSummary("The whole definition as a scorecard file (JSON, without observations); the ETag is its version.")
            .Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{key}/definition", ReplaceDefinitionAsync).WithName("ReplaceDefinition")
            .WithSummary("Replaces the whole definition with a scorecard file (If-Match required; confirm=true to archive measures with data it drops).")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>().WriteProblems().WithMetadata(new UploadLimitAttribute());
        api.MapGet("/{key}/history", HistoryAsync).WithName("GetDefinitionHistory")
            .WithSummary("Every saved version of the definition, newest first: who saved it, when, and what the change was.")
            .Produces<IReadOnlyList<VersionEntry>>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{key}/history/{version:long}", VersionAsync).WithName("GetDefinitionVersion")
            .WithSummary("The definition as it was at a version (scorecard file JSON).")
            .Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);

        MapPerspectives(api);
        MapObjectives(api);
        MapMeasures(api);
        MapRelations(api);
        return app;
    }

    // ---- scorecards ----

    private static async Task<IResult> ListAsync(string? q, bool? archived, int? page, int? pageSize, HttpContext context, ScorecardEditor editor, AccessQueries access)
    {
        var (p, size, problem) = Paging(page, pageSize);
        // Only the scorecards this user may see: their organisation's, or granted to them.
        return problem ?? Results.Ok(await editor.ListAsync(q, archived ?? false, p, size, await access.VisibleKeysAsync(context.Access()!)));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ScorecardEditor editor, Application.Features.Organisations.OrganisationSettings organisations)
    {
        var (body, problem) = await BodyAsync(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        ScorecardData data;
        if (body is JsonObject file && file.ContainsKey("openbsc"))
        {
            var parsed = ScorecardFileReader.Parse(file.ToJsonString(), ScorecardFileFormat.Json, "request body");
            if (!parsed.IsValid || parsed.Data is null)
            {
                return BadFragment("scorecard file", [.. parsed.Errors.Select(e => new Domain.Validation.DefinitionError(e.Path, e.Message))]);
            }

            data = parsed.Data;
        }
        else
        {
            var errors = new Dictionary<string, string[]>();
            string? id = Text(body, "id", errors);
            string? name = Text(body, "name", errors);
            string perspectives = Text(body, "perspectives", errors) ?? "default";
            if (errors.Count > 0)
            {
                return Validation(StatusCodes.Status400BadRequest, "The new scorecard is not valid", errors);
            }

            if (id is null || !Domain.Validation.ScorecardValidator.IsValidId(id))
            {
                errors["id"] = [$"expected an id of lowercase letters, digits and single '-' (e.g. customer-support), found {(id is null ? "nothing" : $"'{id}'")}"];
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                errors["name"] = ["expected the scorecard's name"];
            }

            if (perspectives is not ("default" or "none"))
            {
                errors["perspectives"] = [$"expected 'default' (Financial, Customer, Internal Process, Learning & Growth) or 'none', found '{perspectives}'"];
            }

            if (errors.Count > 0)
            {
                return Validation(StatusCodes.Status400BadRequest, "The new scorecard is not valid", errors);
            }

            // A new, empty scorecard starts with the organisation's fiscal year and status rules.
            data = new ScorecardData(await organisations.WithDefaultsAsync(context.Access()!.OrganisationId, ScorecardEditor.NewScorecard(id!, name!, perspectives == "default")), []);
        }

        var result = await editor.CreateAsync(data, Who(context));
        if (result.Status != EditStatus.Saved)
        {
            return Refused(result, context);
        }

        SetETag(context, result.Version);
        var created = await editor.GetAsync(data.Scorecard.Id);
        return Results.Created($"/api/v1/scorecards/{data.Scorecard.Id}", Describe(created!));
    }

    private static async Task<IResult> GetAsync(string key, HttpContext context, ScorecardEditor editor)
    {
        var stored = await editor.GetAsync(key);
        if (stored is null)
        {
            return NotFound($"There is no scorecard '{key}'.");
        }

        SetETag(context, stored.Version);
        return Results.Ok(Describe(stored));
    }

    private static Task<IResult> ArchiveAsync(string key, HttpContext context, ScorecardEditor editor) =>
        SetArchivedAsync(key, context, editor, archive: true);

    private static Task<IResult> RestoreAsync(string key, HttpContext context, ScorecardEditor editor) =>
        SetArchivedAsync(key, context, editor, archive: false);

    private static async Task<IResult> SetArchivedAsync(string key, HttpContext context, ScorecardEditor editor, bool archive)
    {
        var (expected, problem) = await ExpectedVersionAsync(context, editor, key, required: true);
        if (problem is not null)
        {
            return problem;
        }

        var result = archive ? await editor.ArchiveAsync(key, expected, Who(context)) : await editor.RestoreAsync(key, expected, Who(context));
        if (result.Status != EditStatus.Saved)
        {
            return Refused(result, context);
        }

        SetETag(context, result.Version);
        return Results.Ok(Describe((await editor.GetAsync(key))!));
    }

    private static async Task<IResult> DefinitionAsync(string key, HttpContext context, ScorecardEditor editor)
    {
        var stored = await editor.GetAsync(key);
        if (stored is null)
        {
            return NotFound($"There is no scorecard '{key}'.");
        }

        SetETag(context, stored.Version);
        return Results.Text(ScorecardFragments.ToFile(stored.Scorecard), "application/json");
    }

    private static async Task<IResult> ReplaceDefinitionAsync(string key, bool? confirm, HttpContext context, ScorecardEditor editor)
    {
        var (expected, problem) = await ExpectedVersionAsync(context, editor, key, required: true);
        var (body, bodyProblem) = await BodyAsync(context.Request);
        if ((problem ?? bodyProblem) is { } early)
        {
            return early;
        }

        var parsed = ScorecardFileReader.Parse(body!.ToJsonString(), ScorecardFileFormat.Json, "request body");
        if (!parsed.IsValid || parsed.Data is null)
        {
            return BadFragment("scorecard file", [.. parsed.Errors.Select(e => new Domain.Validation.DefinitionError(e.Path, e.Message))]);
        }

        if (parsed.Data.Observations.Count > 0)
        {
            return Validation(StatusCodes.Status400BadRequest, "The definition holds observations", new() { ["observations"] = ["a definition is saved without observations: write values at /api/v1/scorecards/{key}/measures/{measure}/observations"] });
        }

        var result = await editor.ReplaceAsync(key, expected, parsed.Data.Scorecard, Who(context), confirm ?? false);
        if (result.Status != EditStatus.Saved)
        {
            return Refused(result, context);
        }

        SetETag(context, result.Version);
        return Results.Text(ScorecardFragments.ToFile(result.Scorecard!), "application/json");
    }

    private static async Task<IResult> HistoryAsync(string key, ScorecardEditor editor) =>
        await editor.HistoryAsync(key) is { } history ? Results.Ok(history) : NotFound($"There is no scorecard '{key}'.");

    private static async Task<IResult> VersionAsync(string key, long version, ScorecardEditor editor) =>
        await editor.VersionAsync(key, version) is { } card
            ? Results.Text(ScorecardFragments.ToFile(card), "application/json")
            : NotFound($"Scorecard '{key}' has no version {version} in its history.");

    // ---- perspectives ----

    private static void MapPerspectives(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/{key}/perspectives").WithTags("Perspectives");
        group.MapGet("/", (string key, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => Results.Ok(card.Perspectives.Select(ScorecardFragments.ToJson).ToList())))
            .WithName("ListPerspectives").WithSummary("The perspectives, top of the strategy map first (own fields; objectives are listed at /objectives).")
            .Produces<IReadOnlyList<JsonObject>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}", (string key, string id, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => card.Perspectives.FirstOrDefault(p => p.Id == id) is { } p
                    ? Results.Ok(ScorecardFragments.ToJson(p)) : NotFound($"There is no perspective '{id}'.")))
            .WithName("GetPerspective").WithSummary("One perspective, as in the scorecard file.")
            .Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", async (string key, int? position, HttpContext context, ScorecardEditor editor) =>
            {
                var (body, problem) = await BodyAsync(context.Request);
                if (problem is not null)
                {
                    return problem;
                }

                var read = ScorecardFragments.ReadPerspective(body);
                return !read.IsValid ? BadFragment("perspective", read.Errors)
                    : await WriteAsync(key, context, editor, $"add perspective {read.Item!.Id}", c => ScorecardEdits.AddPerspective(c, read.Item, position), false,
                        card => Created(key, "perspectives", read.Item.Id, ScorecardFragments.ToJson(card.Perspectives.First(p => p.Id == read.Item.Id))));
            })
            .WithName("AddPerspective").WithSummary("Adds a perspective (with any objectives it holds) at position (0 = top; default last).")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>(StatusCodes.Status201Created).WriteProblems();
        group.MapPut("/{id}", async (string key, string id, int? position, HttpContext context, ScorecardEditor editor) =>
            {
                var (fragment, problem) = await ItemBodyAsync(context, id, ["objectives"], "/objectives");
                if (problem is not null)
                {
                    return problem;
                }

                var read = ScorecardFragments.ReadPerspective(fragment);
                return !read.IsValid ? BadFragment("perspective", read.Errors)
                    : await WriteAsync(key, context, editor, $"update perspective {id}", c =>
                        {
                            var edit = ScorecardEdits.UpdatePerspective(c, id, read.Item!);
                            return position is int to && edit.Scorecard is { } changed ? ScorecardEdits.MovePerspective(changed, id, to) : edit;
                        }, true, card => Results.Ok(ScorecardFragments.ToJson(card.Perspectives.First(p => p.Id == id))));
            })
            .WithName("UpdatePerspective").WithSummary("Renames or changes a perspective's own fields; position moves it (If-Match required).")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>().WriteProblems();
        group.MapDelete("/{id}", (string key, string id, bool? confirm, HttpContext context, ScorecardEditor editor) =>
                WriteAsync(key, context, editor, $"delete perspective {id}", c => ScorecardEdits.RemovePerspective(c, id), true, _ => Results.NoContent(), confirm ?? false))
            .WithName("DeletePerspective").WithSummary("Deletes a perspective with its objectives and measures; measures with data are archived with confirm=true (If-Match required).")
            .Produces(StatusCodes.Status204NoContent).WriteProblems();
    }

    // ---- objectives ----

    private static void MapObjectives(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/{key}/objectives").WithTags("Objectives");
        group.MapGet("/", (string key, string? perspective, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => Results.Ok(card.AllObjectives()
                    .Select(o => ObjectiveJson(card, o)).Where(o => perspective is null || (string?)o["perspective"] == perspective).ToList())))
            .WithName("ListObjectives").WithSummary("Every objective, depth first, with where it sits (perspective, parent objective); perspective= filters.")
            .Produces<IReadOnlyList<JsonObject>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}", (string key, string id, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => ScorecardEdits.FindObjective(card, id) is { } o
                    ? Results.Ok(ObjectiveJson(card, o)) : NotFound($"There is no objective '{id}'.")))
            .WithName("GetObjective").WithSummary("One objective's own fields and where it sits.")
            .Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", async (string key, int? position, HttpContext context, ScorecardEditor editor) =>
            {
                var (body, problem) = await BodyAsync(context.Request);
                if (problem is not null)
                {
                    return problem;
                }

                var (fragment, location) = TakeLocation(body, ObjectiveLocation);
                if (location["perspective"] is null && location["parent"] is null)
                {
                    return Validation(StatusCodes.Status400BadRequest, "The objective is not valid", new() { ["perspective"] = ["name the perspective (or the parent objective, as parent) that holds the objective"] });
                }

                var read = ScorecardFragments.ReadObjective(fragment);
                return !read.IsValid ? BadFragment("objective", read.Errors)
                    : await WriteAsync(key, context, editor, $"add objective {read.Item!.Id}",
                        c => ScorecardEdits.AddObjective(c, location["perspective"], location["parent"], read.Item, position), false,
                        card => Created(key, "objectives", read.Item.Id, ObjectiveJson(card, ScorecardEdits.FindObjective(card, read.Item.Id)!)));
            })
            .WithName("AddObjective").WithSummary("Adds an objective under a perspective or a parent objective (body fields perspective / parent), with any sub-objectives and measures it holds.")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>(StatusCodes.Status201Created).WriteProblems();
        group.MapPut("/{id}", async (string key, string id, int? position, HttpContext context, ScorecardEditor editor) =>
            {
                var (body, problem) = await ItemBodyAsync(context, id, ["objectives", "measures"], "/objectives and /measures");
                if (problem is not null)
                {
                    return problem;
                }

                var (fragment, location) = TakeLocation(body, ObjectiveLocation);
                var read = ScorecardFragments.ReadObjective(fragment);
                return !read.IsValid ? BadFragment("objective", read.Errors)
                    : await WriteAsync(key, context, editor, $"update objective {id}", c =>
                        {
                            var edit = ScorecardEdits.UpdateObjective(c, id, read.Item!);
                            if (edit.Scorecard is not { } changed)
                            {
                                return edit;
                            }

                            var at = ScorecardEdits.LocateObjective(changed, id)!.Value;
                            bool moves = (location.Sent("perspective") && location["perspective"] != at.Perspective && location["parent"] is null)
                                || (location.Sent("parent") && location["parent"] != at.Parent) || position is not null;
                            return moves
                                ? ScorecardEdits.MoveObjective(changed, id, location["perspective"] ?? at.Perspective, location.Sent("parent") ? location["parent"] : at.Parent, position)
                                : edit;
                        }, true, card => Results.Ok(ObjectiveJson(card, ScorecardEdits.FindObjective(card, id)!)));
            })
            .WithName("UpdateObjective").WithSummary("Changes an objective's own fields; a different perspective / parent or a position moves it (If-Match required).")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>().WriteProblems();
        group.MapDelete("/{id}", (string key, string id, bool? confirm, HttpContext context, ScorecardEditor editor) =>
                WriteAsync(key, context, editor, $"delete objective {id}", c => ScorecardEdits.RemoveObjective(c, id), true, _ => Results.NoContent(), confirm ?? false))
            .WithName("DeleteObjective").WithSummary("Deletes an objective with its sub-objectives and measures, and the links and tensions naming them; confirm=true archives measures with data (If-Match required).")
            .Produces(StatusCodes.Status204NoContent).WriteProblems();
    }

    // ---- measures ----

    private static void MapMeasures(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/{key}/measures").WithTags("Measures");
        group.MapGet("/", (string key, string? objective, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => Results.Ok(card.AllObjectives().Where(o => objective is null || o.Id == objective)
                    .SelectMany(o => o.Measures.Select(m => MeasureJson(o, m))).ToList())))
            .WithName("ListMeasures").WithSummary("Every measure with every field of the scorecard file and the objective holding it; objective= filters.")
            .Produces<IReadOnlyList<JsonObject>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}", (string key, string id, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => ScorecardEdits.FindMeasure(card, id) is { } m
                    ? Results.Ok(MeasureJson(ScorecardEdits.OwnerOfMeasure(card, id)!, m)) : NotFound($"There is no measure '{id}'.")))
            .WithName("GetMeasure").WithSummary("One measure: unit, direction, frequency, aggregation, baseline, targets, scale, scoring, weight, formula, owner, customer fields.")
            .Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", async (string key, int? position, HttpContext context, ScorecardEditor editor) =>
            {
                var (body, problem) = await BodyAsync(context.Request);
                if (problem is not null)
                {
                    return problem;
                }

                var (fragment, location) = TakeLocation(body, MeasureLocation);
                if (location["objective"] is not { } objective)
                {
                    return Validation(StatusCodes.Status400BadRequest, "The measure is not valid", new() { ["objective"] = ["name the objective that holds the measure"] });
                }

                var read = ScorecardFragments.ReadMeasure(fragment);
                return !read.IsValid ? BadFragment("measure", read.Errors)
                    : await WriteAsync(key, context, editor, $"add measure {read.Item!.Id}", c => ScorecardEdits.AddMeasure(c, objective, read.Item, position), false,
                        card => Created(key, "measures", read.Item.Id, MeasureJson(ScorecardEdits.OwnerOfMeasure(card, read.Item.Id)!, read.Item)));
            })
            .WithName("AddMeasure").WithSummary("Adds a measure to an objective (body field objective).")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>(StatusCodes.Status201Created).WriteProblems();
        group.MapPut("/{id}", async (string key, string id, int? position, HttpContext context, ScorecardEditor editor) =>
            {
                var (body, problem) = await ItemBodyAsync(context, id, [], string.Empty);
                if (problem is not null)
                {
                    return problem;
                }

                var (fragment, location) = TakeLocation(body, MeasureLocation);
                var read = ScorecardFragments.ReadMeasure(fragment);
                return !read.IsValid ? BadFragment("measure", read.Errors)
                    : await WriteAsync(key, context, editor, $"update measure {id}", c =>
                        {
                            var edit = ScorecardEdits.UpdateMeasure(c, id, read.Item!);
                            if (edit.Scorecard is not { } changed)
                            {
                                return edit;
                            }

                            string owner = ScorecardEdits.OwnerOfMeasure(changed, id)!.Id;
                            string target = location["objective"] ?? owner;
                            return target != owner || position is not null ? ScorecardEdits.MoveMeasure(changed, id, target, position) : edit;
                        }, true, card => Results.Ok(MeasureJson(ScorecardEdits.OwnerOfMeasure(card, id)!, ScorecardEdits.FindMeasure(card, id)!)));
            })
            .WithName("UpdateMeasure").WithSummary("Replaces every field of a measure (fields left out take their defaults); a different objective or a position moves it (If-Match required).")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>().WriteProblems();
        group.MapDelete("/{id}", (string key, string id, bool? confirm, HttpContext context, ScorecardEditor editor) =>
                WriteAsync(key, context, editor, $"delete measure {id}", c => ScorecardEdits.RemoveMeasure(c, id), true, _ => Results.NoContent(), confirm ?? false))
            .WithName("DeleteMeasure").WithSummary("Deletes a measure; one with observations needs confirm=true and is archived with its data, restorable (If-Match required).")
            .Produces(StatusCodes.Status204NoContent).WriteProblems();

        var archive = api.MapGroup("/{key}/archived-measures").WithTags("Measures");
        archive.MapGet("/", async (string key, ScorecardEditor editor) =>
                await editor.ArchivedMeasuresAsync(key) is { } list ? Results.Ok(list) : NotFound($"There is no scorecard '{key}'."))
            .WithName("ListArchivedMeasures").WithSummary("Measures archived out of the scorecard, with their definition and how many values they keep.")
            .Produces<IReadOnlyList<ArchivedMeasure>>().ProducesProblem(StatusCodes.Status404NotFound);
        archive.MapPost("/{id}/restore", async (string key, string id, string? objective, HttpContext context, ScorecardEditor editor) =>
            {
                var (expected, problem) = await ExpectedVersionAsync(context, editor, key, required: true);
                if (problem is not null)
                {
                    return problem;
                }

                var result = await editor.RestoreMeasureAsync(key, expected, id, objective, Who(context));
                if (result.Status != EditStatus.Saved)
                {
                    return Refused(result, context);
                }

                SetETag(context, result.Version);
                return Results.Ok(MeasureJson(ScorecardEdits.OwnerOfMeasure(result.Scorecard!, id)!, ScorecardEdits.FindMeasure(result.Scorecard!, id)!));
            })
            .WithName("RestoreMeasure").WithSummary("Puts an archived measure back with its data, under the objective that held it or objective= (If-Match required).")
            .Produces<JsonObject>().WriteProblems();
    }

    // ---- links, tensions, initiatives ----

    private static void MapRelations(RouteGroupBuilder api)
    {
        var links = api.MapGroup("/{key}/links").WithTags("Links");
        links.MapGet("/", (string key, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => Results.Ok(card.Links.Select(ScorecardFragments.ToJson).ToList())))
            .WithName("ListLinks").WithSummary("The cause-effect links of the strategy map.").Produces<IReadOnlyList<JsonObject>>().ProducesProblem(StatusCodes.Status404NotFound);
        links.MapGet("/{from}/{to}", (string key, string from, string to, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => card.Links.FirstOrDefault(l => l.From == from && l.To == to) is { } l
                    ? Results.Ok(ScorecardFragments.ToJson(l)) : NotFound($"There is no link from '{from}' to '{to}'.")))
            .WithName("GetLink").WithSummary("One link, by its ends.").Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        links.MapPost("/", (string key, HttpContext context, ScorecardEditor editor) =>
                BodyWriteAsync(key, context, editor, ScorecardFragments.ReadLink, "link", false,
                    link => ($"add link {link.From}→{link.To}", c => c.Links.Any(l => l.From == link.From && l.To == link.To)
                        ? Edit.NotFound($"There is already a link from '{link.From}' to '{link.To}'.") : ScorecardEdits.AddLink(c, link)),
                    (card, link) => Created(key, "links", $"{link.From}/{link.To}", ScorecardFragments.ToJson(link))))
            .WithName("AddLink").WithSummary("Adds a cause-effect link { from, to, note } between objectives or measures.")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>(StatusCodes.Status201Created).WriteProblems();
        links.MapPut("/{from}/{to}", (string key, string from, string to, HttpContext context, ScorecardEditor editor) =>
                BodyWriteAsync(key, context, editor, ScorecardFragments.ReadLink, "link", true,
                    link => ($"update link {from}→{to}", c => ScorecardEdits.UpdateLink(c, from, to, link)), (card, link) => Results.Ok(ScorecardFragments.ToJson(link))))
            .WithName("UpdateLink").WithSummary("Changes a link's ends or note (If-Match required).")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>().WriteProblems();
        links.MapDelete("/{from}/{to}", (string key, string from, string to, HttpContext context, ScorecardEditor editor) =>
                WriteAsync(key, context, editor, $"delete link {from}→{to}", c => ScorecardEdits.RemoveLink(c, from, to), true, _ => Results.NoContent()))
            .WithName("DeleteLink").WithSummary("Deletes a link (If-Match required).").Produces(StatusCodes.Status204NoContent).WriteProblems();

        var tensions = api.MapGroup("/{key}/tensions").WithTags("Tensions");
        tensions.MapGet("/", (string key, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => Results.Ok(card.Tensions.Select(ScorecardFragments.ToJson).ToList())))
            .WithName("ListTensions").WithSummary("The declared tensions (pairs never netted against each other).").Produces<IReadOnlyList<JsonObject>>().ProducesProblem(StatusCodes.Status404NotFound);
        tensions.MapGet("/{first}/{second}", (string key, string first, string second, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => ScorecardEdits.IndexOfTension(card, first, second) is var i and >= 0
                    ? Results.Ok(ScorecardFragments.ToJson(card.Tensions[i])) : NotFound($"There is no tension between '{first}' and '{second}'.")))
            .WithName("GetTension").WithSummary("One tension, by its two items in either order.").Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        tensions.MapPost("/", (string key, HttpContext context, ScorecardEditor editor) =>
                BodyWriteAsync(key, context, editor, ScorecardFragments.ReadTension, "tension", false,
                    t => ($"add tension {t.First}↔{t.Second}", c => ScorecardEdits.IndexOfTension(c, t.First, t.Second) >= 0
                        ? Edit.NotFound($"There is already a tension between '{t.First}' and '{t.Second}'.") : ScorecardEdits.AddTension(c, t)),
                    (card, t) => Created(key, "tensions", $"{t.First}/{t.Second}", ScorecardFragments.ToJson(t))))
            .WithName("AddTension").WithSummary("Declares a tension { between: [a, b], note }.")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>(StatusCodes.Status201Created).WriteProblems();
        tensions.MapPut("/{first}/{second}", (string key, string first, string second, HttpContext context, ScorecardEditor editor) =>
                BodyWriteAsync(key, context, editor, ScorecardFragments.ReadTension, "tension", true,
                    t => ($"update tension {first}↔{second}", c => ScorecardEdits.UpdateTension(c, first, second, t)), (card, t) => Results.Ok(ScorecardFragments.ToJson(t))))
            .WithName("UpdateTension").WithSummary("Changes a tension (If-Match required).")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>().WriteProblems();
        tensions.MapDelete("/{first}/{second}", (string key, string first, string second, HttpContext context, ScorecardEditor editor) =>
                WriteAsync(key, context, editor, $"delete tension {first}↔{second}", c => ScorecardEdits.RemoveTension(c, first, second), true, _ => Results.NoContent()))
            .WithName("DeleteTension").WithSummary("Deletes a tension (If-Match required).").Produces(StatusCodes.Status204NoContent).WriteProblems();

        var initiatives = api.MapGroup("/{key}/initiatives").WithTags("Initiatives");
        initiatives.MapGet("/", (string key, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => Results.Ok(card.Initiatives.Select(ScorecardFragments.ToJson).ToList())))
            .WithName("ListInitiatives").WithSummary("The strategic initiatives.").Produces<IReadOnlyList<JsonObject>>().ProducesProblem(StatusCodes.Status404NotFound);
        initiatives.MapGet("/{id}", (string key, string id, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => card.Initiatives.FirstOrDefault(i => i.Id == id) is { } i
                    ? Results.Ok(ScorecardFragments.ToJson(i)) : NotFound($"There is no initiative '{id}'.")))
            .WithName("GetInitiative").WithSummary("One initiative.").Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        initiatives.MapPost("/", (string key, HttpContext context, ScorecardEditor editor) =>
                BodyWriteAsync(key, context, editor, ScorecardFragments.ReadInitiative, "initiative", false,
                    i => ($"add initiative {i.Id}", c => ScorecardEdits.AddInitiative(c, i)), (card, i) => Created(key, "initiatives", i.Id, ScorecardFragments.ToJson(i))))
            .WithName("AddInitiative").WithSummary("Adds an initiative { id, name, objectives, owner, start, end, budget, actualCost, complete, milestones }.")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>(StatusCodes.Status201Created).WriteProblems();
        initiatives.MapPut("/{id}", async (string key, string id, HttpContext context, ScorecardEditor editor) =>
            {
                var (body, problem) = await ItemBodyAsync(context, id, [], string.Empty);
                if (problem is not null)
                {
                    return problem;
                }

                var read = ScorecardFragments.ReadInitiative(body);
                return !read.IsValid ? BadFragment("initiative", read.Errors)
                    : await WriteAsync(key, context, editor, $"update initiative {id}", c => ScorecardEdits.UpdateInitiative(c, id, read.Item!), true,
                        card => Results.Ok(ScorecardFragments.ToJson(card.Initiatives.First(i => i.Id == id))));
            })
            .WithName("UpdateInitiative").WithSummary("Replaces an initiative's fields (If-Match required).")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>().WriteProblems();
        initiatives.MapDelete("/{id}", (string key, string id, HttpContext context, ScorecardEditor editor) =>
                WriteAsync(key, context, editor, $"delete initiative {id}", c => ScorecardEdits.RemoveInitiative(c, id), true, _ => Results.NoContent()))
            .WithName("DeleteInitiative").WithSummary("Deletes an initiative and drops it from the risks it mitigates (If-Match required).").Produces(StatusCodes.Status204NoContent).WriteProblems();

        var risks = api.MapGroup("/{key}/risks").WithTags("Risks");
        risks.MapGet("/", (string key, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => Results.Ok(card.Risks.Select(ScorecardFragments.ToJson).ToList())))
            .WithName("ListRisks").WithSummary("The risk register as defined (levels and bands at /risk-register).").Produces<IReadOnlyList<JsonObject>>().ProducesProblem(StatusCodes.Status404NotFound);
        risks.MapGet("/{id}", (string key, string id, HttpContext context, ScorecardEditor editor) =>
                ReadAsync(key, context, editor, card => card.Risks.FirstOrDefault(r => r.Id == id) is { } r
                    ? Results.Ok(ScorecardFragments.ToJson(r)) : NotFound($"There is no risk '{id}'.")))
            .WithName("GetRisk").WithSummary("One risk.").Produces<JsonObject>().ProducesProblem(StatusCodes.Status404NotFound);
        risks.MapPost("/", (string key, HttpContext context, ScorecardEditor editor) =>
                BodyWriteAsync(key, context, editor, ScorecardFragments.ReadRisk, "risk", false,
                    r => ($"add risk {r.Id}", c => ScorecardEdits.AddRisk(c, r)), (card, r) => Created(key, "risks", r.Id, ScorecardFragments.ToJson(r))))
            .WithName("AddRisk").WithSummary("Adds a risk { id, name, objectives, owner, likelihood, impact, target, residual, mitigations, review }.")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>(StatusCodes.Status201Created).WriteProblems();
        risks.MapPut("/{id}", async (string key, string id, HttpContext context, ScorecardEditor editor) =>
            {
                var (body, problem) = await ItemBodyAsync(context, id, [], string.Empty);
                if (problem is not null)
                {
                    return problem;
                }

                var read = ScorecardFragments.ReadRisk(body);
                return !read.IsValid ? BadFragment("risk", read.Errors)
                    : await WriteAsync(key, context, editor, $"update risk {id}", c => ScorecardEdits.UpdateRisk(c, id, read.Item!), true,
                        card => Results.Ok(ScorecardFragments.ToJson(card.Risks.First(r => r.Id == id))));
            })
            .WithName("UpdateRisk").WithSummary("Replaces a risk's fields (If-Match required).")
            .Accepts<JsonObject>("application/json").Produces<JsonObject>().WriteProblems();
        risks.MapDelete("/{id}", (string key, string id, HttpContext context, ScorecardEditor editor) =>
                WriteAsync(key, context, editor, $"delete risk {id}", c => ScorecardEdits.RemoveRisk(c, id), true, _ => Results.NoContent()))
            .WithName("DeleteRisk").WithSummary("Deletes a risk (If-Match required).").Produces(StatusCodes.Status204NoContent).WriteProblems();
    }

    // ---- shared steps ----

    private static ScorecardResponse Describe(StoredDefinition stored) =>
        new(stored.Key, stored.Name, stored.Version, stored.DataVersion, stored.UpdatedAt, stored.ArchivedAt is not null);

    private static IResult Created(string key, string collection, string id, JsonObject item) =>
        Results.Created($"/api/v1/scorecards/{key}/{collection}/{id}", item);

    private static JsonObject ObjectiveJson(Scorecard card, Objective objective)
    {
        var json = ScorecardFragments.ToJson(objective);
        var (perspective, parent) = ScorecardEdits.LocateObjective(card, objective.Id)!.Value;
        json["perspective"] = perspective;
        json["parent"] = parent;
        return json;
    }

    private static JsonObject MeasureJson(Objective owner, Measure measure)
    {
        var json = ScorecardFragments.ToJson(measure);
        json["objective"] = owner.Id;
        return json;
    }

    private static JsonNode? Field(JsonNode? body, string name) => body is JsonObject o && o.TryGetPropertyValue(name, out var value) ? value : null;

    /// <summary>A text field of a body: null when absent or null; anything else than a string is an error naming the field.</summary>
    private static string? Text(JsonNode? body, string name, Dictionary<string, string[]> errors)
    {
        var value = Field(body, name);
        if (value is null)
        {
            return null;
        }

        if (value.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            return (string?)value;
        }

        errors[name] = [$"expected text (a JSON string), found {value.GetValueKind().ToString().ToLowerInvariant()} {Clip(value.ToJsonString())}"];
        return null;
    }

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;

    /// <summary>Where an item sits, as sent in a body: a field not sent reads as null, and <see cref="Sent"/> tells it from one sent as null.</summary>
    private sealed record Location(Dictionary<string, string?> Values)
    {
        public string? this[string name] => Values.GetValueOrDefault(name);

        public bool Sent(string name) => Values.ContainsKey(name);
    }

    /// <summary>Takes the location fields (where an item sits: not part of the scorecard file's item) out of a body.</summary>
    private static (JsonNode? Fragment, Location Location) TakeLocation(JsonNode? body, string[] names)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (body is not JsonObject o)
        {
            return (body, new Location(values));
        }

        var copy = o.DeepClone().AsObject();
        foreach (string name in names)
        {
            if (copy.Remove(name, out var value))
            {
                values[name] = value is null ? null : value.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)value : value.ToJsonString();
            }
        }

        return (copy, new Location(values));
    }

    /// <summary>The body of a PUT on an item: its id, if given, must be the one in the URL; children are edited as items of their own.</summary>
    private static async Task<(JsonNode? Body, IResult? Problem)> ItemBodyAsync(HttpContext context, string id, string[] children, string where)
    {
        var (body, problem) = await BodyAsync(context.Request);
        if (problem is not null)
        {
            return (null, problem);
        }

        var errors = new Dictionary<string, string[]>();
        if (body is JsonObject o)
        {
            if (!o.ContainsKey("id"))
            {
                o["id"] = id;
            }
            else if (Text(o, "id", errors) is var given && given != id && !errors.ContainsKey("id"))
            {
                errors["id"] = [$"the id '{given}' differs from '{id}' in the URL: an id cannot change (links, formulas and observations name it); create a new item instead"];
            }

            foreach (string child in children.Where(o.ContainsKey))
            {
                errors[child] = [$"'{child}' are items of their own: edit them at {where}"];
            }
        }

        return errors.Count > 0 ? (null, Validation(StatusCodes.Status400BadRequest, "The item is not valid", errors)) : (body, null);
    }

    private static async Task<IResult> ReadAsync(string key, HttpContext context, ScorecardEditor editor, Func<Scorecard, IResult> read)
    {
        var stored = await editor.GetAsync(key);
        if (stored is null)
        {
            return NotFound($"There is no scorecard '{key}'.");
        }

        SetETag(context, stored.Version);
        return read(stored.Scorecard);
    }

    private static async Task<IResult> BodyWriteAsync<T>(
        string key,
        HttpContext context,
        ScorecardEditor editor,
        Func<JsonNode?, FragmentResult<T>> readFragment,
        string what,
        bool requireIfMatch,
        Func<T, (string Change, Func<Scorecard, Edit> Edit)> edit,
        Func<Scorecard, T, IResult> saved)
        where T : class
    {
        var (body, problem) = await BodyAsync(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        var read = readFragment(body);
        if (!read.IsValid)
        {
            return BadFragment(what, read.Errors);
        }

        var (change, apply) = edit(read.Item!);
        return await WriteAsync(key, context, editor, change, apply, requireIfMatch, card => saved(card, read.Item!));
    }

    /// <summary>
    /// Saves an edit against the version the caller sent in If-Match (required for PUT and DELETE). An add (POST)
    /// may leave it out: it then applies to the current version, retried if another writer saves in between, since
    /// adding overwrites nothing.
    /// </summary>
    private static async Task<IResult> WriteAsync(string key, HttpContext context, ScorecardEditor editor, string change, Func<Scorecard, Edit> edit, bool requireIfMatch, Func<Scorecard, IResult> saved, bool confirm = false)
    {
        bool sent = context.Request.Headers.IfMatch.Count > 0;
        EditResult result;
        int attempts = 0;
        do
        {
            var (expected, problem) = await ExpectedVersionAsync(context, editor, key, requireIfMatch);
            if (problem is not null)
            {
                return problem;
            }

            result = await editor.EditAsync(key, expected, change, edit, Who(context), confirm);
        }
        while (result.Status == EditStatus.Stale && !sent && ++attempts < 3);

        if (result.Status != EditStatus.Saved)
        {
            return Refused(result, context);
        }

        SetETag(context, result.Version);
        return saved(result.Scorecard!);
    }

    /// <summary>The version to edit: If-Match's, or the current one for <c>*</c> or (when not required) no header.</summary>
    private static async Task<(long Version, IResult? Problem)> ExpectedVersionAsync(HttpContext context, ScorecardEditor editor, string key, bool required)
    {
        if (required || context.Request.Headers.IfMatch.Count > 0)
        {
            var (any, version, problem) = IfMatch(context.Request);
            if (problem is not null)
            {
                return (0, problem);
            }

            if (!any)
            {
                return (version, null);
            }
        }

        var stored = await editor.GetAsync(key);
        return stored is null ? (0, NotFound($"There is no scorecard '{key}'.")) : (stored.Version, null);
    }
}
