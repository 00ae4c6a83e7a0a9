using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.Scoring;

/// <summary>
/// One node of a score report: the contract of <c>openbsc score --json</c> (docs/score-json.md). Scores are
/// unrounded fractions (0..1, above 1 only with over-achievement); null means no data.
/// </summary>
public sealed record NodeReport(
    string Id,
    string Kind,
    string Name,
    double? Score,
    string? Status,
    double? Value,
    double? Target,
    double? Progress,
    double? Performance,
    string? Trend,
    int ChildrenWithData,
    int ChildrenTotal,
    string? Parent,
    int Depth,
    string? Unit,
    bool Inherited,
    string PeriodState,
    int Elapsed,
    int Of,
    bool Incomplete);

/// <summary>A scorecard's results for one period: the root node and every node, root first, in tree order.</summary>
public sealed record ScoreReport(string Period, bool YearToDate, NodeReport Scorecard, IReadOnlyList<NodeReport> Nodes)
{
    public static ScoreReport From(ScorecardEvaluation evaluation)
    {
        var definitions = evaluation.Model.Nodes;
        var nodes = new NodeReport[definitions.Count];
        for (int i = 0; i < nodes.Length; i++)
        {
            var definition = definitions[i];
            var score = evaluation[i];
            nodes[i] = new NodeReport(
                definition.Id,
                KindName(definition.Kind),
                definition.Name,
                score.Score,
                score.Status?.ToString(),
                score.Value,
                score.Target,
                score.Progress,
                score.Performance,
                score.Trend?.ToString().ToLowerInvariant(),
                score.ChildrenWithData,
                score.ChildrenTotal,
                definition.Parent < 0 ? null : definitions[definition.Parent].Id,
                definition.Depth,
                definition.Measure?.Unit,
                score.Inherited,
                PeriodStateName(score.Coverage.State),
                score.Coverage.Elapsed,
                score.Coverage.Of,
                score.Coverage.Incomplete);
        }

        return new ScoreReport(evaluation.View.Period.ToString(), evaluation.View.YearToDate, nodes[0], nodes);
    }

    /// <summary>The JSON spelling of a <see cref="Domain.Scoring.PeriodState"/>.</summary>
    public static string PeriodStateName(PeriodState state) => state switch
    {
        Domain.Scoring.PeriodState.InProgress => "inProgress",
        Domain.Scoring.PeriodState.NotStarted => "notStarted",
        _ => "ended",
    };

    public static string KindName(NodeKind kind) => kind switch
    {
        NodeKind.Scorecard => "scorecard",
        NodeKind.Perspective => "perspective",
        NodeKind.Objective => "objective",
        NodeKind.Series => "series",
        _ => "measure",
    };

    /// <summary>A number as shown to people (SCORING.md: 2 decimals, half away from zero; rounding is for display only).</summary>
    public static string Display(double value) =>
        Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Display form of a node's status: "○ No target" for a value without the target it needs, else <see cref="StatusLabel(Status?)"/>.</summary>
    public static string StatusLabel(NodeScore score) => PeriodNotes.NoTarget(score) ? "○ No target" : StatusLabel(score.Status);

    /// <summary>Display form of a status: never colour alone (an icon and the word).</summary>
    public static string StatusLabel(Status? status) => status switch
    {
        Status.Green => "● Green",
        Status.Yellow => "▲ Yellow",
        Status.Red => "■ Red",
        Status.Gray => "○ No data",
        _ => "– Not scored",
    };
}
