using OpenBsc.Application.Features.Connectors;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Security;
using OpenBsc.Web.Security;
using static OpenBsc.Web.Api.ApiProblems;

namespace OpenBsc.Web.Api;

/// <summary>
/// <c>/api/v1/sources</c> (docs/connectors.md): the organisation's data sources for editors — list, read with an ETag,
/// create, change with If-Match, delete, preview, run now, run history, a push token — and the push URL a tool posts
/// CSV to with that token, which writes to its one source only.
/// </summary>
internal static class SourcesApi
{
    /// <summary>The push token's header (a personal API token goes in Authorization; this one is the source's).</summary>
    public const string PushTokenHeader = "X-OpenBsc-Push-Token";

    public sealed record SourceRequest(
        string? Name,
        string? Kind,
        string? Address,
        string? Format,
        string? RowsPath,
        string? Auth,
        string? AuthName,
        string? Secret,
        bool ClearSecret,
        string? Owner,
        string? Schedule,
        string? Cron,
        int DaysAfterClose,
        IReadOnlyList<BindingDefinition>? Bindings);

    public sealed record PushToken(string Token, string Url, string Header);

    public static IEndpointRouteBuilder MapSourcesApi(this IEndpointRouteBuilder app)
    {
        var sources = app.MapGroup("/api/v1/sources").WithTags("Data sources").AccessByMethod(AccessRole.Editor, AccessRole.Editor);
        sources.MapGet("/", ListAsync).WithName("ListSources").WithSummary("The organisation's data sources (never their secrets).")
            .Produces<IReadOnlyList<SourceEntry>>();
        sources.MapGet("/{id:long}", GetAsync).WithName("GetSource").WithSummary("One source; the ETag is its version.")
            .Produces<SourceEntry>().ProducesProblem(StatusCodes.Status404NotFound);
        sources.MapPost("/", CreateAsync).WithName("CreateSource").WithSummary("Creates a source; the secret is kept encrypted and never returned.")
            .Produces<SourceEntry>(StatusCodes.Status201Created).WriteProblems();
        sources.MapPut("/{id:long}", UpdateAsync).WithName("UpdateSource").WithSummary("Changes a source (If-Match required); an empty secret keeps the stored one.")
            .Produces<SourceEntry>().WriteProblems();
        sources.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteSource").WithSummary("Deletes a source, its bindings and run history (values it stored stay).")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        sources.MapPost("/{id:long}/preview", PreviewAsync).WithName("PreviewSource")
            .WithSummary("Reads the source and checks its rows as a run would, storing nothing: the first rows, the row errors and what a run would do.")
            .Produces<SourcePreview>().ProducesProblem(StatusCodes.Status404NotFound);
        sources.MapPost("/{id:long}/run", RunAsync).WithName("RunSource")
            .WithSummary("Runs the source now and returns the run (409 when a node is running it already).")
            .Produces<SourceRunRow>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        sources.MapGet("/{id:long}/runs", RunsAsync).WithName("SourceRuns").WithSummary("The source's runs, newest first.")
            .Produces<IReadOnlyList<SourceRunRow>>().ProducesProblem(StatusCodes.Status404NotFound);
        sources.MapPost("/{id:long}/push-token", PushTokenAsync).WithName("NewPushToken")
            .WithSummary("Makes a new push token for the source (the previous one stops working); shown once.")
            .Produces<PushToken>().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPost("/api/v1/sources/{id:long}/push", PushAsync).WithTags("Data sources").WithName("PushToSource")
            .WithSummary($"Stores a CSV observations file (measure,period,value[,note][,segment]) as a run of the source; the source's push token in {PushTokenHeader}.")
            .Accepts<string>("text/csv").Produces<SourceRunRow>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesValidationProblem()
            // The token, not a session or personal token, is the credential: it reaches this one source only.
            .RequireAccess(AccessScope.Public).DisableAntiforgery();
        return app;
    }

    private static Guid Organisation(HttpContext context) => context.Access()?.OrganisationId ?? Guid.Empty;

    private static SourceDefinition Definition(SourceRequest r) =>
        new(r.Name ?? "", r.Kind ?? "", r.Address ?? "", r.Bindings ?? [], r.Format, r.RowsPath, r.Auth ?? "none", r.AuthName, r.Owner, r.Schedule ?? "demand", r.Cron, r.DaysAfterClose);

    private static async Task<IResult> ListAsync(HttpContext context, DataSources sources) => Results.Ok(await sources.ListAsync(Organisation(context)));

    private static async Task<IResult> GetAsync(long id, HttpContext context, DataSources sources)
    {
        var source = await sources.GetAsync(Organisation(context), id);
        if (source is null)
        {
            return NotFound($"There is no source {id}.");
        }

        SetETag(context, source.Version);
        return Results.Ok(source);
    }

    private static IResult Refused(SourceWrite result) => result.Status switch
    {
        EditStatus.Invalid => Validation(StatusCodes.Status422UnprocessableEntity, "The source is not valid", result.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray())),
        EditStatus.Conflict => Validation(StatusCodes.Status409Conflict, "The name is taken", result.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray())),
        EditStatus.NotFound => NotFound(result.Message ?? "There is no such source."),
        _ => Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The source was changed meanwhile", detail: result.Message),
    };

    private static async Task<IResult> CreateAsync(SourceRequest request, HttpContext context, DataSources sources)
    {
        var result = await sources.SaveAsync(Organisation(context), null, null, Definition(request), request.Secret, request.ClearSecret, Who(context));
        if (result.Status != EditStatus.Saved)
        {
            return Refused(result);
        }

        SetETag(context, result.Source!.Version);
        return Results.Created($"/api/v1/sources/{result.Source.Id}", result.Source);
    }

    private static async Task<IResult> UpdateAsync(long id, SourceRequest request, HttpContext context, DataSources sources)
    {
        var (any, version, precondition) = IfMatch(context.Request);
        if (precondition is not null)
        {
            return precondition;
        }

        var current = await sources.GetAsync(Organisation(context), id);
        if (current is null)
        {
            return NotFound($"There is no source {id}.");
        }

        var result = await sources.SaveAsync(Organisation(context), id, any ? current.Version : version, Definition(request), request.Secret, request.ClearSecret, Who(context));
        if (result.Status != EditStatus.Saved)
        {
            return Refused(result);
        }

        SetETag(context, result.Source!.Version);
        return Results.Ok(result.Source);
    }

    private static async Task<IResult> DeleteAsync(long id, HttpContext context, DataSources sources) =>
        await sources.DeleteAsync(Organisation(context), id) ? Results.NoContent() : NotFound($"There is no source {id}.");

    private static async Task<IResult> PreviewAsync(long id, HttpContext context, DataSources sources, SourceRuns runs, CancellationToken cancellationToken) =>
        await sources.GetAsync(Organisation(context), id, cancellationToken) is null
            ? NotFound($"There is no source {id}.")
            : Results.Ok(await runs.PreviewAsync(Organisation(context), id, cancellationToken));

    private static async Task<IResult> RunAsync(long id, HttpContext context, DataSources sources, SourceRuns runs, CancellationToken cancellationToken)
    {
        if (await sources.GetAsync(Organisation(context), id, cancellationToken) is not { } source)
        {
            return NotFound($"There is no source {id}.");
        }

        var run = await runs.RunAsync(Organisation(context), id, "demand", Who(context), cancellationToken);
        return run is null
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The source is running", detail: $"{source.Definition.Name} is being run already; its run appears in the history when it is done.")
            : Results.Ok(run);
    }

    private static async Task<IResult> RunsAsync(long id, HttpContext context, DataSources sources, SourceRuns runs) =>
        await sources.GetAsync(Organisation(context), id) is null
            ? NotFound($"There is no source {id}.")
            : Results.Ok(await runs.HistoryAsync(Organisation(context), id));

    private static async Task<IResult> PushTokenAsync(long id, HttpContext context, DataSources sources)
    {
        string? token = await sources.NewPushTokenAsync(Organisation(context), id);
        return token is null
            ? NotFound($"There is no source {id}.")
            : Results.Ok(new PushToken(token, $"/api/v1/sources/{id}/push", PushTokenHeader));
    }

    private static async Task<IResult> PushAsync(long id, string? scorecard, HttpContext context, DataSources sources, SourceRuns runs, CancellationToken cancellationToken)
    {
        string? token = context.Request.Headers[PushTokenHeader];
        if (string.IsNullOrWhiteSpace(token) || await sources.PushTargetAsync(id, token.Trim(), cancellationToken) is not { } target)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Push token required",
                detail: $"Send this source's push token in the {PushTokenHeader} header (make one on the Sources page or with POST /api/v1/sources/{id}/push-token).");
        }

        var run = await runs.PushAsync(target.OrganisationId, target.Id, context.Request.Body, scorecard, cancellationToken);
        return run.Status == "failed"
            ? Validation(StatusCodes.Status422UnprocessableEntity, "Nothing was stored", new() { ["file"] = [run.Error ?? "the file was refused"] })
            : Results.Ok(run);
    }
}
