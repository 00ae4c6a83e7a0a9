using OpenBsc.Domain.Risks;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.Domain.Tests.Risks;

/// <summary>The 5 × 5 matrix: level = likelihood × impact, bands low 1–4, medium 5–9, high 10–16, critical 20–25.</summary>
public class RiskMatrixTests
{
    [Theory]
    [InlineData(1, 1, 1, RiskBand.Low)]
    [InlineData(2, 2, 4, RiskBand.Low)]
    [InlineData(1, 4, 4, RiskBand.Low)]
    [InlineData(5, 1, 5, RiskBand.Medium)]
    [InlineData(3, 3, 9, RiskBand.Medium)]
    [InlineData(2, 5, 10, RiskBand.High)]
    [InlineData(4, 4, 16, RiskBand.High)]
    [InlineData(4, 5, 20, RiskBand.Critical)]
    [InlineData(5, 5, 25, RiskBand.Critical)]
    public void Band_LikelihoodTimesImpact_FallsInTheBand(int likelihood, int impact, int level, RiskBand band)
    {
        var rating = new RiskRating(likelihood, impact);

        Assert.Equal(level, rating.Level);
        Assert.Equal(band, rating.Band());
    }

    [Fact]
    public void BandOf_EveryCellOfTheMatrix_IsOrderedByLevel()
    {
        var cells = from l in Enumerable.Range(1, 5) from i in Enumerable.Range(1, 5) select new RiskRating(l, i);

        foreach (var group in cells.GroupBy(c => c.Band()))
        {
            int min = group.Min(c => c.Level), max = group.Max(c => c.Level);
            Assert.Equal(group.Key switch { RiskBand.Low => (1, 4), RiskBand.Medium => (5, 9), RiskBand.High => (10, 16), _ => (20, 25) }, (min, max));
        }
    }

    [Fact]
    public void Current_WithoutResidual_IsTheInherentRating()
    {
        var risk = new Risk { Id = "r", Name = "R", Inherent = new RiskRating(4, 5) };

        Assert.Equal(new RiskRating(4, 5), risk.Current);
        Assert.Equal(new RiskRating(2, 2), (risk with { Residual = new RiskRating(2, 2) }).Current);
    }

    [Fact]
    public void Worst_OfAnObjectivesRisks_IsTheHighestCurrentLevel()
    {
        var card = new Scorecard
        {
            Id = "c",
            Name = "C",
            Risks =
            [
                new Risk { Id = "a", Name = "A", Objectives = ["o"], Inherent = new RiskRating(5, 5), Residual = new RiskRating(2, 3) },
                new Risk { Id = "b", Name = "B", Objectives = ["o", "p"], Inherent = new RiskRating(3, 4) },
                new Risk { Id = "c", Name = "C", Objectives = ["p"], Inherent = new RiskRating(5, 5) },
            ],
        };

        Assert.Equal(new RiskRating(3, 4), RiskMatrix.Worst(RiskMatrix.Of(card, "o")));
        Assert.Equal(["a", "b"], RiskMatrix.Of(card, "o").Select(r => r.Id));
        Assert.Null(RiskMatrix.Worst(RiskMatrix.Of(card, "nothing")));
    }
}
