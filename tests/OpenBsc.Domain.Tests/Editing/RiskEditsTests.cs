using OpenBsc.Domain.Editing;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Tests.Editing;

/// <summary>Risks as items of the definition: edits keep references meaningful, the diff names them.</summary>
public class RiskEditsTests
{
    private static readonly Scorecard Card = new()
    {
        Id = "card",
        Name = "Card",
        Perspectives = [new Perspective { Id = "customer", Name = "Customer", Objectives = [new Objective { Id = "loyal", Name = "Loyal" }, new Objective { Id = "win", Name = "Win" }] }],
        Initiatives = [new Initiative { Id = "portal", Name = "Portal", Objectives = ["loyal"] }, new Initiative { Id = "academy", Name = "Academy" }],
        Risks = [new Risk { Id = "churn", Name = "Churn", Objectives = ["loyal", "win"], Inherent = new RiskRating(4, 4), Mitigations = ["portal", "academy"] }],
    };

    [Fact]
    public void RemoveInitiative_NamedAsAMitigation_IsDroppedFromTheRisk()
    {
        var card = ScorecardEdits.RemoveInitiative(Card, "portal").Scorecard!;

        Assert.Equal(["academy"], card.Risks[0].Mitigations);
    }

    [Fact]
    public void RemoveObjective_LinkedToARisk_IsDroppedFromTheRisk()
    {
        var card = ScorecardEdits.RemoveObjective(Card, "loyal").Scorecard!;

        Assert.Equal(["win"], card.Risks[0].Objectives);
    }

    [Fact]
    public void UpdateRisk_Unknown_IsNotFound()
    {
        var edit = ScorecardEdits.UpdateRisk(Card, "nothing", Card.Risks[0]);

        Assert.False(edit.Succeeded);
        Assert.Equal("There is no risk 'nothing'.", edit.Missing);
    }

    [Fact]
    public void Between_RiskAddedChangedRemoved_NamesEach()
    {
        var added = ScorecardEdits.AddRisk(Card, new Risk { Id = "backlog", Name = "Backlog", Inherent = new RiskRating(3, 3) }).Scorecard!;
        var changed = ScorecardEdits.UpdateRisk(added, "churn", Card.Risks[0] with { Residual = new RiskRating(2, 4) }).Scorecard!;
        var removed = ScorecardEdits.RemoveRisk(Card, "churn").Scorecard!;

        Assert.Equal(["risk backlog added"], DefinitionDiff.Between(Card, added).Select(c => c.ToString()));
        Assert.Equal(["risk churn changed"], DefinitionDiff.Between(added, changed).Select(c => c.ToString()));
        Assert.Equal(["risk churn removed"], DefinitionDiff.Between(Card, removed).Select(c => c.ToString()));
    }

    [Fact]
    public void Between_MilestoneDone_ChangesTheInitiative()
    {
        var before = Card with { Initiatives = [Card.Initiatives[0] with { Milestones = [new InitiativeMilestone("Pilot", new DateOnly(2026, 3, 31))] }] };
        var after = Card with { Initiatives = [Card.Initiatives[0] with { Milestones = [new InitiativeMilestone("Pilot", new DateOnly(2026, 3, 31), true)] }] };

        Assert.Equal(["initiative portal changed"], DefinitionDiff.Between(before, after).Select(c => c.ToString()));
        Assert.NotEqual(before, after);
    }
}
