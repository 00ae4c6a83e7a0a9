using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Web.Components.Pages;

/// <summary>
/// What every scorecard page does first: find the scorecard (404 naming it when unknown), read the period from
/// the query (400 naming the accepted forms when malformed), and evaluate.
/// </summary>
public abstract class ScorecardPageBase : ComponentBase
{
    [Inject] public required ScorecardSnapshots Snapshots { get; init; }

    [Inject] public required TimeProvider Clock { get; init; }

    [Inject] public required OpenBsc.Application.Features.Organisations.OrganisationClock OrganisationClock { get; init; }

    [CascadingParameter] public HttpContext? HttpContext { get; set; }

    [Parameter] public string Key { get; set; } = "";

    [SupplyParameterFromQuery(Name = "period")] public string? PeriodText { get; set; }

    [SupplyParameterFromQuery(Name = "ytd")] public bool? YearToDate { get; set; }

    protected ScorecardSnapshot? Snapshot { get; private set; }

    protected ScorecardEvaluation? Evaluation { get; private set; }

    protected PeriodView View { get; private set; }

    /// <summary>The organisation's today: what "in progress" and the reporting period are judged against.</summary>
    protected DateOnly Today { get; private set; }

    /// <summary>The period a page shows when none is asked for (<see cref="ScorecardSnapshot.ReportingPeriod"/>).</summary>
    protected Period ReportingPeriod => Snapshot!.ReportingPeriod(Today);

    /// <summary>When set, the page shows this problem instead of its content.</summary>
    protected PageProblem? Problem { get; set; }

    protected string PeriodQuery => $"period={View.Period}{(View.YearToDate ? "&ytd=true" : "")}";

    /// <summary>
    /// Loads before the first render: with a truly asynchronous database (PostgreSQL) an await in
    /// OnInitializedAsync lets Blazor render once before the snapshot is there, and every page reads it.
    /// </summary>
    public override async Task SetParametersAsync(ParameterView parameters)
    {
        parameters.SetParameterProperties(this);
        await LoadAsync();
        await base.SetParametersAsync(ParameterView.Empty);
    }

    private async Task LoadAsync()
    {
        Snapshot = await Snapshots.GetAsync(Key);
        if (Snapshot is null)
        {
            Fail(StatusCodes.Status404NotFound, "Scorecard not found", $"There is no scorecard '{Key}'.");
            return;
        }

        Today = await OrganisationClock.TodayAsync(Snapshot.OrganisationId);
        Period period;
        if (string.IsNullOrWhiteSpace(PeriodText))
        {
            period = Snapshot.ReportingPeriod(Today);
        }
        else if (!Period.TryParse(PeriodText, out period))
        {
            // Back to this scorecard at its default period, not to the organisation page.
            Fail(StatusCodes.Status400BadRequest, "Unknown period", $"'{PeriodText}' is not a period. Use one of: {Period.AcceptedForms}.");
            Problem = Problem! with { BackHref = $"/scorecards/{Uri.EscapeDataString(Key)}", BackText = $"Open {Snapshot.Scorecard.Name} at its current period" };
            return;
        }

        View = new PeriodView(period, YearToDate ?? false, Today);
        Evaluation = Snapshot.Evaluate(View);
        await OnScorecardLoadedAsync();
    }

    /// <summary>Runs once the scorecard and evaluation are ready.</summary>
    protected virtual Task OnScorecardLoadedAsync() => Task.CompletedTask;

    protected void Fail(int status, string title, string detail)
    {
        Problem = new PageProblem(status, title, detail);
        if (HttpContext is { Response.HasStarted: false })
        {
            // A 404 set by a page is sent without a body (Blazor SSR), and the status-code page is re-executed in
            // a new scope: it finds this problem in the request's items and shows it. Other codes render here.
            HttpContext.Items[typeof(PageProblem)] = Problem;
            HttpContext.Response.StatusCode = status;
        }
    }

    /// <summary>
    /// Periods offered in the picker: those of the data's range up to the reporting period or the latest data
    /// (recent first), plus the one shown. Periods after both are not offered: they have nothing to show.
    /// </summary>
    protected IReadOnlyList<Period> PeriodOptions()
    {
        var calendar = Snapshot!.Scorecard.Calendar;
        var reporting = ReportingPeriod.Start(calendar);
        var last = Snapshot.LastDay is { } latest && latest > reporting ? latest : reporting;
        var first = Snapshot.FirstDay ?? last.AddYears(-1);
        if (first < last.AddYears(-3))
        {
            first = last.AddYears(-3);
        }

        var options = new List<Period>();
        foreach (var kind in new[] { PeriodKind.Month, PeriodKind.Quarter, PeriodKind.HalfYear, PeriodKind.Year })
        {
            var period = Period.Containing(kind, last, calendar);
            while (period.End(calendar) >= first)
            {
                options.Add(period);
                period = period.Previous();
            }
        }

        if (!options.Contains(View.Period))
        {
            options.Insert(0, View.Period);
        }

        return options;
    }

    /// <summary>The page of a node: objectives and measures link to their own scorecard's pages (cascaded items too).</summary>
    protected string NodeHref(NodeDefinition node)
    {
        string id = node.Id.Contains('#', StringComparison.Ordinal) ? node.Id[(node.Id.IndexOf('#', StringComparison.Ordinal) + 1)..] : node.Id;
        string card = Uri.EscapeDataString(node.ScorecardId);
        return node.Kind switch
        {
            NodeKind.Measure => $"/scorecards/{card}/measures/{Uri.EscapeDataString(id)}?{PeriodQuery}",
            // A segment's series lives on its measure's page (id "measure@segment").
            NodeKind.Series => $"/scorecards/{card}/measures/{Uri.EscapeDataString(id[..id.IndexOf('@', StringComparison.Ordinal)])}?{PeriodQuery}#segment-{Uri.EscapeDataString(id[(id.IndexOf('@', StringComparison.Ordinal) + 1)..])}",
            NodeKind.Objective => $"/scorecards/{card}/objectives/{Uri.EscapeDataString(id)}?{PeriodQuery}",
            _ => $"/scorecards/{card}?{PeriodQuery}",
        };
    }
}

/// <summary>A problem a page shows instead of its content: the status code and what to fix.</summary>
public sealed record PageProblem(int Status, string Title, string Detail)
{
    /// <summary>Where the problem page leads back to (the organisation's scorecards unless set).</summary>
    public string? BackHref { get; init; }

    public string? BackText { get; init; }
}
