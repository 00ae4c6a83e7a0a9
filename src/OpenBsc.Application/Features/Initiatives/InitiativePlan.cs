using OpenBsc.Domain.Initiatives;
using OpenBsc.Domain.Risks;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Application.Features.Initiatives;

/// <summary>A milestone on a date: <see cref="DoneLate"/> when it was reached after its due date.</summary>
public sealed record MilestoneLine(string Name, DateOnly Due, MilestoneStatus Status, DateOnly? DoneOn, bool DoneLate);

/// <summary>
/// An initiative on a date: its plan and money, status against plan (docs/initiatives-and-risks.md), and milestones.
/// <see cref="Variance"/> is budget − actual cost (positive = under budget), null unless both are known.
/// </summary>
public sealed record InitiativeLine(
    string Id,
    string Name,
    string? Description,
    string? Owner,
    IReadOnlyList<string> Objectives,
    DateOnly? Start,
    DateOnly? End,
    double? Budget,
    double? ActualCost,
    double? Variance,
    double? Complete,
    double? Planned,
    InitiativeStatus Status,
    IReadOnlyList<MilestoneLine> Milestones);

/// <summary>The initiatives of a scorecard at a date, with their cost per objective and perspective.</summary>
public sealed record InitiativePlan(string Scorecard, DateOnly At, IReadOnlyList<InitiativeLine> Initiatives, InitiativeCostRollup Costs)
{
    public static InitiativePlan Of(Scorecard card, DateOnly at)
    {
        ArgumentNullException.ThrowIfNull(card);
        var lines = card.Initiatives.Select(i =>
        {
            var progress = InitiativeSchedule.Evaluate(i, at);
            return new InitiativeLine(i.Id, i.Name, i.Description, i.Owner, i.Objectives, i.Start, i.End, i.Budget, i.ActualCost,
                i.Budget is { } b && i.ActualCost is { } a ? b - a : null, progress.Complete, progress.Planned, progress.Status,
                [.. i.Milestones.Select(m => new MilestoneLine(m.Name, m.Due, m.StatusAt(at), m.DoneOn, m.DoneLate()))]);
        }).ToList();
        return new InitiativePlan(card.Id, at, lines, InitiativeCosts.Rollup(card));
    }
}

/// <summary>A rating with its level (likelihood × impact) and band.</summary>
public sealed record RiskLevel(int Likelihood, int Impact, int Level, RiskBand Band)
{
    public static RiskLevel Of(RiskRating rating) => new(rating.Likelihood, rating.Impact, rating.Level, rating.Band());
}

/// <summary>
/// A risk of the register on a date. <see cref="Current"/> is the residual rating when assessed, else the inherent
/// one; <see cref="AboveTarget"/> when the current level is still above the target level; <see cref="ReviewDue"/>
/// when the review date is on or before the date.
/// </summary>
public sealed record RiskLine(
    string Id,
    string Name,
    string? Description,
    string? Owner,
    IReadOnlyList<string> Objectives,
    RiskLevel Inherent,
    RiskLevel? Target,
    RiskLevel? Residual,
    RiskLevel Current,
    bool AboveTarget,
    IReadOnlyList<string> Mitigations,
    DateOnly? Review,
    bool ReviewDue);

/// <summary>One cell of the 5 × 5 heat map with the risks whose current rating falls in it.</summary>
public sealed record HeatCell(int Likelihood, int Impact, int Level, RiskBand Band, IReadOnlyList<string> Risks);

/// <summary>The risk register of a scorecard at a date: risks by current level (highest first), and the heat map.</summary>
public sealed record RiskRegister(string Scorecard, DateOnly At, IReadOnlyList<RiskLine> Risks, IReadOnlyList<HeatCell> HeatMap)
{
    public static RiskRegister Of(Scorecard card, DateOnly at)
    {
        ArgumentNullException.ThrowIfNull(card);
        var lines = card.Risks
            .Select(r => new RiskLine(r.Id, r.Name, r.Description, r.Owner, r.Objectives, RiskLevel.Of(r.Inherent),
                r.Target is { } t ? RiskLevel.Of(t) : null, r.Residual is { } s ? RiskLevel.Of(s) : null, RiskLevel.Of(r.Current),
                r.Target is { } target && r.Current.Level > target.Level, r.Mitigations, r.Review, r.Review is { } review && review <= at))
            .OrderByDescending(r => r.Current.Level).ThenByDescending(r => r.Current.Impact)
            .ToList();
        var cells = new List<HeatCell>();
        for (int likelihood = RiskMatrix.Highest; likelihood >= RiskMatrix.Lowest; likelihood--)
        {
            for (int impact = RiskMatrix.Lowest; impact <= RiskMatrix.Highest; impact++)
            {
                var rating = new RiskRating(likelihood, impact);
                cells.Add(new HeatCell(likelihood, impact, rating.Level, rating.Band(),
                    [.. lines.Where(r => r.Current.Likelihood == likelihood && r.Current.Impact == impact).Select(r => r.Id)]));
            }
        }

        return new RiskRegister(card.Id, at, lines, cells);
    }
}
