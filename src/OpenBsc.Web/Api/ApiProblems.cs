using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Domain.Validation;

namespace OpenBsc.Web.Api;

/// <summary>
/// The one mapping from editing outcomes to HTTP (CONTRIBUTING.md, rule 12): versions as ETags, If-Match preconditions, paging
/// checks, and problem details that name the field (<c>errors</c> keyed by path) or say what changed.
/// </summary>
internal static partial class ApiProblems
{
    /// <summary>Seconds a client is asked to wait before trying again when the server is busy (503).</summary>
    public const int RetryAfterSeconds = 5;

    public const int MaxPageSize = 200;

    /// <summary>Who made a change: the signed-in user (access control lets no anonymous request write).</summary>
    public static string Who(HttpContext context) => Security.AccessEndpoints.Access(context)?.UserName ?? throw new InvalidOperationException("A write reached its handler without a signed-in user.");

    public static string ETag(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    public static void SetETag(HttpContext context, long version) => context.Response.Headers.ETag = ETag(version);

    /// <summary>
    /// The version the caller edited, from If-Match: 428 when it is missing (a write must say what it overwrites),
    /// 400 when it is not a version. <c>*</c> means "whatever is current" (returned as null): an explicit choice to overwrite.
    /// </summary>
    public static (bool Any, long Version, IResult? Problem) IfMatch(HttpRequest request)
    {
        string? header = request.Headers.IfMatch;
        if (string.IsNullOrWhiteSpace(header))
        {
            return (false, 0, Results.Problem(
                statusCode: StatusCodes.Status428PreconditionRequired,
                title: "If-Match is required",
                detail: "Send the ETag you got with GET in an If-Match header, so that a change made meanwhile is never overwritten silently (If-Match: * overwrites whatever is current)."));
        }

        string value = header.Trim();
        if (value == "*")
        {
            return (true, 0, null);
        }

        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        value = value.Trim('"');
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long version)
            ? (false, version, null)
            : (false, 0, Validation(StatusCodes.Status400BadRequest, "The If-Match header is not valid", new() { ["If-Match"] = [$"'{header}' is not an ETag of this API: expected the quoted version number from GET, e.g. \"3\"."] }));
    }

    /// <summary>Checks <c>page</c> and <c>pageSize</c> (defaults 1 and 50).</summary>
    public static (int Page, int PageSize, IResult? Problem) Paging(int? page, int? pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1)
        {
            errors["page"] = [$"expected a page number ≥ 1, found {page}"];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"expected a page size from 1 to {MaxPageSize}, found {pageSize}"];
        }

        return errors.Count > 0
            ? (0, 0, Validation(StatusCodes.Status400BadRequest, "The paging parameters are not valid", errors))
            : (page ?? 1, pageSize ?? 50, null);
    }

    /// <summary>The request body as JSON, or a 400 naming what is wrong with it.</summary>
    public static async Task<(JsonNode? Body, IResult? Problem)> BodyAsync(HttpRequest request)
    {
        try
        {
            // Duplicate names are refused here (a 400 naming them) rather than when a field is first read (a 500).
            var node = await JsonNode.ParseAsync(request.Body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }, cancellationToken: request.HttpContext.RequestAborted);
            return node is null
                ? (null, Validation(StatusCodes.Status400BadRequest, "The request body is empty", new() { ["body"] = ["expected a JSON object"] }))
                : (node, null);
        }
        catch (JsonException e)
        {
            return (null, Validation(StatusCodes.Status400BadRequest, "The request body is not JSON", new() { ["body"] = [$"not valid JSON: {e.Message}"] }));
        }
    }

    public static IResult NotFound(string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    /// <summary>Errors keyed by field path; an error about the whole body is keyed <c>body</c>.</summary>
    public static IResult ValidationOf(int status, string title, IEnumerable<DefinitionError> errors) =>
        Validation(status, title, errors.GroupBy(e => e.Path.Length == 0 ? "body" : e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

    /// <summary>
    /// JSON lists may hold null where the API takes names or changes, which the binder lets through: a 400 naming the
    /// list, not a crash further in.
    /// </summary>
    public static IResult? NullItems(string title, params (string Field, System.Collections.IEnumerable? List)[] lists)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, list) in lists)
        {
            if (list?.Cast<object?>().Any(item => item is null) == true)
            {
                errors[field] = ["a list without null items"];
            }
        }

        return errors.Count == 0 ? null : Validation(StatusCodes.Status400BadRequest, title, errors);
    }

    public static IResult Validation(int status, string title, Dictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, statusCode: status, title: title);

    /// <summary>A body read as a scorecard-file fragment that did not read: 400 with the fields named.</summary>
    public static IResult BadFragment(string what, IReadOnlyList<DefinitionError> errors) =>
        ValidationOf(StatusCodes.Status400BadRequest, $"The {what} is not valid", errors);

    /// <summary>
    /// The HTTP form of an edit that was not saved: 404, 422 (errors by path), 412 (what changed since the caller's
    /// version, and who saved since), 409 (confirmation needed, or a clash).
    /// </summary>
    public static IResult Refused(EditResult result, HttpContext context)
    {
        if (result.Version > 0)
        {
            SetETag(context, result.Version);
        }

        return result.Status switch
        {
            EditStatus.NotFound => NotFound(result.Message!),
            EditStatus.Invalid => ValidationOf(StatusCodes.Status422UnprocessableEntity, result.Message ?? "The change is not valid", result.Errors),
            EditStatus.Stale => Results.Problem(
                statusCode: StatusCodes.Status412PreconditionFailed,
                title: "The scorecard was changed meanwhile",
                detail: result.Message,
                extensions: new Dictionary<string, object?>
                {
                    ["currentVersion"] = result.Version,
                    ["changes"] = result.Changes.Select(c => new { item = c.Item, id = c.Id, change = c.Change.ToString().ToLowerInvariant() }).ToList(),
                    ["since"] = result.Since.Select(v => new { version = v.Version, savedAt = v.SavedAt, savedBy = v.SavedBy, change = v.Change }).ToList(),
                }),
            EditStatus.NeedsConfirmation => Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Confirmation needed: measures with data would be archived",
                detail: result.Message + " Repeat the request with ?confirm=true.",
                extensions: new Dictionary<string, object?> { ["measuresWithData"] = result.MeasuresWithData }),
            _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Message),
        };
    }

    /// <summary>
    /// Whether <paramref name="exception"/> says the database could not be had in time — another writer held it past
    /// the wait (SQLite busy or locked, PostgreSQL's lock timeout or a deadlock), or no connection came free: the
    /// request may succeed if tried again, so it is a 503, never a 500.
    /// </summary>
    public static bool IsDatabaseBusy(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 }:
                case Npgsql.PostgresException { SqlState: "55P03" or "40P01" or "53300" }:
                case Npgsql.NpgsqlException { InnerException: TimeoutException }:
                    return true;
            }
        }

        return false;
    }

    /// <summary>The status an exception at the edge of a request stands for: the client's 4xx, a busy database's 503, else 500.</summary>
    public static int StatusOf(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        Application.Data.NulCharacterException => StatusCodes.Status400BadRequest,
        _ when IsDatabaseBusy(exception) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// The problem details for an exception that reached the edge of an API request: a request the framework could not
    /// bind (400 naming the parameter or the body's field; 413, 415), a busy database (503, Retry-After), anything else
    /// 500 — never a stack trace.
    /// </summary>
    public static IResult FromException(Exception exception, HttpContext context)
    {
        int status = StatusOf(exception);
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            return Busy(context, "The database is busy", "Another change held the database longer than this request could wait. Nothing was changed: try again in a few seconds.");
        }

        if (exception is Application.Data.NulCharacterException nul)
        {
            return Validation(status, "The text is not valid", new() { [nul.Field] = ["text without NUL characters (U+0000)"] });
        }

        if (exception is BadHttpRequestException bad && status == StatusCodes.Status400BadRequest)
        {
            if (bad.InnerException is JsonException json)
            {
                string field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
                return Validation(status, "The request body does not fit", new() { [field] = [JsonProblem(json)] });
            }

            if (BindFailure().Match(bad.Message) is { Success: true } m)
            {
                return Validation(status, "A parameter is not valid", new() { [m.Groups["name"].Value] = [$"'{m.Groups["value"].Value}' is not {Expected(m.Groups["type"].Value)}"] });
            }

            return Results.Problem(statusCode: status, title: "The request could not be read", detail: bad.Message);
        }

        return status == StatusCodes.Status500InternalServerError
            ? Results.Problem(statusCode: status, title: "Something went wrong", detail: "The request failed on the server. Nothing was changed; if it happens again, tell your administrator the time it happened.")
            : ForStatus(status);
    }

    /// <summary>A problem for a status the framework set without a body (no such address, method or media type).</summary>
    public static IResult ForStatus(int status) => Results.Problem(statusCode: status, title: status switch
    {
        StatusCodes.Status400BadRequest => "The request could not be read",
        StatusCodes.Status401Unauthorized => "Sign in first",
        StatusCodes.Status403Forbidden => "Not allowed",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status405MethodNotAllowed => "This method is not allowed here",
        StatusCodes.Status406NotAcceptable => "No acceptable response type",
        StatusCodes.Status413PayloadTooLarge => "The request is too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        StatusCodes.Status429TooManyRequests => "Too many requests",
        StatusCodes.Status503ServiceUnavailable => "The server is busy",
        _ => "The request failed",
    }, detail: status switch
    {
        StatusCodes.Status404NotFound => "There is nothing at this address: see /openapi/v1.json for the API's addresses.",
        StatusCodes.Status405MethodNotAllowed => "This address does not take this HTTP method: see /openapi/v1.json.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json (observation files: text/csv, the XLSX media type or multipart/form-data).",
        _ => null,
    });

    /// <summary>503 with Retry-After: busy now, try again shortly; nothing was changed.</summary>
    public static IResult Busy(HttpContext context, string title, string detail)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = RetryAfterSeconds });
    }

    private static string JsonProblem(JsonException json)
    {
        // System.Text.Json's messages name .NET types; say what the field takes instead.
        string message = json.Message;
        return message.Contains("System.Double", StringComparison.Ordinal) || message.Contains("System.Int", StringComparison.Ordinal) ? "expected a number"
            : message.Contains("System.String", StringComparison.Ordinal) ? "expected text (a JSON string)"
            : message.Contains("System.Boolean", StringComparison.Ordinal) ? "expected true or false"
            : "expected a value of another kind: see the operation's schema in /openapi/v1.json";
    }

    private static string Expected(string type) => type.TrimEnd('?') switch
    {
        "int" or "long" => "a whole number",
        "double" or "decimal" => "a number",
        "bool" => "true or false",
        "DateOnly" => "a date (YYYY-MM-DD)",
        "Guid" => "an id",
        _ => $"a {type.TrimEnd('?')}",
    };

    // The framework's words for a query, route or header value that did not bind (RouteHandlerOptions.ThrowOnBadRequest).
    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^\"]*?) (?<name>[A-Za-z0-9_]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    /// <summary>The problem responses every write endpoint can give, for the OpenAPI document.</summary>
    public static RouteHandlerBuilder WriteProblems(this RouteHandlerBuilder builder) => builder
        .ProducesValidationProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired)
        .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
}
