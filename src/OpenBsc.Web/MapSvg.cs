using OpenBsc.Application.Features.ReportingCycle;
using OpenBsc.Application.Features.Organisations;
using OpenBsc.Application.Features.Reports;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.StrategyMaps;
using OpenBsc.Domain.Analytics;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;
using OpenBsc.Web.Security;

namespace OpenBsc.Web;

/// <summary>Downloads of a scorecard: the strategy map as SVG, and the report of a period (PDF, XLSX, printable HTML).</summary>
public static class MapSvg
{
    /// <summary>The width-to-height ratio the page's map is drawn with: the map area of a 1366 × 900 window.</summary>
    public const double ScreenAspect = 1.65;

    /// <summary>The map as SVG; <paramref name="notes"/> (the period's commentary by item) puts each objective's analysis in its tooltip.</summary>
    public static string For(ScorecardSnapshot snapshot, ScorecardEvaluation evaluation, string periodQuery, IReadOnlyDictionary<string, CommentaryEntry>? notes = null)
    {
        string key = Uri.EscapeDataString(snapshot.Scorecard.Id);
        var input = StrategyMapInput.From(snapshot.Scorecard, evaluation, id => $"/scorecards/{key}/objectives/{Uri.EscapeDataString(id)}?{periodQuery}");
        if (notes is { Count: > 0 })
        {
            input = input with
            {
                Bands = [.. input.Bands.Select(b => b with
                {
                    Objectives = [.. b.Objectives.Select(o => notes.TryGetValue(o.Id, out var note) && note.Analysis.Length > 0
                        ? o with { Analysis = CommentaryText.ToPlainText(note.Analysis).ReplaceLineEndings(" ") }
                        : o)],
                })],
            };
        }

        // Each arrow carries what the data says of it: the correlation at the best lag, where there is enough data.
        var checks = snapshot.Analyze(evaluation.View.Period).Links
            .Where(l => l.Verdict != LinkVerdict.NotEnoughData && l.R is not null)
            .ToDictionary(l => (l.From, l.To), l => l.R);
        // Drawn in the shape of a wide screen (a 1366 × 900 window shows it 88 % of the height tall): a map of few
        // columns spreads them over the page's width instead of standing in its middle.
        input = input with { Links = [.. input.Links.Select(l => l with { Strength = checks.GetValueOrDefault((l.From, l.To)) })], Aspect = ScreenAspect };
        return StrategyMapSvg.Render(StrategyMapLayout.Compute(input));
    }

    /// <summary><c>GET /scorecards/{key}/map.svg?period=…</c>: the map as a file.</summary>
    public static IEndpointRouteBuilder MapScorecardDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/scorecards/{key}/map.svg", async (string key, string? period, bool? ytd, ScorecardSnapshots snapshots, OrganisationClock clock, Commentary commentary) =>
        {
            var (snapshot, view, problem) = await ResolveAsync(key, period, ytd, snapshots, clock);
            if (problem is not null)
            {
                return problem;
            }

            string query = $"period={view.Period}{(view.YearToDate ? "&ytd=true" : "")}";
            return Results.Text(For(snapshot!, snapshot!.Evaluate(view), query, await commentary.ForPeriodAsync(snapshot.Id, view.Period)), "image/svg+xml; charset=utf-8");
        }).WithName("StrategyMapSvg").RequireAccess(AccessScope.Scorecard);

        // The scorecard report of a period (docs/reports.md): pdf, xlsx, or html to print from the browser.
        app.MapGet("/scorecards/{key}/report.{format}", async (string key, string format, string? period, bool? ytd, ScorecardSnapshots snapshots, OrganisationClock clock, ScorecardReports reports) =>
        {
            if (!ReportFiles.Formats.Contains(format))
            {
                return Results.Problem(statusCode: 404, title: "Unknown report format", detail: $"'{format}' is not a report format: use {string.Join(", ", ReportFiles.Formats)}.");
            }

            var (snapshot, view, problem) = await ResolveAsync(key, period, ytd, snapshots, clock);
            if (problem is not null)
            {
                return problem;
            }

            // With the period's commentary and open actions (docs/reporting-cycle.md).
            var report = await reports.BuildAsync(snapshot!, view);
            var file = new MemoryStream();
            ReportFiles.Write(report, format, file);
            file.Position = 0;
            return format == "html"
                ? Results.Stream(file, ReportFiles.ContentType(format))
                : Results.File(file, ReportFiles.ContentType(format), $"{key}-{view.Period}.{format}");
        }).WithName("ScorecardReport").RequireAccess(AccessScope.Scorecard);
        return app;
    }

    /// <summary>The stored scorecard and the viewed period (its default when none is given), or the problem to answer.</summary>
    private static async Task<(ScorecardSnapshot? Snapshot, PeriodView View, IResult? Problem)> ResolveAsync(string key, string? period, bool? ytd, ScorecardSnapshots snapshots, OrganisationClock clock)
    {
        var snapshot = await snapshots.GetAsync(key);
        if (snapshot is null)
        {
            return (null, default, Results.Problem(statusCode: 404, title: "Scorecard not found", detail: $"There is no scorecard '{key}'."));
        }

        var today = await clock.TodayAsync(snapshot.OrganisationId);
        Period chosen;
        if (string.IsNullOrWhiteSpace(period))
        {
            chosen = snapshot.ReportingPeriod(today);
        }
        else if (!Period.TryParse(period, out chosen))
        {
            return (null, default, Results.Problem(statusCode: 400, title: "Unknown period", detail: $"'{period}' is not a period. Use one of: {Period.AcceptedForms}."));
        }

        return (snapshot, new PeriodView(chosen, ytd ?? false, today), null);
    }
}
