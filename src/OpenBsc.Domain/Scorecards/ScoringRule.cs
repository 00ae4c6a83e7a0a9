namespace OpenBsc.Domain.Scorecards;

/// <summary>The scoring types of SCORING.md §2.</summary>
public enum ScoringType
{
    Linear,
    Thresholds,
    Range,
    Ratio,
    Points,
    Binary,
    Formula,
    None,
}

/// <summary>A (value, score) point of a <see cref="ScoringType.Points"/> scoring.</summary>
public readonly record struct ScorePoint(double Value, double Score);

/// <summary>How a measure's value becomes a score; only the fields of its <see cref="Type"/> are set.</summary>
public sealed record ScoringRule
{
    public static readonly ScoringRule Linear = new() { Type = ScoringType.Linear };

    public ScoringType Type { get; init; }

    /// <summary>Thresholds: the goal G (scores 2/3).</summary>
    public double? Goal { get; init; }

    /// <summary>Thresholds: the red flag R (scores 1/3).</summary>
    public double? RedFlag { get; init; }

    /// <summary>Range: lower bound of the band that scores 1.</summary>
    public double? Low { get; init; }

    /// <summary>Range: upper bound of the band that scores 1.</summary>
    public double? High { get; init; }

    /// <summary>Range: distance outside the band at which the score reaches 0 (0 = a step).</summary>
    public double? Tolerance { get; init; }

    /// <summary>Points: (value, score) pairs sorted by value.</summary>
    public IReadOnlyList<ScorePoint> Points { get; init; } = [];

    /// <summary>Formula: an expression over v, b, t, mn, mx.</summary>
    public string? Expression { get; init; }

    public bool Equals(ScoringRule? other) =>
        other is not null && Type == other.Type && Goal == other.Goal && RedFlag == other.RedFlag && Low == other.Low
        && High == other.High && Tolerance == other.Tolerance && Points.SequenceEqual(other.Points)
        && Expression == other.Expression;

    public override int GetHashCode() => HashCode.Combine(Type, Goal, RedFlag, Low, High, Tolerance, Expression);
}
