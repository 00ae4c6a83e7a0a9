using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Risks;

/// <summary>The band of a risk level on the 5 × 5 matrix.</summary>
public enum RiskBand
{
    /// <summary>Level 1–4: accept and watch.</summary>
    Low,

    /// <summary>Level 5–9: manage within the objective's plan.</summary>
    Medium,

    /// <summary>Level 10–16: needs a mitigation with an owner.</summary>
    High,

    /// <summary>Level 20–25: needs action now and the leadership's attention.</summary>
    Critical,
}

/// <summary>
/// The 5 × 5 risk matrix (ISO 31000 practice, docs/decisions/0013): likelihood and impact each 1 (rare, minor) to 5
/// (almost certain, severe); level = likelihood × impact, 1..25; bands low 1–4, medium 5–9, high 10–16,
/// critical 20–25 (no product of two whole numbers 1..5 lies in 17..19).
/// </summary>
public static class RiskMatrix
{
    public const int Lowest = 1;

    public const int Highest = 5;

    /// <summary>Whether <paramref name="value"/> is a likelihood or impact on the 1..5 scale.</summary>
    public static bool OnScale(int value) => value is >= Lowest and <= Highest;

    /// <summary>The band of a level: ≤ 4 low, ≤ 9 medium, ≤ 16 high, otherwise critical.</summary>
    public static RiskBand BandOf(int level) => level switch
    {
        <= 4 => RiskBand.Low,
        <= 9 => RiskBand.Medium,
        <= 16 => RiskBand.High,
        _ => RiskBand.Critical,
    };

    public static RiskBand Band(this RiskRating rating) => BandOf(rating.Level);

    /// <summary>The highest current (residual, else inherent) rating among <paramref name="risks"/>; null when there are none.</summary>
    public static RiskRating? Worst(IEnumerable<Risk> risks)
    {
        ArgumentNullException.ThrowIfNull(risks);
        RiskRating? worst = null;
        foreach (var risk in risks)
        {
            var current = risk.Current;
            if (worst is not { } w || current.Level > w.Level || (current.Level == w.Level && current.Impact > w.Impact))
            {
                worst = current;
            }
        }

        return worst;
    }

    /// <summary>The risks that threaten objective <paramref name="objectiveId"/> (linked to it directly).</summary>
    public static IEnumerable<Risk> Of(Scorecard card, string objectiveId)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card.Risks.Where(r => r.Objectives.Contains(objectiveId, StringComparer.Ordinal));
    }
}
