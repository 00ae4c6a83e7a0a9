using OpenBsc.Domain.Customers;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Testing;
using static OpenBsc.Testing.ScorecardBuilder;

namespace OpenBsc.Domain.Tests;

public class CustomerCoverageTests
{
    [Fact]
    public void Check_AllFourConcernsWithOutcomesAndDrivers_NoWarnings()
    {
        var card = new ScorecardBuilder().WithPerspective("customer",
            Objective("o",
                Measure("a") with { Concern = CustomerConcern.Time, ValueProposition = ValueProposition.Time },
                Measure("b") with { Concern = CustomerConcern.Quality },
                Measure("c") with { Concern = CustomerConcern.PerformanceService, Outcome = CustomerOutcome.Retention },
                Measure("d") with { Concern = CustomerConcern.Cost })).Build().Scorecard;

        var coverage = CustomerCoverage.Check(card);

        Assert.Equal("customer", coverage.PerspectiveId);
        Assert.Empty(coverage.MissingConcerns);
        Assert.Empty(coverage.Warnings);
    }

    [Fact]
    public void Check_MissingConcerns_AreEachWarned()
    {
        var card = new ScorecardBuilder().WithPerspective("customer",
            Objective("o", Measure("a") with { Concern = CustomerConcern.Time, Outcome = CustomerOutcome.Satisfaction, ValueProposition = ValueProposition.Service })).Build().Scorecard;

        var coverage = CustomerCoverage.Check(card);

        Assert.Equal([CustomerConcern.Quality, CustomerConcern.PerformanceService, CustomerConcern.Cost], coverage.MissingConcerns);
        Assert.Equal(3, coverage.Warnings.Count);
        Assert.Contains(coverage.Warnings, w => w.Contains("no cost concern", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_OnlyOutcomes_WarnsThatThereAreNoDrivers()
    {
        var card = new ScorecardBuilder().WithPerspective("customers",
            Objective("o", Measure("a") with { Outcome = CustomerOutcome.Retention }, Measure("b") with { Outcome = CustomerOutcome.MarketShare })).Build().Scorecard;

        var coverage = CustomerCoverage.Check(card);

        Assert.Contains(coverage.Warnings, w => w.Contains("only outcome measures", StringComparison.Ordinal) && w.Contains("no drivers", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_NoPerspectiveNamedCustomer_TakesTheOneWithTaggedMeasures()
    {
        var card = new ScorecardBuilder()
            .WithPerspective("financial", Objective("f", Measure("x")))
            .WithPerspective("beneficiaries", Objective("b", Measure("y") with { Concern = CustomerConcern.Time }))
            .Build().Scorecard;

        Assert.Equal("beneficiaries", CustomerCoverage.Check(card).PerspectiveId);
    }

    [Fact]
    public void Check_NoCustomerPerspectiveAtAll_SaysSo()
    {
        var card = new ScorecardBuilder().WithPerspective("financial", Objective("f", Measure("x"))).Build().Scorecard;

        var coverage = CustomerCoverage.Check(card);

        Assert.Null(coverage.PerspectiveId);
        Assert.Contains("no customer perspective", Assert.Single(coverage.Warnings), StringComparison.Ordinal);
    }
}
