using OpenBsc.Application.Features.Organisations;
using OpenBsc.Application.Features.Security;
using OpenBsc.Web.Security;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenBsc.Application.Features.Initiatives;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Scoring;
using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Web.Api;

/// <summary>Read-only scorecard endpoints under <c>/api/v1</c>: scores, analysis, initiative plan, risk register and what-if (nothing is stored).</summary>
public static class ScorecardsApi
{
    /// <summary>One change to try: a measure's value for the period, its target, or its weight.</summary>
    public sealed record WhatIfChangeRequest(string? Measure, double? Value, double? Target, double? Weight);

    public sealed record WhatIfRequest(string? Period, IReadOnlyList<WhatIfChangeRequest>? Changes);

    public sealed record WhatIfResponse(string Period, IReadOnlyList<NodeChange> Changes);

    public static IEndpointRouteBuilder MapScorecardsApi(this IEndpointRouteBuilder app)
    {
        // What-if stores nothing: a viewer may try it.
        var api = app.MapGroup("/api/v1/scorecards").WithTags("Scorecards").AccessByMethod(AccessRole.Viewer, AccessRole.Viewer);
        api.MapGet("/{key}/scores", ScoresAsync).WithName("GetScores").WithSummary("Every node's value, target, progress, score, status and trend at a period (the JSON of openbsc score).");
        api.MapGet("/{key}/analysis", AnalysisAsync).WithName("GetAnalysis").WithSummary("Forecasts, cause-effect checks, detected tensions, best and worst performers and absolute weights at a period.");
        api.MapGet("/{key}/initiative-plan", InitiativePlanAsync).WithName("GetInitiativePlan")
            .WithSummary("Every initiative's status against plan, milestones and variance at the end of a period, and the initiative cost per objective and perspective.")
            .Produces<InitiativePlan>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{key}/risk-register", RiskRegisterAsync).WithName("GetRiskRegister")
            .WithSummary("The risks by current level (inherent, target and residual levels and bands; review due at the end of a period) and the 5×5 heat map.")
            .Produces<RiskRegister>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{key}/what-if", WhatIfAsync).WithName("WhatIf").WithSummary("Try values, targets or weights in a sandbox: every node whose score or status would change. Nothing is stored.");
        return app;
    }

    private static async Task<IResult> ScoresAsync(string key, string? period, bool? ytd, ScorecardSnapshots snapshots, OrganisationClock clock)
    {
        var (snapshot, at, today, problem) = await ResolveAsync(key, period, snapshots, clock);
        return problem ?? Results.Ok(ScoreReport.From(snapshot!.Evaluate(new PeriodView(at, ytd ?? false, today))));
    }

    private static async Task<IResult> AnalysisAsync(string key, string? period, ScorecardSnapshots snapshots, OrganisationClock clock)
    {
        var (snapshot, at, today, problem) = await ResolveAsync(key, period, snapshots, clock);
        return problem ?? Results.Ok(snapshot!.Analyze(at));
    }

    private static async Task<IResult> InitiativePlanAsync(string key, string? period, ScorecardSnapshots snapshots, OrganisationClock clock)
    {
        var (snapshot, at, today, problem) = await ResolveAsync(key, period, snapshots, clock);
        return problem ?? Results.Ok(InitiativePlan.Of(snapshot!.Scorecard, at.End(snapshot.Scorecard.Calendar)));
    }

    private static async Task<IResult> RiskRegisterAsync(string key, string? period, ScorecardSnapshots snapshots, OrganisationClock clock)
    {
        var (snapshot, at, today, problem) = await ResolveAsync(key, period, snapshots, clock);
        return problem ?? Results.Ok(RiskRegister.Of(snapshot!.Scorecard, at.End(snapshot.Scorecard.Calendar)));
    }

    private static async Task<IResult> WhatIfAsync(string key, WhatIfRequest request, ScorecardSnapshots snapshots, OrganisationClock clock)
    {
        var (snapshot, at, today, problem) = await ResolveAsync(key, request.Period, snapshots, clock);
        if (problem is not null)
        {
            return problem;
        }

        var measures = snapshot!.Scorecard.AllMeasures().ToDictionary(m => m.Id);
        var errors = new Dictionary<string, string[]>();
        var changes = new List<WhatIfChange>();
        var requested = request.Changes ?? [];
        for (int i = 0; i < requested.Count; i++)
        {
            var change = requested[i];
            string path = $"changes[{i}]";
            if (change is null)
            {
                errors[path] = ["a change: {\"measure\": …, and a value, target or weight}, not null."];
                continue;
            }

            if (change.Measure is null || !measures.TryGetValue(change.Measure, out var measure))
            {
                errors[path + ".measure"] = [$"'{change.Measure}' is not a measure of scorecard '{key}'."];
                continue;
            }

            if (change.Value is null && change.Target is null && change.Weight is null)
            {
                errors[path] = ["Give a value, a target or a weight."];
            }

            if (change.Value is double value)
            {
                if (measure.IsCalculated)
                {
                    errors[path + ".value"] = [$"'{measure.Id}' is calculated by a formula; change its inputs instead."];
                }
                else if (measure.IsSegmented)
                {
                    errors[path + ".value"] = [$"'{measure.Id}' is tracked per segment; its value combines its segments' series, which a what-if cannot set yet."];
                }
                else
                {
                    changes.Add(new SetValue(measure.Id, at, value));
                }
            }

            if (change.Target is double target)
            {
                changes.Add(new SetTarget(measure.Id, target));
            }

            if (change.Weight is double weight)
            {
                if (weight < 0)
                {
                    errors[path + ".weight"] = ["Expected a weight ≥ 0."];
                }
                else
                {
                    changes.Add(new SetWeight(measure.Id, weight));
                }
            }
        }

        if (requested.Count == 0)
        {
            errors["changes"] = ["Expected at least one change."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The what-if request is not valid");
        }

        var result = WhatIf.Run(snapshot.Bundle, changes, new PeriodView(at, false, today));
        return Results.Ok(new WhatIfResponse(at.ToString(), result.Changes));
    }

    private static async Task<(ScorecardSnapshot? Snapshot, Period At, DateOnly Today, IResult? Problem)> ResolveAsync(string key, string? period, ScorecardSnapshots snapshots, OrganisationClock clock)
    {
        var snapshot = await snapshots.GetAsync(key);
        if (snapshot is null)
        {
            return (null, default, default, Results.Problem(statusCode: 404, title: "Scorecard not found", detail: $"There is no scorecard '{key}'."));
        }

        var today = await clock.TodayAsync(snapshot.OrganisationId);
        if (string.IsNullOrWhiteSpace(period))
        {
            return (snapshot, snapshot.ReportingPeriod(today), today, null);
        }

        if (!Period.TryParse(period, out var at))
        {
            var errors = new Dictionary<string, string[]> { ["period"] = [$"'{period}' is not a period: expected {Period.AcceptedForms}."] };
            return (snapshot, default, today, Results.ValidationProblem(errors, title: "The period is not valid"));
        }

        return (snapshot, at, today, null);
    }
}

/// <summary>Enums as words in the API's JSON (e.g. "Green", "Supported"); times in UTC with their offset.</summary>
internal static class ApiJson
{
    public static IServiceCollection AddApiJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new UtcDateTimeConverter());
        });

    /// <summary>
    /// Every stored time is UTC, but the databases hand it back without saying so (SQLite text, PostgreSQL
    /// <c>timestamp</c>): written as is it would lack the offset that OpenAPI's <c>date-time</c> (RFC 3339) requires.
    /// </summary>
    private sealed class UtcDateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Utc(reader.GetDateTime());

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Utc(value));

        // A time without an offset is UTC, as everything the app stores; one with an offset is moved to UTC.
        private static DateTime Utc(DateTime value) =>
            value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }
}
