using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Domain.Scorecards;

namespace OpenBsc.IntegrationTests.Design;

public abstract partial class DesignerPageTests
{
    [Fact]
    public async Task AddRisk_FromTheDesignerForm_IsStoredWithRatingsAndMitigations()
    {
        var form = await FormAsync(Designer, "design");

        using var response = await PostAsync(Designer, form, ("op", "add-risk"), ("risk.name", "Price war with online sellers"), ("risk.objectives", "loyal-customers"),
            ("risk.owner", "ana@example.org"), ("risk.likelihood", "3"), ("risk.impact", "5"), ("risk.residual.likelihood", "2"), ("risk.residual.impact", "5"),
            ("risk.mitigations", "self-service"), ("risk.review", "2026-10-31"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var risk = (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Scorecard.Risks.Single(r => r.Id == "price-war-with-online-sellers");
        Assert.Equal((new RiskRating(3, 5), (RiskRating?)new RiskRating(2, 5), (RiskRating?)null), (risk.Inherent, risk.Residual, risk.Target));
        Assert.Equal(["loyal-customers"], risk.Objectives);
        Assert.Equal(["self-service"], risk.Mitigations);
        Assert.Equal(new DateOnly(2026, 10, 31), risk.Review);
        Assert.Contains("Price war with online sellers", await _app.Client.GetStringAsync(new Uri("/scorecards/customer-support/risks", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRisk_HalfARatingOrNoInherent_IsRefusedWithWhatToPick_AndStoresNothing()
    {
        var form = await FormAsync(Designer, "design");
        long before = (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Version;

        using var response = await PostAsync(Designer, form, ("op", "add-risk"), ("risk.name", "Half rated"), ("risk.likelihood", "3"), ("risk.residual.impact", "2"));

        string html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Risk Half rated: inherent: pick both a likelihood and an impact, or neither; residual: pick both a likelihood and an impact, or neither.", html, StringComparison.Ordinal);
        Assert.Equal(before, (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Version);
    }

    [Fact]
    public async Task AddInitiative_WithActualCost_IsStored_AndDeleteRiskRemovesIt()
    {
        var form = await FormAsync(Designer, "design");
        using var added = await PostAsync(Designer, form, ("op", "add-initiative"), ("initiative.name", "Callback service"), ("initiative.objectives", "fast-answers"),
            ("initiative.budget", "30000"), ("initiative.actualCost", "12500"));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var card = (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Scorecard;
        Assert.Equal(12500, card.Initiatives.Single(i => i.Id == "callback-service").ActualCost);

        using var deleted = await PostAsync(Designer, await FormAsync(Designer, "design"), ("op", "delete|risk|support-backlog"));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.DoesNotContain((await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Scorecard.Risks, r => r.Id == "support-backlog");
    }
}
