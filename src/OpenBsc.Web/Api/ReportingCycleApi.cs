using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Organisations;
using OpenBsc.Application.Features.ReportingCycle;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Periods;
using OpenBsc.Web.Security;
using static OpenBsc.Web.Api.ApiProblems;

namespace OpenBsc.Web.Api;

/// <summary>
/// The reporting cycle over HTTP (docs/reporting-cycle.md): commentary with ETag/If-Match, discussions, actions, period
/// close and reopen, completeness, and briefing books. An item is named by its id; the scorecard itself by its key.
/// </summary>
public static class ReportingCycleApi
{
    public sealed record CommentaryRequest(string? Analysis, string? Recommendations);

    public sealed record CommentRequest(string? Text, long? Parent);

    public sealed record ActionRequest(string? Item, string? Title, string? Owner, DateOnly? Due, string? Status);

    public sealed record CloseRequest(string? Period, string? Reason);

    public sealed record BookRequest(string? Name, IReadOnlyList<string>? Scorecards, IReadOnlyList<string>? Sections, IReadOnlyList<string>? Recipients, string? Schedule, string? Cron);

    public static IEndpointRouteBuilder MapReportingCycleApi(this IEndpointRouteBuilder app)
    {
        var card = app.MapGroup("/api/v1/scorecards/{key}").WithTags("Reporting cycle").AccessByMethod(AccessRole.Viewer, AccessRole.DataUpdater);
        card.MapGet("/commentary", ListCommentaryAsync).WithName("ListCommentary")
            .WithSummary("The analysis and recommendations of every item for a period (default: the reporting period).")
            .Produces<IReadOnlyList<CommentaryEntry>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        card.MapGet("/commentary/{item}", GetCommentaryAsync).WithName("GetCommentary")
            .WithSummary("One item's commentary for a period (the scorecard's own: item = the scorecard's key); the ETag names this version.")
            .Produces<CommentaryEntry>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        card.MapGet("/commentary/{item}/history", CommentaryHistoryAsync).WithName("CommentaryHistory")
            .WithSummary("Every version of one item's commentary for a period, newest first.")
            .Produces<IReadOnlyList<CommentaryEntry>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        card.MapPut("/commentary/{item}", SaveCommentaryAsync).WithName("SaveCommentary")
            .WithSummary("Writes one item's analysis and recommendations for a period (owners of the item and editors; If-Match: the ETag read, or \"0\" when there is none yet).")
            .Produces<CommentaryEntry>().WriteProblems().ProducesProblem(StatusCodes.Status403Forbidden);
        card.MapGet("/discussion/{item}", ListCommentsAsync).WithName("ListComments")
            .WithSummary("The discussion of one item and period, oldest first.")
            .Produces<IReadOnlyList<CommentEntry>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        card.MapPost("/discussion/{item}", PostCommentAsync).WithName("PostComment")
            .WithSummary("Posts a message or a reply (parent); @name mentions notify people of the organisation. Viewers may post.")
            .Produces<CommentEntry>(StatusCodes.Status201Created).WriteProblems()
            .RequireAccess(AccessScope.Scorecard, AccessRole.Viewer);
        card.MapGet("/actions", ListActionsAsync).WithName("ListActions")
            .WithSummary("The scorecard's actions (open=true: open ones only), open first, then by due date.")
            .Produces<IReadOnlyList<ActionEntry>>().ProducesProblem(StatusCodes.Status404NotFound);
        card.MapGet("/actions/{id:long}", GetActionAsync).WithName("GetAction")
            .WithSummary("One action; the ETag is its version.")
            .Produces<ActionEntry>().ProducesProblem(StatusCodes.Status404NotFound);
        card.MapPost("/actions", OpenActionAsync).WithName("OpenAction")
            .WithSummary("Opens an action on an objective or measure (its owner or an editor).")
            .Produces<ActionEntry>(StatusCodes.Status201Created).WriteProblems().ProducesProblem(StatusCodes.Status403Forbidden);
        card.MapPut("/actions/{id:long}", UpdateActionAsync).WithName("UpdateAction")
            .WithSummary("Changes an action: title, owner, due date, status open or done (If-Match required).")
            .Produces<ActionEntry>().WriteProblems().ProducesProblem(StatusCodes.Status403Forbidden);
        card.MapGet("/completeness", CompletenessAsync).WithName("Completeness")
            .WithSummary("What is still missing before a period is closed: values, and analysis of items that are not green.")
            .Produces<Completeness>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        card.MapGet("/closes", ListClosesAsync).WithName("ListCloses")
            .WithSummary("The periods closed for the scorecard, the latest first (reopened ones with who, when and why).")
            .Produces<IReadOnlyList<PeriodCloseEntry>>().ProducesProblem(StatusCodes.Status404NotFound);
        card.MapPost("/closes", CloseAsync).WithName("ClosePeriod")
            .WithSummary("Closes a period that has ended: values of it and earlier periods are locked (editors).")
            .Produces<PeriodCloseWrite>(StatusCodes.Status201Created).WriteProblems()
            .RequireAccess(AccessScope.Scorecard, AccessRole.Editor);
        card.MapPost("/closes/reopen", ReopenAsync).WithName("ReopenPeriod")
            .WithSummary("Reopens a closed period for corrections, with a reason kept in the audit log (administrators).")
            .Produces<PeriodCloseWrite>().WriteProblems()
            .RequireAccess(AccessScope.Scorecard, AccessRole.Administrator);

        var books = app.MapGroup("/api/v1/books").WithTags("Briefing books").AccessByMethod(AccessRole.Viewer, AccessRole.Editor);
        books.MapGet("/", ListBooksAsync).WithName("ListBooks").WithSummary("The organisation's briefing books.")
            .Produces<IReadOnlyList<BookEntry>>();
        books.MapGet("/{id:long}", GetBookAsync).WithName("GetBook").WithSummary("One briefing book; the ETag is its version.")
            .Produces<BookEntry>().ProducesProblem(StatusCodes.Status404NotFound);
        books.MapPost("/", CreateBookAsync).WithName("CreateBook").WithSummary("Creates a briefing book (editors).")
            .Produces<BookEntry>(StatusCodes.Status201Created).WriteProblems();
        books.MapPut("/{id:long}", UpdateBookAsync).WithName("UpdateBook").WithSummary("Changes a briefing book (If-Match required).")
            .Produces<BookEntry>().WriteProblems();
        books.MapDelete("/{id:long}", DeleteBookAsync).WithName("DeleteBook").WithSummary("Deletes a briefing book.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        books.MapGet("/{id:long}/render", RenderBookAsync).WithName("RenderBook")
            .WithSummary("The book as a PDF (format=pdf, default) or printable HTML (format=html) for a period (default: each scorecard's reporting period).")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        books.MapPost("/{id:long}/send", SendBookAsync).WithName("SendBook")
            .WithSummary("Queues the book's e-mail to its recipients now, for a period (default: the first scorecard's reporting period).")
            .Produces<int>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>The scorecard and the period asked for (its reporting period when none), or the problem to answer.</summary>
    private static async Task<(ScorecardSnapshot? Snapshot, Period Period, DateOnly Today, IResult? Problem)> ResolveAsync(string key, string? period, ScorecardSnapshots snapshots, OrganisationClock clock)
    {
        var snapshot = await snapshots.GetAsync(key);
        if (snapshot is null)
        {
            return (null, default, default, NotFound($"There is no scorecard '{key}'."));
        }

        var today = await clock.TodayAsync(snapshot.OrganisationId);
        if (string.IsNullOrWhiteSpace(period))
        {
            return (snapshot, snapshot.ReportingPeriod(today), today, null);
        }

        return Period.TryParse(period, out var at)
            ? (snapshot, at, today, null)
            : (null, default, today, Validation(StatusCodes.Status400BadRequest, "The period is not valid", new() { ["period"] = [$"'{period}' is not a period: expected {Period.AcceptedForms}."] }));
    }

    /// <summary>The item id as stored: the scorecard's own key names the scorecard (stored as "").</summary>
    private static string ItemOf(ScorecardSnapshot snapshot, string item) => item == snapshot.Scorecard.Id ? "" : item;

    /// <summary>Editors write any item's commentary and actions; an updater only those of items they own.</summary>
    private static bool MayWrite(HttpContext context, ScorecardSnapshot snapshot, string item) =>
        context.ScorecardAccess() is { } access && (access.Role >= AccessRole.Editor
            || (access.Role >= AccessRole.DataUpdater && context.Access() is { } user && user.OwnsItem(ReportingItems.Owner(snapshot, item))));

    // An item-level refusal (the role allows the endpoint; this item is someone else's), told apart from a role refusal.
    private static IResult Forbidden(string detail) => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your item", detail: detail);

    private static IResult Refused(EditStatus status, string? message, string? field, string title) => status switch
    {
        EditStatus.NotFound => NotFound(message ?? "Not found."),
        EditStatus.Stale => Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed meanwhile", detail: message),
        EditStatus.Conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: message),
        _ => Validation(StatusCodes.Status422UnprocessableEntity, title, new() { [field ?? "body"] = [message ?? "not valid"] }),
    };

    private static string By(HttpContext context) => context.Access()?.UserName ?? "api";

    private static async Task<IResult> ListCommentaryAsync(string key, string? period, ScorecardSnapshots snapshots, OrganisationClock clock, Commentary commentary)
    {
        var (snapshot, at, _, problem) = await ResolveAsync(key, period, snapshots, clock);
        if (problem is not null)
        {
            return problem;
        }

        var entries = await commentary.ForPeriodAsync(snapshot!.Id, at);
        return Results.Ok(entries.Values.OrderBy(e => e.Item, StringComparer.Ordinal).Select(e => e.Item.Length == 0 ? e with { Item = snapshot.Scorecard.Id } : e).ToList());
    }

    private static async Task<IResult> GetCommentaryAsync(string key, string item, string? period, HttpContext context, ScorecardSnapshots snapshots, OrganisationClock clock, Commentary commentary)
    {
        var (snapshot, at, _, problem) = await ResolveAsync(key, period, snapshots, clock);
        if (problem is not null)
        {
            return problem;
        }

        string own = ItemOf(snapshot!, item);
        if (ReportingItems.Find(snapshot!, own) is null)
        {
            return NotFound($"There is no item '{item}' in scorecard '{key}'.");
        }

        var entry = await commentary.GetAsync(snapshot!.Id, own, at);
        if (entry is null)
        {
            // An item without commentary yet: an empty text whose version, 0, is what a first writer sends in If-Match.
            SetETag(context, 0);
            return Results.Ok(new CommentaryEntry(item, at.ToString(), "", "", null, default, 0));
        }

        SetETag(context, entry.Version);
        return Results.Ok(entry with { Item = item });
    }

    private static async Task<IResult> CommentaryHistoryAsync(string key, string item, string? period, ScorecardSnapshots snapshots, OrganisationClock clock, Commentary commentary)
    {
        var (snapshot, at, _, problem) = await ResolveAsync(key, period, snapshots, clock);
        if (problem is not null)
        {
            return problem;
        }

        string own = ItemOf(snapshot!, item);
        return ReportingItems.Find(snapshot!, own) is null
            ? NotFound($"There is no item '{item}' in scorecard '{key}'.")
            : Results.Ok((await commentary.HistoryAsync(snapshot!.Id, own, at)).Select(e => e with { Item = item }).ToList());
    }

    private static async Task<IResult> SaveCommentaryAsync(string key, string item, string? period, CommentaryRequest request, HttpContext context, ScorecardSnapshots snapshots, OrganisationClock clock, Commentary commentary)
    {
        var (snapshot, at, _, problem) = await ResolveAsync(key, period, snapshots, clock);
        if (problem is not null)
        {
            return problem;
        }

        string own = ItemOf(snapshot!, item);
        if (ReportingItems.Find(snapshot!, own) is null)
        {
            return NotFound($"There is no item '{item}' in scorecard '{key}'.");
        }

        if (!MayWrite(context, snapshot!, own))
        {
            return Forbidden($"Only the owner of '{item}' or an editor may write its commentary.");
        }

        var (any, version, precondition) = IfMatch(context.Request);
        if (precondition is not null)
        {
            return precondition;
        }

        long? expected = any ? (await commentary.GetAsync(snapshot!.Id, own, at))?.Version ?? 0 : version;
        var result = await commentary.SaveAsync(snapshot!, own, at, request.Analysis ?? "", request.Recommendations ?? "", expected, By(context));
        if (result.Status != EditStatus.Saved)
        {
            return Refused(result.Status, result.Message, result.Field, "The commentary is not valid");
        }

        SetETag(context, result.Current!.Version);
        return Results.Ok(result.Current with { Item = item });
    }

    private static async Task<IResult> ListCommentsAsync(string key, string item, string? period, ScorecardSnapshots snapshots, OrganisationClock clock, Discussion discussion)
    {
        var (snapshot, at, _, problem) = await ResolveAsync(key, period, snapshots, clock);
        if (problem is not null)
        {
            return problem;
        }

        string own = ItemOf(snapshot!, item);
        return ReportingItems.Find(snapshot!, own) is null
            ? NotFound($"There is no item '{item}' in scorecard '{key}'.")
            : Results.Ok(await discussion.ListAsync(snapshot!.Id, own, at));
    }

    private static async Task<IResult> PostCommentAsync(string key, string item, string? period, CommentRequest request, HttpContext context, ScorecardSnapshots snapshots, OrganisationClock clock, Discussion discussion)
    {
        var (snapshot, at, _, problem) = await ResolveAsync(key, period, snapshots, clock);
        if (problem is not null)
        {
            return problem;
        }

        var result = await discussion.PostAsync(snapshot!, ItemOf(snapshot!, item), at, request.Parent, request.Text ?? "", By(context));
        return result.Status == EditStatus.Saved
            ? Results.Created($"/api/v1/scorecards/{Uri.EscapeDataString(key)}/discussion/{Uri.EscapeDataString(item)}?period={at}", result.Comment)
            : Refused(result.Status, result.Message, result.Field, "The message is not valid");
    }

    private static async Task<IResult> ListActionsAsync(string key, bool? open, ScorecardSnapshots snapshots, ItemActions actions)
    {
        var snapshot = await snapshots.GetAsync(key);
        return snapshot is null ? NotFound($"There is no scorecard '{key}'.") : Results.Ok(await actions.ListAsync(snapshot.Id, openOnly: open ?? false));
    }

    private static async Task<IResult> GetActionAsync(string key, long id, HttpContext context, ScorecardSnapshots snapshots, ItemActions actions)
    {
        var snapshot = await snapshots.GetAsync(key);
        if (snapshot is null || await actions.GetAsync(snapshot.Id, id) is not { } action)
        {
            return NotFound($"There is no action {id} on scorecard '{key}'.");
        }

        SetETag(context, action.Version);
        return Results.Ok(action);
    }

    private static async Task<IResult> OpenActionAsync(string key, ActionRequest request, HttpContext context, ScorecardSnapshots snapshots, ItemActions actions)
    {
        var snapshot = await snapshots.GetAsync(key);
        if (snapshot is null)
        {
            return NotFound($"There is no scorecard '{key}'.");
        }

        string item = request.Item ?? "";
        if (!MayWrite(context, snapshot, item))
        {
            return Forbidden($"Only the owner of '{item}' or an editor may open actions on it.");
        }

        var result = await actions.OpenAsync(snapshot, item, request.Title ?? "", request.Owner, request.Due, By(context));
        if (result.Status != EditStatus.Saved)
        {
            return Refused(result.Status, result.Message, result.Field, "The action is not valid");
        }

        SetETag(context, result.Action!.Version);
        return Results.Created($"/api/v1/scorecards/{Uri.EscapeDataString(key)}/actions/{result.Action.Id}", result.Action);
    }

    private static async Task<IResult> UpdateActionAsync(string key, long id, ActionRequest request, HttpContext context, ScorecardSnapshots snapshots, ItemActions actions)
    {
        var snapshot = await snapshots.GetAsync(key);
        if (snapshot is null || await actions.GetAsync(snapshot.Id, id) is not { } current)
        {
            return NotFound($"There is no action {id} on scorecard '{key}'.");
        }

        if (!MayWrite(context, snapshot, current.Item))
        {
            return Forbidden($"Only the owner of '{current.Item}' or an editor may change its actions.");
        }

        var (any, version, precondition) = IfMatch(context.Request);
        if (precondition is not null)
        {
            return precondition;
        }

        var result = await actions.UpdateAsync(snapshot, id, any ? current.Version : version, request.Title ?? current.Title, request.Owner ?? current.Owner,
            request.Due ?? current.Due, request.Status ?? current.Status, By(context));
        if (result.Status != EditStatus.Saved)
        {
            return Refused(result.Status, result.Message, result.Field, "The action is not valid");
        }

        SetETag(context, result.Action!.Version);
        return Results.Ok(result.Action);
    }

    private static async Task<IResult> CompletenessAsync(string key, string? period, ScorecardSnapshots snapshots, OrganisationClock clock, Commentary commentary)
    {
        var (snapshot, at, today, problem) = await ResolveAsync(key, period, snapshots, clock);
        if (problem is not null)
        {
            return problem;
        }

        var evaluation = snapshot!.Evaluate(new Domain.Scoring.PeriodView(at, false, today));
        return Results.Ok(PeriodCloses.Check(snapshot, evaluation, await commentary.ForPeriodAsync(snapshot.Id, at)));
    }

    private static async Task<IResult> ListClosesAsync(string key, ScorecardSnapshots snapshots, PeriodCloses closes)
    {
        var snapshot = await snapshots.GetAsync(key);
        return snapshot is null ? NotFound($"There is no scorecard '{key}'.") : Results.Ok(await closes.ListAsync(snapshot.Id));
    }

    private static async Task<IResult> CloseAsync(string key, CloseRequest request, HttpContext context, ScorecardSnapshots snapshots, OrganisationClock clock, PeriodCloses closes)
    {
        var (snapshot, at, today, problem) = await ResolveAsync(key, request.Period, snapshots, clock);
        if (problem is not null)
        {
            return problem;
        }

        var result = await closes.CloseAsync(snapshot!, at, today, By(context));
        return result.Status == EditStatus.Saved
            ? Results.Created($"/api/v1/scorecards/{Uri.EscapeDataString(key)}/closes", result)
            : Refused(result.Status, result.Message, result.Field, "The period cannot be closed");
    }

    private static async Task<IResult> ReopenAsync(string key, CloseRequest request, HttpContext context, ScorecardSnapshots snapshots, OrganisationClock clock, PeriodCloses closes)
    {
        if (string.IsNullOrWhiteSpace(request.Period))
        {
            return Validation(StatusCodes.Status400BadRequest, "The period is required", new() { ["period"] = ["name the closed period to reopen, e.g. \"2026-11\""] });
        }

        var (snapshot, at, _, problem) = await ResolveAsync(key, request.Period, snapshots, clock);
        if (problem is not null)
        {
            return problem;
        }

        var result = await closes.ReopenAsync(snapshot!, at, request.Reason ?? "", By(context));
        return result.Status == EditStatus.Saved ? Results.Ok(result) : Refused(result.Status, result.Message, result.Field, "The period cannot be reopened");
    }

    private static Guid Organisation(HttpContext context) => context.Access()?.OrganisationId ?? Guid.Empty;

    private static BookDefinition Definition(BookRequest request) =>
        new(request.Name ?? "", request.Scorecards ?? [], request.Sections ?? BookDefinition.AllSections, request.Recipients ?? [], request.Schedule ?? "none", request.Cron);

    private static async Task<IResult> ListBooksAsync(HttpContext context, BriefingBooks books) => Results.Ok(await books.ListAsync(Organisation(context)));

    private static async Task<IResult> GetBookAsync(long id, HttpContext context, BriefingBooks books)
    {
        var book = await books.GetAsync(Organisation(context), id);
        if (book is null)
        {
            return NotFound($"There is no briefing book {id}.");
        }

        SetETag(context, book.Version);
        return Results.Ok(book);
    }

    private static IResult BookRefused(BookWrite result) => result.Status switch
    {
        EditStatus.Invalid => Validation(StatusCodes.Status422UnprocessableEntity, "The briefing book is not valid", result.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray())),
        EditStatus.Conflict => Validation(StatusCodes.Status409Conflict, "The name is taken", result.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray())),
        _ => Refused(result.Status, result.Message, null, "The briefing book is not valid"),
    };

    private static IResult? NullItems(BookRequest request) =>
        ApiProblems.NullItems("The briefing book is not valid", ("scorecards", request.Scorecards), ("sections", request.Sections), ("recipients", request.Recipients));

    private static async Task<IResult> CreateBookAsync(BookRequest request, HttpContext context, BriefingBooks books)
    {
        if (NullItems(request) is { } nulls)
        {
            return nulls;
        }

        var result = await books.SaveAsync(Organisation(context), null, null, Definition(request), By(context));
        if (result.Status != EditStatus.Saved)
        {
            return BookRefused(result);
        }

        SetETag(context, result.Book!.Version);
        return Results.Created($"/api/v1/books/{result.Book.Id}", result.Book);
    }

    private static async Task<IResult> UpdateBookAsync(long id, BookRequest request, HttpContext context, BriefingBooks books)
    {
        if (NullItems(request) is { } nulls)
        {
            return nulls;
        }

        var (any, version, precondition) = IfMatch(context.Request);
        if (precondition is not null)
        {
            return precondition;
        }

        var current = await books.GetAsync(Organisation(context), id);
        if (current is null)
        {
            return NotFound($"There is no briefing book {id}.");
        }

        var result = await books.SaveAsync(Organisation(context), id, any ? current.Version : version, Definition(request), By(context));
        if (result.Status != EditStatus.Saved)
        {
            return BookRefused(result);
        }

        SetETag(context, result.Book!.Version);
        return Results.Ok(result.Book);
    }

    private static async Task<IResult> DeleteBookAsync(long id, HttpContext context, BriefingBooks books) =>
        await books.DeleteAsync(Organisation(context), id) ? Results.NoContent() : NotFound($"There is no briefing book {id}.");

    private static async Task<IResult> RenderBookAsync(long id, string? period, string? format, HttpContext context, BriefingBooks books)
    {
        var errors = new Dictionary<string, string[]>();
        Period? at = null;
        if (!string.IsNullOrWhiteSpace(period))
        {
            if (Period.TryParse(period, out var p))
            {
                at = p;
            }
            else
            {
                errors["period"] = [$"'{period}' is not a period: expected {Period.AcceptedForms}."];
            }
        }

        string kind = string.IsNullOrWhiteSpace(format) ? "pdf" : format.Trim().ToLowerInvariant();
        if (kind is not ("pdf" or "html"))
        {
            errors["format"] = [$"'{format}' is not a book format: expected pdf or html."];
        }

        if (errors.Count > 0)
        {
            return Validation(StatusCodes.Status400BadRequest, "The request is not valid", errors);
        }

        var book = await books.GetAsync(Organisation(context), id);
        if (book is null || await books.RenderAsync(Organisation(context), book, at, kind) is not { } rendered)
        {
            return NotFound($"There is no briefing book {id}, or one of its scorecards is gone.");
        }

        return kind == "html"
            ? Results.Content(System.Text.Encoding.UTF8.GetString(rendered.Content), "text/html; charset=utf-8")
            : Results.File(rendered.Content, "application/pdf", $"book-{id}.pdf");
    }

    private static async Task<IResult> SendBookAsync(long id, string? period, HttpContext context, BriefingBooks books, ScorecardSnapshots snapshots, OrganisationClock clock)
    {
        var book = await books.GetAsync(Organisation(context), id);
        if (book is null)
        {
            return NotFound($"There is no briefing book {id}.");
        }

        Period at;
        if (!string.IsNullOrWhiteSpace(period))
        {
            if (!Period.TryParse(period, out at))
            {
                return Validation(StatusCodes.Status400BadRequest, "The period is not valid", new() { ["period"] = [$"'{period}' is not a period: expected {Period.AcceptedForms}."] });
            }
        }
        else if (await snapshots.GetAsync(Organisation(context), book.Definition.Scorecards[0]) is { } first)
        {
            at = first.ReportingPeriod(await clock.TodayAsync(first.OrganisationId));
        }
        else
        {
            return NotFound($"The book's scorecard '{book.Definition.Scorecards[0]}' is gone.");
        }

        return Results.Accepted(value: await books.QueueNowAsync(Organisation(context), id, at));
    }
}
