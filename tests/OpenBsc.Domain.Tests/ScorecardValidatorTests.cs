using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Validation;
using OpenBsc.Testing;
using static OpenBsc.Testing.ScorecardBuilder;

namespace OpenBsc.Domain.Tests;

public partial class ScorecardValidatorTests
{
    private const string M0 = "scorecard.perspectives[0].objectives[0].measures[0]";

    private static DefinitionError Single(ScorecardData data)
    {
        var errors = ScorecardValidator.Validate(data);
        return Assert.Single(errors);
    }

    [Fact]
    public void Validate_ValidScorecard_NoErrors()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("a"), Measure("b")).WithObservation("a", "2026-01", 1).Build();

        Assert.Empty(ScorecardValidator.Validate(data));
    }

    [Fact]
    public void Validate_DuplicateId_NamesBothPlaces()
    {
        var error = Single(new ScorecardBuilder().WithMeasures(Measure("a"), Measure("a")).Build());

        Assert.Equal("scorecard.perspectives[0].objectives[0].measures[1].id", error.Path);
        Assert.Contains("duplicate id 'a'", error.Message, StringComparison.Ordinal);
        Assert.Contains(M0 + ".id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BaselineEqualsTarget()
    {
        var error = Single(new ScorecardBuilder().WithMeasures(Measure("a", 50, 50)).Build());

        Assert.Equal(M0 + ".target", error.Path);
        Assert.Contains("equals the baseline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MinNotBelowMax()
    {
        var error = Single(new ScorecardBuilder().WithMeasures(Measure("a") with { Min = 10, Max = 10 }).Build());

        Assert.Equal(M0 + ".max", error.Path);
    }

    [Fact]
    public void Validate_NegativeWeight()
    {
        var error = Single(new ScorecardBuilder().WithMeasures(Measure("a") with { Weight = new Weight(-1) }).Build());

        Assert.Equal(M0 + ".weight", error.Path);
        Assert.Contains("≥ 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativeTimeVaryingWeight_NamesTheEntry()
    {
        var weight = new Weight([new WeightChange(new DateOnly(2026, 1, 1), 1), new WeightChange(new DateOnly(2026, 7, 1), -2)]);
        var error = Single(new ScorecardBuilder().WithMeasures(Measure("a") with { Weight = weight }).Build());

        Assert.Equal(M0 + ".weight[1].value", error.Path);
    }

    [Fact]
    public void Validate_ThresholdsGoalEqualsRedFlag()
    {
        var measure = Measure("a") with { Scoring = new() { Type = ScoringType.Thresholds, Goal = 5, RedFlag = 5 } };

        var error = Single(new ScorecardBuilder().WithMeasures(measure).Build());

        Assert.Equal(M0 + ".scoring.redFlag", error.Path);
    }

    [Fact]
    public void Validate_PointsNotSorted()
    {
        var measure = Measure("a") with { Scoring = new() { Type = ScoringType.Points, Points = [new(20, 1), new(10, 0.5)] } };

        var error = Single(new ScorecardBuilder().WithMeasures(measure).Build());

        Assert.Equal(M0 + ".scoring.points[1]", error.Path);
        Assert.Contains("sorted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FormulaSyntaxError_NamesTheColumn()
    {
        var error = Single(new ScorecardBuilder().WithMeasures(Measure("a"), Measure("b") with { Formula = "[a] +" }).Build());

        Assert.Equal("scorecard.perspectives[0].objectives[0].measures[1].formula", error.Path);
        Assert.Contains("column 6", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FormulaUnknownMeasure_SuggestsTheClosest()
    {
        var error = Single(new ScorecardBuilder().WithMeasures(Measure("promoters"), Measure("b") with { Formula = "[promotors] * 2" }).Build());

        Assert.Contains("[promotors] is not a measure", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'promoters'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FormulaCycle_IsNamed()
    {
        var data = new ScorecardBuilder().WithMeasures(
            Measure("a") with { Formula = "[b] + 1" },
            Measure("b") with { Formula = "[c] + 1" },
            Measure("c") with { Formula = "[a] + 1" }).Build();

        var error = Single(data);

        Assert.Contains("formula cycle: a → b → c → a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DanglingLinkAndTension()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("a"))
            .With(c => c with { Links = [new CauseEffectLink("o", "nowhere")], Tensions = [new Tension("o", "elsewhere")] })
            .Build();

        var errors = ScorecardValidator.Validate(data);

        Assert.Contains(errors, e => e.Path == "scorecard.links[0].to" && e.Message.Contains("'nowhere'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "scorecard.tensions[0].between" && e.Message.Contains("'elsewhere'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ObservationForUnknownMeasure()
    {
        var error = Single(new ScorecardBuilder().WithMeasures(Measure("cost")).WithObservation("cots", "2026-01", 1).Build());

        Assert.Equal("observations[0].measure", error.Path);
        Assert.Contains("did you mean 'cost'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ObservationForCalculatedMeasure()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("a"), Measure("b") with { Formula = "[a]" }).WithObservation("b", "2026-01", 1).Build();

        Assert.Contains("calculated", Single(data).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadId()
    {
        var error = Single(new ScorecardBuilder().WithMeasures(Measure("Cost Per Ticket")).Build());

        Assert.Equal(M0 + ".id", error.Path);
        Assert.Contains("lowercase", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StatusRuleAfterOtherwise_IsUnreachable()
    {
        var rules = new StatusRuleSet([new(Status.Red, null), new(Status.Green, new(StatusVariable.Score, Comparison.GreaterOrEqual, 0.9))]);

        var error = Single(new ScorecardBuilder().With(c => c with { Status = rules }).WithMeasures(Measure("a")).Build());

        Assert.Equal("scorecard.status[1]", error.Path);
    }

    [Fact]
    public void ValidateCascade_DanglingSource()
    {
        var data = new ScorecardBuilder().WithMeasures(Measure("a"))
            .With(c => c with { Cascade = [new CascadeContribution("o", "emea#loyal", Weight.One)] }).Build();

        var error = Assert.Single(ScorecardValidator.ValidateCascade([data]));

        Assert.Equal("scorecard.cascade[0].from", error.Path);
        Assert.Contains("'emea'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateCascade_Cycle_IsNamed()
    {
        var company = new ScorecardBuilder().With(c => c with { Id = "company", Cascade = [new CascadeContribution("top", "emea#mid", Weight.One)] })
            .WithPerspective("p", Objective("top", Measure("a"))).Build();
        var emea = new ScorecardBuilder().With(c => c with { Id = "emea", Cascade = [new CascadeContribution("mid", "company#top", Weight.One)] })
            .WithPerspective("q", Objective("mid", Measure("b"))).Build();

        var errors = ScorecardValidator.ValidateCascade([company, emea]);

        var cycle = Assert.Single(errors);
        Assert.Contains("cascade cycle", cycle.Message, StringComparison.Ordinal);
        Assert.Contains("company#top", cycle.Message, StringComparison.Ordinal);
        Assert.Contains("emea#mid", cycle.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SelfRollupWithoutMeasures()
    {
        var objective = new Objective { Id = "o", Name = "o", Rollup = RollupMethod.Self, Objectives = [Objective("sub", Measure("a"))] };

        var error = Single(new ScorecardBuilder().WithPerspective("p", objective).Build());

        Assert.Equal("scorecard.perspectives[0].objectives[0].rollup", error.Path);
    }

    [Fact]
    public void Validate_UnknownSegment()
    {
        var data = new ScorecardBuilder().With(c => c with { Segments = [new Segment("dealers", "Dealers", SegmentKind.Partner)] })
            .WithMeasures(Measure("a") with { Segment = "dealer" }).Build();

        Assert.Contains("did you mean 'dealers'", Single(data).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PlanDueBeforeStart()
    {
        var measure = Measure("a", 0, 10) with { Start = new DateOnly(2026, 6, 1), Due = new DateOnly(2026, 1, 1) };

        var error = Single(new ScorecardBuilder().WithMeasures(measure).Build());

        Assert.Equal(M0 + ".due", error.Path);
        Assert.Contains("not after the start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PlanWithoutBaseline()
    {
        var measure = Measure("a", null, 10) with { Start = new DateOnly(2026, 1, 1), Due = new DateOnly(2026, 12, 31) };

        var error = Single(new ScorecardBuilder().WithMeasures(measure).Build());

        Assert.Contains("needs start, due, baseline and target", error.Message, StringComparison.Ordinal);
    }
}
