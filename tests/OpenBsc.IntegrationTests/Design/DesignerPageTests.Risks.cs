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
        Assert.Contains("Risk “Half rated”: inherent: pick both a likelihood and an impact, or neither; residual: pick both a likelihood and an impact, or neither.", html, StringComparison.Ordinal);
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

        using var deleted = await PostAsync(Designer, await FormAsync(Designer, "design"), ("op", "delete|risk|support-backlog|confirm"));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.DoesNotContain((await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Scorecard.Risks, r => r.Id == "support-backlog");
    }

    [Fact]
    public async Task InitiativeAndRisk_EditedInFull_AndMilestones_AreStored()
    {
        var editor = _app.Services.GetRequiredService<ScorecardEditor>();

        using var edited = await PostAsync(Designer, await FormAsync(Designer, "design"), ("op", "initiative|agent-academy"),
            ("initiative.name|agent-academy", "Agent academy 2.0"), ("initiative.objectives|agent-academy", "skilled-agents"), ("initiative.owner|agent-academy", "eve@example.org"),
            ("initiative.start|agent-academy", "2026-03-01"), ("initiative.end|agent-academy", "2026-12-31"), ("initiative.budget|agent-academy", "40000"),
            ("initiative.complete|agent-academy", "65"), ("initiative.actualCost|agent-academy", "27500"));
        using var added = await PostAsync(Designer, await FormAsync(Designer, "design"), ("op", "add-milestone|agent-academy"), ("ms.name|agent-academy", "Coaching live"), ("ms.due|agent-academy", "2026-10-31"));
        using var done = await PostAsync(Designer, await FormAsync(Designer, "design"), ("op", "milestone-done|agent-academy|3"));
        using var removed = await PostAsync(Designer, await FormAsync(Designer, "design"), ("op", "milestone-delete|agent-academy|0"));
        using var rated = await PostAsync(Designer, await FormAsync(Designer, "design"), ("op", "risk|support-backlog"),
            ("risk.name|support-backlog", "Backlog while the portal launches"), ("risk.objectives|support-backlog", "fast-answers"), ("risk.likelihood|support-backlog", "4"), ("risk.impact|support-backlog", "3"),
            ("risk.residual.likelihood|support-backlog", "2"), ("risk.residual.impact|support-backlog", "2"), ("risk.review|support-backlog", "2026-09-30"));

        Assert.All(new[] { edited, added, done, removed, rated }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var card = (await editor.GetAsync("customer-support"))!.Scorecard;
        var academy = card.Initiatives.Single(i => i.Id == "agent-academy");
        Assert.Equal(("Agent academy 2.0", 0.65, 27500.0, 40000.0), (academy.Name, academy.Complete!.Value, academy.ActualCost!.Value, academy.Budget!.Value));
        Assert.Equal(["skilled-agents"], academy.Objectives);
        Assert.Equal(["First cohort certified", "Every agent certified", "Coaching live"], academy.Milestones.Select(m => m.Name));
        Assert.Equal(new InitiativeMilestone("Coaching live", new DateOnly(2026, 10, 31), true), academy.Milestones[2]);
        var backlog = card.Risks.Single(r => r.Id == "support-backlog");
        Assert.Equal(("Backlog while the portal launches", new RiskRating(4, 3), (RiskRating?)new RiskRating(2, 2), (DateOnly?)new DateOnly(2026, 9, 30)), (backlog.Name, backlog.Inherent, backlog.Residual, backlog.Review));
    }

    [Fact]
    public async Task AddMilestone_DueAfterTheInitiativeEnds_IsRefusedWithTheValidatorsMessage()
    {
        long before = (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Version;

        using var response = await PostAsync(Designer, await FormAsync(Designer, "design"), ("op", "add-milestone|self-service"), ("ms.name|self-service", "Too late"), ("ms.due|self-service", "2027-01-31"));

        string html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("after the initiative ends (2026-09-30)", html, StringComparison.Ordinal);
        Assert.Equal(before, (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Version);
    }
}
