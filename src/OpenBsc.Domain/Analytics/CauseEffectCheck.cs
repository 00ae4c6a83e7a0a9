namespace OpenBsc.Domain.Analytics;

/// <summary>What the data say about a cause-effect link (SCORING.md §8); thresholds in <see cref="CauseEffectOptions"/>.</summary>
public enum LinkVerdict
{
    /// <summary>The best lag's r ≥ 0.5: the effect follows the cause.</summary>
    Supported,

    /// <summary>The best lag's r lies strictly between −0.5 and 0.5, or no lag with enough pairs has a defined r (a series without variance).</summary>
    Weak,

    /// <summary>The best lag's r ≤ −0.5: the effect moves against the cause.</summary>
    Contradicted,

    /// <summary>Fewer than 8 pairs at every lag.</summary>
    NotEnoughData,
}

/// <summary>The correlation of the cause at period p with the effect at p + <see cref="Lag"/>.</summary>
public readonly record struct LagCorrelation(int Lag, int Pairs, double? R);

/// <summary>Thresholds of the cause-effect check; the defaults are documented in docs/analytics.md.</summary>
public sealed record CauseEffectOptions
{
    public static readonly CauseEffectOptions Default = new();

    /// <summary>Lags 0..MaxLag periods are tried (SCORING.md §8: 0..3).</summary>
    public int MaxLag { get; init; } = 3;

    /// <summary>A lag counts only with at least this many pairs where both scores exist.</summary>
    public int MinimumPairs { get; init; } = 8;

    /// <summary>r at or above this supports the link.</summary>
    public double Supported { get; init; } = 0.5;

    /// <summary>
    /// r at or below this contradicts the link. −0.5, the same strength as a detected tension and symmetric with
    /// <see cref="Supported"/>: on pure noise over 24 months the best of four lags reaches r ≤ −0.3 for one link in five.
    /// </summary>
    public double Contradicted { get; init; } = -0.5;
}

/// <summary>
/// A cause-effect link checked against the scores: every lag tried, and the best one — the lag with the largest |r|
/// among lags with at least <see cref="CauseEffectOptions.MinimumPairs"/> pairs and a defined r (the shorter lag on
/// a tie). <see cref="Pairs"/> and <see cref="R"/> are the best lag's; without a best lag they are the largest
/// number of pairs at any lag and null.
/// </summary>
public sealed record LinkCheck(
    string From,
    string To,
    string? FromName,
    string? ToName,
    string? Note,
    IReadOnlyList<LagCorrelation> Lags,
    int? BestLag,
    double? R,
    int Pairs,
    LinkVerdict Verdict)
{
    /// <summary>
    /// Checks a link on two score series of the same consecutive periods, oldest first (NaN = no score):
    /// r of cause[i] with effect[i + lag] for lag = 0..MaxLag.
    /// </summary>
    public static LinkCheck Evaluate(
        string from,
        string to,
        ReadOnlySpan<double> cause,
        ReadOnlySpan<double> effect,
        CauseEffectOptions? options = null,
        string? fromName = null,
        string? toName = null,
        string? note = null)
    {
        options ??= CauseEffectOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxLag);
        var lags = new LagCorrelation[options.MaxLag + 1];
        int best = -1, mostPairs = 0;
        for (int lag = 0; lag <= options.MaxLag; lag++)
        {
            var c = Correlation.Pearson(cause, effect, lag);
            lags[lag] = new LagCorrelation(lag, c.Pairs, c.R);
            mostPairs = Math.Max(mostPairs, c.Pairs);
            if (c.Pairs >= options.MinimumPairs && c.R is double r && (best < 0 || Math.Abs(r) > Math.Abs(lags[best].R!.Value)))
            {
                best = lag;
            }
        }

        bool enoughData = mostPairs >= options.MinimumPairs;
        if (best < 0)
        {
            return new LinkCheck(from, to, fromName, toName, note, lags, null, null, mostPairs, enoughData ? LinkVerdict.Weak : LinkVerdict.NotEnoughData);
        }

        double bestR = lags[best].R!.Value;
        var verdict = bestR >= options.Supported ? LinkVerdict.Supported
            : bestR <= options.Contradicted ? LinkVerdict.Contradicted
            : LinkVerdict.Weak;
        return new LinkCheck(from, to, fromName, toName, note, lags, best, bestR, lags[best].Pairs, verdict);
    }
}
