using OpenBsc.Application.Features.Security;
using OpenBsc.Web.Security;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;
using static OpenBsc.Web.Api.ApiProblems;

namespace OpenBsc.Web.Api;

/// <summary>
/// The values of one measure under <c>/api/v1/scorecards/{key}/measures/{measure}/observations</c>: list (paged,
/// by period range), add a value for a period without one, correct a value with a reason. A value's ETag is its
/// id: a correction must name the value it replaces (If-Match), so two people correcting the same value never
/// overwrite each other silently.
/// </summary>
public static class MeasureObservationsApi
{
    /// <summary>A new value for a period (and customer segment, for a measure tracked per segment).</summary>
    public sealed record NewObservationRequest(string? Period, double? Value, string? Note, string? Segment);

    /// <summary>A corrected value; the reason is required and kept with the value it replaces.</summary>
    public sealed record CorrectionRequest(double? Value, string? Note, string? Reason);

    public static IEndpointRouteBuilder MapMeasureObservationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/scorecards/{key}/measures/{measure}/observations").WithTags("Observations").AccessByMethod(AccessRole.Viewer, AccessRole.DataUpdater);
        group.MapGet("/", ListAsync).WithName("ListObservations")
            .WithSummary("A measure's values, newest period first, a page at a time; from/to limit the periods (inclusive), history=true includes superseded values.")
            .Produces<Paged<ObservationRow>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{period}", GetAsync).WithName("GetObservation")
            .WithSummary("The current value for a period (segment= for a segment's series); the ETag names this value for a correction.")
            .Produces<ObservationRow>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", AddAsync).WithName("AddObservation")
            .WithSummary("Adds the value for a period that has none (409 when it has one: correct it instead).")
            .Produces<ObservationRow>(StatusCodes.Status201Created).WriteProblems();
        group.MapPut("/{period}", CorrectAsync).WithName("CorrectObservation")
            .WithSummary("Corrects the value for a period: a reason is required, the old value stays in the history (If-Match: the ETag of the value replaced).")
            .Produces<ObservationRow>().WriteProblems();
        return app;
    }

    private static async Task<IResult> ListAsync(string key, string measure, string? from, string? to, bool? history, int? page, int? pageSize, MeasureObservations observations)
    {
        var (p, size, problem) = Paging(page, pageSize);
        var errors = new Dictionary<string, string[]>();
        Period? first = ParsePeriod(from, "from", errors);
        Period? last = ParsePeriod(to, "to", errors);
        if (problem is not null)
        {
            return problem;
        }

        if (errors.Count > 0)
        {
            return Validation(StatusCodes.Status400BadRequest, "The period filter is not valid", errors);
        }

        var list = await observations.ListAsync(key, measure, first, last, history ?? false, p, size);
        return list is null ? NotFound($"There is no measure '{measure}' in scorecard '{key}'.") : Results.Ok(list);
    }

    private static async Task<IResult> GetAsync(string key, string measure, string period, string? segment, HttpContext context, MeasureObservations observations)
    {
        var errors = new Dictionary<string, string[]>();
        if (ParsePeriod(period, "period", errors) is not { } at)
        {
            return Validation(StatusCodes.Status400BadRequest, "The period is not valid", errors);
        }

        var current = await observations.CurrentAsync(key, measure, at, segment);
        if (current is null)
        {
            return NotFound($"'{measure}' of scorecard '{key}' has no value for {at}.");
        }

        SetETag(context, current.Id);
        return Results.Ok(current);
    }

    private static async Task<IResult> AddAsync(string key, string measure, NewObservationRequest request, HttpContext context, MeasureObservations observations, ScorecardSnapshots snapshots, Approvals approvals)
    {
        var errors = new Dictionary<string, string[]>();
        var at = ParsePeriod(request.Period, "period", errors);
        if (at is null && !errors.ContainsKey("period"))
        {
            // Missing, null or blank.
            errors["period"] = [$"expected the period of the value: {Period.AcceptedForms}"];
        }

        if (request.Value is null)
        {
            errors["value"] = ["expected the value, a number"];
        }

        if (errors.Count > 0)
        {
            return Validation(StatusCodes.Status400BadRequest, "The observation is not valid", errors);
        }

        if (await GateAsync(context, measure, at!.Value, request.Segment, request.Value!.Value, request.Note, null, snapshots, approvals) is { } gated)
        {
            return gated;
        }

        var write = await observations.AddAsync(key, measure, at.Value, request.Value.Value, request.Note, request.Segment, Who(context));
        // The value's own address: a segment's value is read back with its segment.
        string created = $"/api/v1/scorecards/{Uri.EscapeDataString(key)}/measures/{Uri.EscapeDataString(measure)}/observations/{at}"
            + (request.Segment is null ? "" : "?segment=" + Uri.EscapeDataString(request.Segment));
        return Written(write, context, created);
    }

    private static async Task<IResult> CorrectAsync(string key, string measure, string period, string? segment, CorrectionRequest request, HttpContext context, MeasureObservations observations, ScorecardSnapshots snapshots, Approvals approvals)
    {
        var (any, expected, problem) = IfMatch(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        var at = ParsePeriod(period, "period", errors);
        if (request.Value is null)
        {
            errors["value"] = ["expected the corrected value, a number"];
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["reason"] = ["a correction needs a reason (why the value was wrong); it is kept with the old value"];
        }

        if (errors.Count > 0)
        {
            return Validation(StatusCodes.Status400BadRequest, "The correction is not valid", errors);
        }

        if (await GateAsync(context, measure, at!.Value, segment, request.Value!.Value, request.Note, request.Reason, snapshots, approvals) is { } gated)
        {
            return gated;
        }

        var write = await observations.CorrectAsync(key, measure, at.Value, segment, request.Value.Value, request.Note, request.Reason, any ? null : expected, Who(context));
        return Written(write, context, created: null);
    }

    /// <summary>
    /// A data updater (below editor) may write only measures they own; on a scorecard that needs approval their value
    /// is stored as pending (202) instead. Null: go on and write.
    /// </summary>
    private static async Task<IResult?> GateAsync(HttpContext context, string measure, Period period, string? segment, double value, string? note, string? reason, ScorecardSnapshots snapshots, Approvals approvals)
    {
        if (context.ScorecardAccess() is not { } held)
        {
            // Access control found no such scorecard in the user's organisation (another organisation's looks the same).
            return NotFound($"There is no scorecard '{context.GetRouteValue("key")}'.");
        }

        var (card, role) = held;
        if (role >= AccessRole.Editor)
        {
            return null;
        }

        var access = context.Access()!;
        var known = (await snapshots.GetAsync(card.Key))?.Scorecard.AllMeasures().FirstOrDefault(m => m.Id == measure);
        if (known is null)
        {
            return null;
        }

        if (!access.Owns(known))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your measure",
                detail: $"You may enter data only for the measures you own; '{measure}' is owned by someone else. Ask an editor to enter it or to make you its owner.");
        }

        if (!card.RequiresApproval)
        {
            return null;
        }

        var (row, field, problem) = await approvals.SubmitAsync(card, measure, period, segment, value, note, reason, access.UserName);
        return row is null
            ? Validation(StatusCodes.Status400BadRequest, "The observation is not valid", new() { [field!] = [problem!] })
            : Results.Accepted($"/scorecards/{card.Key}/approvals", row);
    }

    private static IResult Written(ObservationWrite write, HttpContext context, string? created)
    {
        if (write.Current is { } current)
        {
            SetETag(context, current.Id);
        }

        return write.Status switch
        {
            EditStatus.Saved => created is null ? Results.Ok(write.Current) : Results.Created(created, write.Current),
            EditStatus.NotFound => NotFound(write.Message!),
            EditStatus.Invalid => ValidationOf(StatusCodes.Status400BadRequest, "The observation is not valid", write.Errors),
            EditStatus.Stale => Results.Problem(
                statusCode: StatusCodes.Status412PreconditionFailed,
                title: "The value was corrected meanwhile",
                detail: write.Message,
                extensions: new Dictionary<string, object?> { ["current"] = write.Current }),
            _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The period already has a value", detail: write.Message,
                extensions: new Dictionary<string, object?> { ["current"] = write.Current }),
        };
    }

    private static Period? ParsePeriod(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (Period.TryParse(text, out var period))
        {
            return period;
        }

        errors[field] = [$"'{text}' is not a period: expected {Period.AcceptedForms}"];
        return null;
    }
}
