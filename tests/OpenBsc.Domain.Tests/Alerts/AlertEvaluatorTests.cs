using System.Globalization;
using OpenBsc.Domain.Alerts;
using OpenBsc.Domain.Initiatives;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Tests.Alerts;

/// <summary>
/// Every rule kind over a sequence of checks: it fires once on the crossing, stays quiet while the condition holds,
/// clears when it stops holding, and fires again on the next crossing; unknown facts change nothing.
/// </summary>
public class AlertEvaluatorTests
{
    /// <summary>Runs the checks in order, keeping the firing state as the stored state would; returns the transitions.</summary>
    private static string Run(AlertCondition condition, params AlertFacts[] checks)
    {
        bool firing = false;
        var transitions = new List<string>();
        foreach (var facts in checks)
        {
            var step = AlertEvaluator.Evaluate(condition, firing, facts);
            firing = step switch { AlertTransition.Fire => true, AlertTransition.Clear => false, _ => firing };
            transitions.Add(step.ToString());
        }

        return string.Join(",", transitions);
    }

    private static StatusFacts S(Status? status) => new(status);

    [Theory]
    [InlineData("Green,Red,Red,Yellow,Red", "Stay,Fire,Stay,Clear,Fire")]
    [InlineData("Red,Red", "Fire,Stay")]
    [InlineData("Red,Gray,Red", "Fire,Stay,Stay")]
    [InlineData("Red,none,Green,Red", "Fire,Stay,Clear,Fire")]
    [InlineData("Gray,Green,Yellow", "Stay,Stay,Stay")]
    public void Evaluate_MeasureTurnsRed_FiresOncePerCrossing(string statuses, string expected)
    {
        var checks = statuses.Split(',').Select(s => (AlertFacts)S(s == "none" ? null : Enum.Parse<Status>(s))).ToArray();

        Assert.Equal(expected, Run(new AlertCondition(AlertKind.MeasureTurnsRed), checks));
    }

    [Theory]
    // previous→current score pairs, threshold 10 points.
    [InlineData("0.80>0.75;0.80>0.65;0.65>0.60;0.60>0.70;0.70>0.55", "Stay,Fire,Clear,Stay,Fire")]
    [InlineData("0.80>0.70;0.80>0.69", "Stay,Fire")]
    [InlineData("0.90>0.50;0.90>0.50;-;0.90>0.50", "Fire,Stay,Stay,Stay")]
    [InlineData("0.90>0.50;0.50>0.50;0.50>0.30", "Fire,Clear,Fire")]
    public void Evaluate_ScoreDrops_FiresWhenTheDropExceedsTheThreshold(string pairs, string expected)
    {
        var checks = pairs.Split(';').Select(p => p == "-"
            ? (AlertFacts)new ScoreFacts(null, 0.1)
            : new ScoreFacts(double.Parse(p.Split('>')[0], CultureInfo.InvariantCulture), double.Parse(p.Split('>')[1], CultureInfo.InvariantCulture))).ToArray();

        Assert.Equal(expected, Run(new AlertCondition(AlertKind.ScoreDrops, 10), checks));
    }

    [Theory]
    // day of the check in July 2026 (June closed on the 30th) and whether June has a value; 5 days of grace.
    [InlineData("3:n,5:n,6:n,7:n,8:y,9:y", "Stay,Stay,Fire,Stay,Clear,Stay")]
    [InlineData("10:n,11:y,12:n", "Fire,Clear,Fire")]
    [InlineData("1:y,20:y", "Stay,Stay")]
    public void Evaluate_DataOverdue_FiresAfterTheGraceDays(string days, string expected)
    {
        var june = Period.Month(2026, 6);
        var checks = days.Split(',').Select(d => (AlertFacts)new DataFacts(june, new DateOnly(2026, 6, 30), d.EndsWith('y'), new DateOnly(2026, 7, int.Parse(d.Split(':')[0], CultureInfo.InvariantCulture)))).ToArray();

        Assert.Equal(expected, Run(new AlertCondition(AlertKind.DataOverdue, 5), checks));
    }

    [Theory]
    [InlineData("OnTrack,Behind,Late,Late,Done", "Stay,Fire,Stay,Stay,Clear")]
    [InlineData("Late,OnTrack,Behind", "Fire,Clear,Fire")]
    [InlineData("NotStarted,Unplanned,OnTrack", "Stay,Stay,Stay")]
    public void Evaluate_InitiativeLate_FiresWhenLateOrBehind(string statuses, string expected)
    {
        var checks = statuses.Split(',').Select(s => (AlertFacts)new InitiativeFacts(Enum.Parse<InitiativeStatus>(s))).ToArray();

        Assert.Equal(expected, Run(new AlertCondition(AlertKind.InitiativeLate), checks));
    }

    [Theory]
    [InlineData(true, true, AlertTransition.Stay)]
    [InlineData(true, false, AlertTransition.Clear)]
    [InlineData(false, true, AlertTransition.Fire)]
    [InlineData(false, false, AlertTransition.Stay)]
    [InlineData(true, null, AlertTransition.Stay)]
    [InlineData(false, null, AlertTransition.Stay)]
    public void Step_EveryStateAndCondition_GivesTheEdge(bool firing, bool? holds, AlertTransition expected) =>
        Assert.Equal(expected, AlertEvaluator.Step(firing, holds));

    [Fact]
    public void Holds_FactsOfAnotherKind_Throws() =>
        Assert.Throws<ArgumentException>(() => AlertEvaluator.Holds(new AlertCondition(AlertKind.MeasureTurnsRed), new ScoreFacts(1, 0)));

    [Theory]
    [InlineData(AlertKind.ScoreDrops, 0, false)]
    [InlineData(AlertKind.ScoreDrops, 10, true)]
    [InlineData(AlertKind.ScoreDrops, 101, false)]
    [InlineData(AlertKind.DataOverdue, 0, true)]
    [InlineData(AlertKind.DataOverdue, 2.5, false)]
    [InlineData(AlertKind.DataOverdue, -1, false)]
    [InlineData(AlertKind.MeasureTurnsRed, 0, true)]
    public void Problem_Threshold_IsCheckedPerKind(AlertKind kind, double threshold, bool valid) =>
        Assert.Equal(valid, new AlertCondition(kind, threshold).Problem() is null);
}
