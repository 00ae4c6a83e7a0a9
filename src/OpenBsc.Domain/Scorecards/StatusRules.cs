using System.Globalization;

namespace OpenBsc.Domain.Scorecards;

/// <summary>What a status condition compares (SCORING.md §3).</summary>
public enum StatusVariable
{
    Score,
    Progress,
    Performance,
    Value,

    /// <summary>v / t.</summary>
    PercentOfTarget,
}

public enum Comparison
{
    GreaterOrEqual,
    Greater,
    LessOrEqual,
    Less,
    Equal,
}

/// <summary>
/// A condition such as <c>score &gt;= 0.9</c>. A condition on a quantity the node lacks is false. The quantity is
/// compared as if both numbers were rounded to 12 significant digits (<see cref="Near"/>): binary arithmetic
/// gives 0.8999999999999999 for a score that is exactly 90 % on paper, and that must meet "score ≥ 0.9".
/// </summary>
public sealed record StatusCondition(StatusVariable Variable, Comparison Comparison, double Number)
{
    public bool Holds(double? actual) => actual is double a && Comparison switch
    {
        Comparison.GreaterOrEqual => a >= Number || Near(a, Number),
        Comparison.Greater => a > Number && !Near(a, Number),
        Comparison.LessOrEqual => a <= Number || Near(a, Number),
        Comparison.Less => a < Number && !Near(a, Number),
        _ => Near(a, Number),
    };

    /// <summary>
    /// Equal to 12 significant digits: apart by at most one part in 10¹² of the larger magnitude (or by 10⁻¹⁵ near
    /// zero). Far finer than any displayed figure, far coarser than the error of a few double operations (~10⁻¹⁶).
    /// </summary>
    public static bool Near(double a, double b) =>
        a == b || (double.IsFinite(a) && double.IsFinite(b) && Math.Abs(a - b) <= Math.Max(1e-15, 1e-12 * Math.Max(Math.Abs(a), Math.Abs(b))));

    public override string ToString()
    {
        string variable = Variable switch
        {
            StatusVariable.Score => "score",
            StatusVariable.Progress => "progress",
            StatusVariable.Performance => "performance",
            StatusVariable.Value => "value",
            _ => "percentOfTarget",
        };
        string op = Comparison switch
        {
            Comparison.GreaterOrEqual => ">=",
            Comparison.Greater => ">",
            Comparison.LessOrEqual => "<=",
            Comparison.Less => "<",
            _ => "==",
        };
        return $"{variable} {op} {Number.ToString("R", CultureInfo.InvariantCulture)}";
    }
}

/// <summary>One rule: the status, and the condition that selects it (none = otherwise).</summary>
public sealed record StatusRule(Status Status, StatusCondition? When);

/// <summary>An ordered rule set: the first rule whose condition holds wins (ClearPoint, Power BI).</summary>
public sealed record StatusRuleSet(IReadOnlyList<StatusRule> Rules)
{
    /// <summary>Green if score ≥ 0.9; Yellow if score ≥ 0.6; otherwise Red.</summary>
    public static readonly StatusRuleSet Default = new([
        new(Status.Green, new(StatusVariable.Score, Comparison.GreaterOrEqual, 0.9)),
        new(Status.Yellow, new(StatusVariable.Score, Comparison.GreaterOrEqual, 0.6)),
        new(Status.Red, null),
    ]);

    /// <summary>
    /// The status of a node with a score. Gray when no rule applies (a rule set without an "otherwise"
    /// that no condition matches), never a guessed colour.
    /// </summary>
    public Status Evaluate(double? score, double? progress, double? performance, double? value, double? percentOfTarget)
    {
        // An index loop: a foreach over the interface allocates an enumerator per node and period.
        for (int i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            if (rule.When is null)
            {
                return rule.Status;
            }

            double? actual = rule.When.Variable switch
            {
                StatusVariable.Score => score,
                StatusVariable.Progress => progress,
                StatusVariable.Performance => performance,
                StatusVariable.Value => value,
                _ => percentOfTarget,
            };
            if (rule.When.Holds(actual))
            {
                return rule.Status;
            }
        }

        return Status.Gray;
    }

    public bool Equals(StatusRuleSet? other) => other is not null && Rules.SequenceEqual(other.Rules);

    public override int GetHashCode() => Rules.Count;
}
