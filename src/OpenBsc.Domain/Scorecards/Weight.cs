namespace OpenBsc.Domain.Scorecards;

/// <summary>A change of weight effective from a date (Spider Impact, BSC Designer).</summary>
public readonly record struct WeightChange(DateOnly From, double Value);

/// <summary>
/// A relative, non-negative weight, constant or changing over time. Before the first change the weight is
/// <see cref="Base"/> (1 unless written as a constant). The weight that applies to a period is the one in
/// effect on the period's last day.
/// </summary>
public sealed record Weight
{
    public static readonly Weight One = new(1);

    public Weight(double value)
    {
        Base = value;
        Changes = [];
    }

    public Weight(IReadOnlyList<WeightChange> changes)
    {
        Base = 1;
        // Kept in the order written (errors point at the entry as written); At() does not rely on order.
        Changes = [.. changes];
    }

    public double Base { get; }

    /// <summary>Changes as written; empty for a constant weight.</summary>
    public IReadOnlyList<WeightChange> Changes { get; }

    public bool IsConstant => Changes.Count == 0;

    /// <summary>The weight in effect on <paramref name="day"/>.</summary>
    public double At(DateOnly day)
    {
        double value = Base;
        DateOnly latest = DateOnly.MinValue;
        foreach (var change in Changes)
        {
            if (change.From <= day && change.From >= latest)
            {
                latest = change.From;
                value = change.Value;
            }
        }

        return value;
    }

    public bool Equals(Weight? other) =>
        other is not null && Base.Equals(other.Base) && Changes.SequenceEqual(other.Changes);

    public override int GetHashCode() => HashCode.Combine(Base, Changes.Count);
}
