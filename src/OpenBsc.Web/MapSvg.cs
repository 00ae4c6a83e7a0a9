using OpenBsc.Web.Security;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.StrategyMaps;
using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Web;

/// <summary>The strategy map of a scorecard as SVG, for the page and for download.</summary>
public static class MapSvg
{
    public static string For(ScorecardSnapshot snapshot, ScorecardEvaluation evaluation, string periodQuery)
    {
        string key = Uri.EscapeDataString(snapshot.Scorecard.Id);
        var input = StrategyMapInput.From(snapshot.Scorecard, evaluation, id => $"/scorecards/{key}/objectives/{Uri.EscapeDataString(id)}?{periodQuery}");
        // Each arrow carries what the data says of it: the correlation at the best lag, where there is enough data.
        var checks = snapshot.Analyze(evaluation.View.Period).Links
            .Where(l => l.Verdict != LinkVerdict.NotEnoughData && l.R is not null)
            .ToDictionary(l => (l.From, l.To), l => l.R);
        input = input with { Links = [.. input.Links.Select(l => l with { Strength = checks.GetValueOrDefault((l.From, l.To)) })] };
        return StrategyMapSvg.Render(StrategyMapLayout.Compute(input));
    }

    /// <summary><c>GET /scorecards/{key}/map.svg?period=…</c>: the map as a file.</summary>
    public static IEndpointRouteBuilder MapScorecardDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/scorecards/{key}/map.svg", async (string key, string? period, bool? ytd, ScorecardSnapshots snapshots, TimeProvider clock) =>
        {
            var snapshot = await snapshots.GetAsync(key);
            if (snapshot is null)
            {
                return Results.Problem(statusCode: 404, title: "Scorecard not found", detail: $"There is no scorecard '{key}'.");
            }

            Period chosen;
            if (string.IsNullOrWhiteSpace(period))
            {
                chosen = snapshot.DefaultPeriod(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
            }
            else if (!Period.TryParse(period, out chosen))
            {
                return Results.Problem(statusCode: 400, title: "Unknown period", detail: $"'{period}' is not a period. Use one of: {Period.AcceptedForms}.");
            }

            var view = new PeriodView(chosen, ytd ?? false);
            string query = $"period={chosen}{(view.YearToDate ? "&ytd=true" : "")}";
            return Results.Text(For(snapshot, snapshot.Evaluate(view), query), "image/svg+xml; charset=utf-8");
        }).WithName("StrategyMapSvg").RequireAccess(AccessScope.Scorecard);
        return app;
    }
}
