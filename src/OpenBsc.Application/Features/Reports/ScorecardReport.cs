using OpenBsc.Application.Features.Initiatives;
using OpenBsc.Application.Features.StrategyMaps;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.Reports;

/// <summary>One line of a report's dashboard table: an objective or measure with its result for the period.</summary>
public sealed record ReportRow(
    string Id,
    NodeKind Kind,
    string Name,
    int Depth,
    double? Value,
    double? Target,
    string? Unit,
    double? Score,
    Status? Status,
    Trend? Trend,
    string? Owner,
    IReadOnlyList<string> Comments)
{
    /// <summary>The item's analysis and recommendations for the period.</summary>
    public ReportCommentary? Commentary { get; init; }

    /// <summary>"incomplete — 1 of 3 months without a value", or null.</summary>
    public string? PeriodNote { get; init; }
}

/// <summary>A perspective's section: its own result, then its objectives and measures in tree order.</summary>
public sealed record ReportSection(string Id, string Name, double? Score, Status? Status, Trend? Trend, IReadOnlyList<ReportRow> Rows)
{
    /// <summary>The perspective's analysis and recommendations for the period.</summary>
    public ReportCommentary? Commentary { get; init; }
}

/// <summary>An item's analysis and recommendations (Markdown as written; each writer renders it its way).</summary>
public sealed record ReportCommentary(string Analysis, string Recommendations, string? By)
{
    public static ReportCommentary? Of(ReportingCycle.CommentaryEntry? entry) =>
        entry is null || entry.IsEmpty ? null : new ReportCommentary(entry.Analysis, entry.Recommendations, entry.EnteredBy);
}

/// <summary>An open action as a report lists it, with the name of the item it is about.</summary>
public sealed record ReportAction(string Item, string ItemName, string Title, string? Owner, DateOnly? Due, bool Late);

/// <summary>
/// Everything a scorecard report for one period shows, in the order it shows it (cover, strategy map, dashboard
/// table, one section per perspective, initiatives); the PDF, XLSX and HTML writers only lay it out. Numbers are
/// the engine's (docs/scoring.md), rounded only where they are printed.
/// </summary>
public sealed record ScorecardReport(
    string ScorecardId,
    string Name,
    string? Organisation,
    string? Mission,
    string Period,
    string PeriodLabel,
    DateTime GeneratedAt,
    double? Score,
    Status? Status,
    Trend? Trend,
    IReadOnlyList<ReportSection> Sections,
    IReadOnlyList<Initiative> Initiatives,
    IReadOnlyList<Tension> Tensions,
    MapLayout Map)
{
    /// <summary>The initiatives at the end of the period: status against plan, milestones, cost per objective and perspective.</summary>
    /// <summary>The name of an objective, measure or initiative of the report by its id (tensions, initiatives and risks name items by id).</summary>
    public string NameOf(string id) =>
        Sections.SelectMany(s => s.Rows).FirstOrDefault(r => r.Id == id)?.Name ?? Map.Objectives.FirstOrDefault(o => o.Objective.Id == id)?.Objective.Name
        ?? Initiatives.FirstOrDefault(i => i.Id == id)?.Name ?? id;

    /// <summary>The names of <paramref name="ids"/>, comma-separated.</summary>
    public string NamesOf(IEnumerable<string> ids) => string.Join(", ", ids.Select(NameOf));

    public InitiativePlan Plan { get; init; } = new(ScorecardId, default, [], Domain.Initiatives.InitiativeCosts.Rollup(new Scorecard { Id = ScorecardId, Name = Name }));

    /// <summary>The risk register at the end of the period.</summary>
    public RiskRegister Risks { get; init; } = new(ScorecardId, default, [], []);

    /// <summary>The parts to print (a briefing book chooses; a report prints them all).</summary>
    public ReportParts Parts { get; init; } = ReportParts.All;

    /// <summary>"in progress — 2 of 3 months" when the period is not over; null when it has ended.</summary>
    public string? PeriodNote { get; init; }

    /// <summary>The scorecard's own analysis and recommendations for the period.</summary>
    public ReportCommentary? Commentary { get; init; }

    /// <summary>The open actions; null for a report made without the reporting cycle (a scorecard file).</summary>
    public IReadOnlyList<ReportAction>? Actions { get; init; }

    /// <summary>Whether <paramref name="part"/> is printed.</summary>
    public bool Has(ReportParts part) => (Parts & part) == part;

    /// <summary>The report with the reporting cycle's commentary and open actions, printing only <paramref name="parts"/>.</summary>
    public ScorecardReport WithCycle(ReportParts parts, IReadOnlyDictionary<string, ReportingCycle.CommentaryEntry> commentary, IReadOnlyList<ReportingCycle.ActionEntry> actions, DateOnly today)
    {
        var names = Sections.SelectMany(s => s.Rows).GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        return this with
        {
            Parts = parts,
            Commentary = ReportCommentary.Of(commentary.GetValueOrDefault("")),
            Sections = [.. Sections.Select(section => section with
            {
                Commentary = ReportCommentary.Of(commentary.GetValueOrDefault(section.Id)),
                Rows = [.. section.Rows.Select(row => row with { Commentary = ReportCommentary.Of(commentary.GetValueOrDefault(row.Id)) })],
            })],
            Actions = [.. actions.Select(a => new ReportAction(a.Item, names.GetValueOrDefault(a.Item) ?? a.Item, a.Title, a.Owner, a.Due, a.IsLate(today)))],
        };
    }

    /// <summary>How a status against plan is printed: a word, and a colour for it.</summary>
    public static (string Color, string Word) PlanStatus(Domain.Initiatives.InitiativeStatus status) => Charts.InitiativeTimelineSvg.Style(status);

    /// <summary>A risk level as printed: "12 high (4 × 3)".</summary>
    public static string Level(RiskLevel? level) =>
        level is null ? "—" : $"{level.Level} {level.Band.ToString().ToLowerInvariant()} ({level.Likelihood} × {level.Impact})";

    /// <summary>A variance as printed, signed: "+22,000", "-18,000".</summary>
    public static string VarianceText(double? value) => value is double v ? (v > 0 ? "+" : "") + Organisations.OrganisationFormat.Current.Number(v) : "—";

    /// <summary>The report of <paramref name="view"/>; comments are the notes of the observations of the viewed period.</summary>
    public static ScorecardReport Build(ScorecardModel model, IReadOnlyList<Observation> observations, PeriodView view, DateTime generatedAt)
    {
        var card = model.Scorecard;
        var evaluation = model.Evaluate(view);
        var notes = observations
            .Where(o => o.Note is not null && o.Period == view.Period)
            .GroupBy(o => o.Measure, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(o => o.Segment is null ? o.Note! : $"{o.Segment}: {o.Note}")], StringComparer.Ordinal);
        var owners = card.AllObjectives().Select(o => (o.Id, o.Owner)).Concat(card.AllMeasures().Select(m => (m.Id, m.Owner)))
            .GroupBy(x => x.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Owner, StringComparer.Ordinal);

        var nodes = model.Nodes;
        var sections = new List<ReportSection>();
        foreach (var perspective in nodes.Where(n => n.Kind == NodeKind.Perspective))
        {
            var rows = new List<ReportRow>();
            AddChildren(perspective.Index);
            var own = evaluation[perspective.Index];
            sections.Add(new ReportSection(perspective.Id, perspective.Name, own.Score, own.Status, own.Trend, rows));

            void AddChildren(int parent)
            {
                foreach (var node in nodes.Where(n => n.Parent == parent))
                {
                    var s = evaluation[node.Index];
                    rows.Add(new ReportRow(node.Id, node.Kind, node.Name, node.Depth - 2, s.Value, s.Target, node.Measure?.Unit, s.Score, s.Status, s.Trend,
                        owners.GetValueOrDefault(node.Id), notes.GetValueOrDefault(node.Id) ?? [])
                    {
                        PeriodNote = node.Measure is { } m ? Scoring.PeriodNotes.Incomplete(s, m.Frequency) : null,
                    });
                    AddChildren(node.Index);
                }
            }
        }

        var root = evaluation[0];
        var map = StrategyMapLayout.Compute(StrategyMapInput.From(card, evaluation, _ => string.Empty));
        return new ScorecardReport(card.Id, card.Name, card.Organisation, card.Mission, view.ToString(), Label(view), generatedAt, root.Score, root.Status, root.Trend,
            sections, card.Initiatives, card.Tensions, map)
        {
            Plan = InitiativePlan.Of(card, view.Period.End(card.Calendar)),
            Risks = RiskRegister.Of(card, view.Period.End(card.Calendar)),
            PeriodNote = Scoring.PeriodNotes.State(root.Coverage, card.ReportingFrequency()),
        };
    }

    private static string Label(PeriodView view) =>
        (view.YearToDate ? "year to date " : string.Empty) + view.Period.Kind switch
        {
            Domain.Periods.PeriodKind.Month => new DateOnly(view.Period.Year, view.Period.Number, 1).ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture),
            _ => view.Period.ToString(),
        };

    /// <summary>A score as printed: a whole percentage (half away from zero), or a dash when there is none.</summary>
    public static string Percent(double? score) =>
        score is double s ? Math.Round(s * 100, 0, MidpointRounding.AwayFromZero).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>A value as printed, with its unit, in the organisation's number format (<see cref="Organisations.OrganisationFormat.Current"/>).</summary>
    public static string Number(double? value, string? unit) =>
        value is not double v ? "—" : unit switch
        {
            null or "" => Organisations.OrganisationFormat.Current.Number(v),
            "%" => Organisations.OrganisationFormat.Current.Number(v) + "%",
            _ => $"{Organisations.OrganisationFormat.Current.Number(v)} {unit}",
        };

    /// <summary>How a status is printed and coloured: never by colour alone.</summary>
    internal static Charts.StatusStyle Style(Status? status, double? score) => Charts.StatusStyle.Of(status?.ToString(), score is not null);

    public static string TrendWord(Trend? trend) => trend switch
    {
        Domain.Scoring.Trend.Improving => "↑ improving",
        Domain.Scoring.Trend.Worsening => "↓ worsening",
        Domain.Scoring.Trend.Flat => "→ flat",
        _ => "",
    };
}
