using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Testing;

/// <summary>Builds valid scorecards for tests: one perspective and one objective unless told otherwise.</summary>
public sealed class ScorecardBuilder
{
    private readonly List<Perspective> _perspectives = [];
    private readonly List<Observation> _observations = [];
    private Scorecard _card = new() { Id = "card", Name = "Test scorecard" };

    /// <summary>A measure with valid defaults: monthly, average, baseline 0, target 100, linear.</summary>
    public static Measure Measure(string id, double? baseline = 0, double? target = 100) =>
        new() { Id = id, Name = id, Baseline = baseline, Target = target, Aggregation = Aggregation.Average };

    public static Objective Objective(string id, params Measure[] measures) =>
        new() { Id = id, Name = id, Measures = measures };

    public ScorecardBuilder With(Func<Scorecard, Scorecard> change)
    {
        _card = change(_card);
        return this;
    }

    public ScorecardBuilder WithPerspective(string id, params Objective[] objectives)
    {
        _perspectives.Add(new Perspective { Id = id, Name = id, Objectives = objectives });
        return this;
    }

    /// <summary>Puts the measures under perspective "p", objective "o".</summary>
    public ScorecardBuilder WithMeasures(params Measure[] measures) => WithPerspective("p", Objective("o", measures));

    public ScorecardBuilder WithObservation(string measure, string period, double value)
    {
        _observations.Add(new Observation(measure, Period.Parse(period), value));
        return this;
    }

    /// <summary>One observation per month from <paramref name="firstMonth"/> on.</summary>
    public ScorecardBuilder WithMonthly(string measure, string firstMonth, params double[] values)
    {
        var period = Period.Parse(firstMonth);
        foreach (double value in values)
        {
            _observations.Add(new Observation(measure, period, value));
            period = period.Next();
        }

        return this;
    }

    public ScorecardData Build() => new(_card with { Perspectives = [.. _card.Perspectives, .. _perspectives] }, [.. _observations]);
}
