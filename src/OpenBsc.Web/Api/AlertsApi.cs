using System.Globalization;
using OpenBsc.Application.Features.Alerts;
using OpenBsc.Application.Features.Security;
using OpenBsc.Web.Security;
using static OpenBsc.Web.Api.ApiProblems;

namespace OpenBsc.Web.Api;

/// <summary>
/// Alerts under <c>/api/v1</c>: a scorecard's alert rules (viewers read, editors change), the signed-in user's
/// notifications, and the organisation's outbox of deliveries (administrators: list, retry a failed one).
/// </summary>
public static class AlertsApi
{
    /// <summary>A rule to add (docs/alerts.md): kind, threshold, afterDays (reminders), subject, recipients, channels.</summary>
    public sealed record AlertRuleRequest(string? Kind, double? Threshold, int? AfterDays, string? Subject, string? Recipients, bool? InApp, bool? Email, bool? Webhook);

    public sealed record MarkedRead(int Count);

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/v1/scorecards/{key}/alert-rules").WithTags("Alerts").AccessByMethod(AccessRole.Viewer, AccessRole.Editor);
        rules.MapGet("/", ListRulesAsync).WithName("ListAlertRules")
            .WithSummary("The scorecard's alert rules, each with how many subjects fire now.")
            .Produces<IReadOnlyList<AlertRuleRow>>().ProducesProblem(StatusCodes.Status404NotFound);
        rules.MapPost("/", AddRuleAsync).WithName("AddAlertRule")
            .WithSummary("Adds an alert rule (MeasureTurnsRed, ScoreDrops, DataOverdue, InitiativeLate, RedWithoutAction or Reminder) with its recipients and channels.")
            .Produces<AlertRuleRow>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        rules.MapDelete("/{id}", DeleteRuleAsync).WithName("DeleteAlertRule")
            .WithSummary("Deletes an alert rule and forgets what it was firing.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        var notifications = app.MapGroup("/api/v1/notifications").WithTags("Alerts").RequireAccess(AccessScope.SignedIn);
        notifications.MapGet("/", ListNotificationsAsync).WithName("ListNotifications")
            .WithSummary("Your in-app notifications, newest first (unread=true: unread ones only).")
            .Produces<IReadOnlyList<NotificationRow>>();
        notifications.MapPost("/read", MarkAllReadAsync).WithName("MarkAllNotificationsRead")
            .WithSummary("Marks every one of your notifications read.")
            .Produces<MarkedRead>();
        notifications.MapPost("/{id}/read", MarkReadAsync).WithName("MarkNotificationRead")
            .WithSummary("Marks one of your notifications read.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        var deliveries = app.MapGroup("/api/v1/deliveries").WithTags("Alerts").RequireAccess(AccessScope.Organisation, AccessRole.Administrator);
        deliveries.MapGet("/", ListDeliveriesAsync).WithName("ListDeliveries")
            .WithSummary("The organisation's outbox of e-mails and webhook calls, newest first (status=pending|sending|sent|failed), with attempts and the last error.")
            .Produces<IReadOnlyList<DeliveryRow>>().ProducesValidationProblem();
        deliveries.MapPost("/{id}/retry", RetryAsync).WithName("RetryDelivery")
            .WithSummary("Puts a failed delivery back in the queue with a fresh set of attempts.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static IResult NoScorecard(string key) => NotFound($"There is no scorecard '{key}'.");

    private static async Task<IResult> ListRulesAsync(string key, HttpContext context, AlertRules rules) =>
        context.ScorecardAccess() is { } access ? Results.Ok(await rules.ListAsync(access.Scorecard)) : NoScorecard(key);

    private static async Task<IResult> AddRuleAsync(string key, AlertRuleRequest request, HttpContext context, AlertRules rules)
    {
        if (context.ScorecardAccess() is not { } access)
        {
            return NoScorecard(key);
        }

        var (rule, errors) = await rules.AddAsync(access.Scorecard, new AlertRuleInput(request.Kind, request.Threshold, request.AfterDays, request.Subject, request.Recipients,
            request.InApp ?? false, request.Email ?? false, request.Webhook ?? false), Who(context));
        return rule is null
            ? Validation(StatusCodes.Status400BadRequest, "The alert rule is not valid", errors)
            : Results.Created($"/api/v1/scorecards/{key}/alert-rules/{rule.Id}", rule);
    }

    private static async Task<IResult> DeleteRuleAsync(string key, string id, HttpContext context, AlertRules rules)
    {
        if (context.ScorecardAccess() is not { } access)
        {
            return NoScorecard(key);
        }

        // The id is a string in the route so that a malformed one is this endpoint's 404, not a missing route.
        return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long ruleId) && await rules.DeleteAsync(access.Scorecard, ruleId)
            ? Results.NoContent()
            : NotFound($"Scorecard '{key}' has no alert rule {id}.");
    }

    private static async Task<IResult> ListNotificationsAsync(bool? unread, HttpContext context, Notifications notifications) =>
        Results.Ok(await notifications.ListAsync(context.Access()!.UserId, unread ?? false));

    private static async Task<IResult> MarkAllReadAsync(HttpContext context, Notifications notifications) =>
        Results.Ok(new MarkedRead(await notifications.MarkReadAsync(context.Access()!.UserId, null)));

    private static async Task<IResult> MarkReadAsync(string id, HttpContext context, Notifications notifications)
    {
        var user = context.Access()!.UserId;
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long notification) || !await notifications.ExistsAsync(user, notification))
        {
            return NotFound($"You have no notification {id}.");
        }

        await notifications.MarkReadAsync(user, notification);
        return Results.NoContent();
    }

    private static async Task<IResult> ListDeliveriesAsync(string? status, HttpContext context, DeliverySender deliveries)
    {
        if (status is not (null or "" or DeliveryStatusWords.Pending or DeliveryStatusWords.Sending or DeliveryStatusWords.Sent or DeliveryStatusWords.Failed))
        {
            return Validation(StatusCodes.Status400BadRequest, "The status filter is not valid", new() { ["status"] = [$"'{status}' is not a status: expected pending, sending, sent or failed."] });
        }

        return Results.Ok(await deliveries.ListAsync(context.Access()!.OrganisationId, status));
    }

    private static async Task<IResult> RetryAsync(string id, HttpContext context, DeliverySender deliveries) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long delivery) && await deliveries.RetryAsync(context.Access()!.OrganisationId, delivery)
            ? Results.NoContent()
            : NotFound($"There is no failed delivery {id} in your organisation.");

    /// <summary>The stored status words as constants a pattern can match.</summary>
    private static class DeliveryStatusWords
    {
        public const string Pending = Application.Data.DeliveryStatus.Pending;
        public const string Sending = Application.Data.DeliveryStatus.Sending;
        public const string Sent = Application.Data.DeliveryStatus.Sent;
        public const string Failed = Application.Data.DeliveryStatus.Failed;
    }
}
