using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Validation;
using OpenBsc.Testing;
using static OpenBsc.Testing.ScorecardBuilder;

namespace OpenBsc.Domain.Tests;

public partial class ScorecardValidatorTests
{
    private static ScorecardData WithPlan(Func<Scorecard, Scorecard> change) =>
        new ScorecardBuilder().WithPerspective("customer", Objective("loyal-customers", Measure("nps"))).With(change).Build();

    private static readonly Initiative Portal = new()
    {
        Id = "portal",
        Name = "Portal",
        Objectives = ["loyal-customers"],
        Start = new DateOnly(2026, 1, 1),
        End = new DateOnly(2026, 6, 30),
    };

    private static readonly Risk Churn = new()
    {
        Id = "dealer-churn",
        Name = "Dealer churn",
        Objectives = ["loyal-customers"],
        Inherent = new RiskRating(4, 4),
        Mitigations = ["portal"],
    };

    [Fact]
    public void Validate_InitiativesMilestonesAndRisks_NoErrors()
    {
        var data = WithPlan(c => c with
        {
            Initiatives = [Portal with { Milestones = [new("Pilot", new DateOnly(2026, 3, 31), true, new DateOnly(2026, 4, 2))] }],
            Risks = [Churn with { Target = new RiskRating(2, 3), Residual = new RiskRating(3, 4) }],
        });

        Assert.Empty(ScorecardValidator.Validate(data));
    }

    [Theory]
    [InlineData("2025-12-31", "before the initiative starts (2026-01-01)")]
    [InlineData("2026-07-01", "after the initiative ends (2026-06-30)")]
    public void Validate_MilestoneDueOutsideTheInitiative_NamesTheMilestoneDue(string due, string expected)
    {
        var error = Single(WithPlan(c => c with
        {
            Initiatives = [Portal with { Milestones = [new("Launch", new DateOnly(2026, 2, 1)), new("Late", DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture))] }],
        }));

        Assert.Equal("scorecard.initiatives[0].milestones[1].due", error.Path);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InitiativeObjectiveMisspelled_SuggestsTheClosest()
    {
        var error = Single(WithPlan(c => c with { Initiatives = [Portal with { Objectives = ["loyal-customer"] }] }));

        Assert.Equal("scorecard.initiatives[0].objectives", error.Path);
        Assert.Equal("'loyal-customer' is not an objective of this scorecard (did you mean 'loyal-customers'?)", error.Message);
    }

    [Fact]
    public void Validate_RiskObjectiveUnknown_SuggestsTheClosest()
    {
        var error = Single(WithPlan(c => c with { Initiatives = [Portal], Risks = [Churn with { Objectives = ["loyal-custmers"] }] }));

        Assert.Equal("scorecard.risks[0].objectives", error.Path);
        Assert.Equal("'loyal-custmers' is not an objective of this scorecard (did you mean 'loyal-customers'?)", error.Message);
    }

    [Fact]
    public void Validate_MitigationNotAnInitiative_NamesTheMitigations()
    {
        var error = Single(WithPlan(c => c with { Initiatives = [Portal], Risks = [Churn with { Mitigations = ["portl"] }] }));

        Assert.Equal("scorecard.risks[0].mitigations", error.Path);
        Assert.Equal("'portl' is not an initiative of this scorecard (did you mean 'portal'?); a mitigation names an initiative's id", error.Message);
    }

    [Theory]
    [InlineData(0, 3, "scorecard.risks[0].likelihood", "expected a likelihood from 1 (rare) to 5 (almost certain), found 0")]
    [InlineData(6, 3, "scorecard.risks[0].likelihood", "expected a likelihood from 1 (rare) to 5 (almost certain), found 6")]
    [InlineData(3, 0, "scorecard.risks[0].impact", "expected an impact from 1 (minor) to 5 (severe), found 0")]
    [InlineData(3, 7, "scorecard.risks[0].impact", "expected an impact from 1 (minor) to 5 (severe), found 7")]
    public void Validate_InherentRatingOffTheScale_NamesTheField(int likelihood, int impact, string path, string message)
    {
        var error = Single(WithPlan(c => c with { Initiatives = [Portal], Risks = [Churn with { Inherent = new RiskRating(likelihood, impact) }] }));

        Assert.Equal(path, error.Path);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Validate_TargetAndResidualOffTheScale_NameTheirFields()
    {
        var errors = ScorecardValidator.Validate(WithPlan(c => c with
        {
            Initiatives = [Portal],
            Risks = [Churn with { Target = new RiskRating(0, 2), Residual = new RiskRating(2, 9) }],
        }));

        Assert.Equal(["scorecard.risks[0].target.likelihood", "scorecard.risks[0].residual.impact"], errors.Select(e => e.Path));
    }

    [Fact]
    public void Validate_RiskIdUsedByAnInitiative_IsADuplicate()
    {
        var error = Single(WithPlan(c => c with { Initiatives = [Portal], Risks = [Churn with { Id = "portal" }] }));

        Assert.Equal("scorecard.risks[0].id", error.Path);
        Assert.Contains("duplicate id 'portal'", error.Message, StringComparison.Ordinal);
    }
}
