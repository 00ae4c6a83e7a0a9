using OpenBsc.Domain.Initiatives;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Tests.Initiatives;

/// <summary>Initiative money per objective (sub-objectives included) and per perspective: an even split across linked objectives.</summary>
public class InitiativeCostsTests
{
    // financial: cost (with sub-objective cost-sub); customer: loyal, win
    private static Scorecard Card(params Initiative[] initiatives) => new()
    {
        Id = "card",
        Name = "Card",
        Perspectives =
        [
            new Perspective { Id = "financial", Name = "Financial", Objectives = [new Objective { Id = "cost", Name = "Cost", Objectives = [new Objective { Id = "cost-sub", Name = "Cost sub" }] }] },
            new Perspective { Id = "customer", Name = "Customer", Objectives = [new Objective { Id = "loyal", Name = "Loyal" }, new Objective { Id = "win", Name = "Win" }] },
        ],
        Initiatives = initiatives,
    };

    private static Initiative I(string id, double? budget, double? actual, params string[] objectives) =>
        new() { Id = id, Name = id, Budget = budget, ActualCost = actual, Objectives = objectives };

    public static TheoryData<Initiative[], string, double, double, int> Objectives => new()
    {
        // one objective takes it all
        { [I("a", 100, 40, "loyal")], "loyal", 100, 40, 1 },
        // two objectives: an even split
        { [I("a", 100, 40, "loyal", "win")], "win", 50, 20, 1 },
        // three objectives, one in another perspective
        { [I("a", 90, 30, "loyal", "win", "cost")], "cost", 30, 10, 1 },
        // a parent includes its sub-objective
        { [I("a", 100, 10, "cost-sub"), I("b", 20, 5, "cost")], "cost", 120, 15, 2 },
        { [I("a", 100, 10, "cost-sub"), I("b", 20, 5, "cost")], "cost-sub", 100, 10, 1 },
        // missing amounts count as 0
        { [I("a", null, 25, "win"), I("b", 60, null, "win")], "win", 60, 25, 2 },
        // an unknown id takes no share (the validator reports it)
        { [I("a", 100, 50, "win", "nothing")], "win", 100, 50, 1 },
        // an objective listed twice counts once
        { [I("a", 100, 50, "win", "win", "loyal")], "win", 50, 25, 1 },
        // nothing linked
        { [I("a", 100, 50, "win")], "loyal", 0, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Objectives))]
    public void Rollup_Objective_SumsItsSharesAndItsSubObjectives(Initiative[] initiatives, string objective, double budget, double actual, int count)
    {
        var cost = InitiativeCosts.Rollup(Card(initiatives)).Objective(objective)!;

        Assert.Equal(budget, cost.Budget, 9);
        Assert.Equal(actual, cost.Actual, 9);
        Assert.Equal(budget - actual, cost.Variance, 9);
        Assert.Equal(count, cost.Initiatives);
    }

    [Fact]
    public void Rollup_Perspectives_AddUpToTheLinkedTotalWithoutDoubleCounting()
    {
        var rollup = InitiativeCosts.Rollup(Card(
            I("a", 90, 60, "loyal", "win", "cost-sub"),
            I("b", 40, 50, "cost"),
            I("c", 10, 1)));

        Assert.Equal((70.0, 70.0, 2), (rollup.Perspective("financial")!.Budget, rollup.Perspective("financial")!.Actual, rollup.Perspective("financial")!.Initiatives));
        Assert.Equal((60.0, 40.0, 1), (rollup.Perspective("customer")!.Budget, rollup.Perspective("customer")!.Actual, rollup.Perspective("customer")!.Initiatives));
        Assert.Equal(20, rollup.Perspective("customer")!.Variance, 9);
        Assert.Equal((140.0, 111.0, 3), (rollup.Total.Budget, rollup.Total.Actual, rollup.Total.Initiatives));
        Assert.Equal((10.0, 1.0, 1), (rollup.Unlinked.Budget, rollup.Unlinked.Actual, rollup.Unlinked.Initiatives));
        Assert.Equal(rollup.Total.Budget, rollup.Perspectives.Sum(p => p.Budget) + rollup.Unlinked.Budget, 9);
    }

    [Fact]
    public void Rollup_Objectives_AreListedDepthFirstInTheScorecardsOrder()
    {
        var rollup = InitiativeCosts.Rollup(Card());

        Assert.Equal(["cost", "cost-sub", "loyal", "win"], rollup.Objectives.Select(o => o.Id));
        Assert.Null(rollup.Objectives[0].Spent);
    }

    [Fact]
    public void Spent_ActualOverBudget_IsAFraction()
    {
        Assert.Equal(1.25, new InitiativeCost("x", "X", 80, 100, 1).Spent!.Value, 9);
    }
}
