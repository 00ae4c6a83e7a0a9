using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Editing;

namespace OpenBsc.IntegrationTests.Design;

/// <summary>
/// An organisation that writes 1.234,5 types its designer numbers, what-if values and alert thresholds so; the
/// scorecard (and so its file and the API) keeps invariant numbers, and "12.5" there is no number, said plainly.
/// </summary>
public abstract partial class DesignerPageTests
{
    private const string Fcr = "/scorecards/customer-support/design/measures/first-contact-resolution";

    [Fact]
    public async Task CommaOrganisation_MeasureForm_ReadsAndShowsDecimalCommas()
    {
        await _app.SetFormatAsync(decimalComma: true);
        var form = await FormAsync(Fcr, "measure");

        using var saved = await PostAsync(Fcr, form, ("baseline", "60,25"), ("target", "1.234,5"), ("weight", "0,5"), ("targets", "2026-Q4: 82,5\n2026-12: 1.083"),
            ("scoring.type", "thresholds"), ("scoring.goal", "80,5"), ("scoring.redFlag", "70,25"));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        string html = WebUtility.HtmlDecode(await saved.Content.ReadAsStringAsync());
        Assert.Contains("✔</span> Saved.", html, StringComparison.Ordinal);
        var stored = (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!;
        var measure = stored.Scorecard.AllMeasures().Single(m => m.Id == "first-contact-resolution");
        Assert.Equal((60.25, 1234.5, 0.5, 80.5, 70.25), (measure.Baseline, measure.Target, measure.Weight.Base, measure.Scoring.Goal, measure.Scoring.RedFlag));
        Assert.Equal([82.5, 1083], measure.Targets.Select(t => t.Value));
        // The form shows them back as they are typed here.
        Assert.Contains("name=\"target\" value=\"1234,5\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"scoring.goal\" value=\"80,5\"", html, StringComparison.Ordinal);
        Assert.Contains("2026-Q4: 82,5", html, StringComparison.Ordinal);
        // The definition the API (and the scorecard file) gives stays invariant.
        var (_, body, _) = await _app.SendJsonAsync(HttpMethod.Get, "/api/v1/scorecards/customer-support/definition");
        Assert.Contains("\"target\":1234.5", body!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommaOrganisation_MeasureForm_APointIsNoDecimal_TheErrorNamesTheField_AndNothingIsStored()
    {
        await _app.SetFormatAsync(decimalComma: true);
        long before = (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Version;

        using var response = await PostAsync(Fcr, await FormAsync(Fcr, "measure"), ("target", "12.5"), ("targets", "2026-Q4: 82.5"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        string html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Target: '12.5' is not a number. Enter a number such as 1.234,5 (a comma for decimals).", html, StringComparison.Ordinal);
        Assert.Contains("Targets by period, line 1 '2026-Q4: 82.5': enter a period and a value per line, such as 2026-Q2: 9,5.", html, StringComparison.Ordinal);
        Assert.Equal(before, (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Version);
    }

    [Fact]
    public async Task CommaOrganisation_DesignerWeightsAndInitiativeBudgets_ReadDecimalCommas()
    {
        await _app.SetFormatAsync(decimalComma: true);

        using var weighted = await PostAsync(Designer, await FormAsync(Designer, "design"), ("op", "perspective|customer"), ("p.name|customer", "Customer"), ("p.weight|customer", "1,5"));
        using var added = await PostAsync(Designer, await FormAsync(Designer, "design"), ("op", "add-initiative"), ("initiative.name", "Callback service"),
            ("initiative.budget", "30.000,5"), ("initiative.complete", "12,5"));
        using var refused = await PostAsync(Designer, await FormAsync(Designer, "design"), ("op", "perspective|customer"), ("p.name|customer", "Customer"), ("p.weight|customer", "2.5"));

        Assert.Equal(HttpStatusCode.OK, weighted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var card = (await _app.Services.GetRequiredService<ScorecardEditor>().GetAsync("customer-support"))!.Scorecard;
        Assert.Equal(1.5, card.Perspectives.Single(p => p.Id == "customer").Weight.Base);
        var callback = card.Initiatives.Single(i => i.Id == "callback-service");
        Assert.Equal((30000.5, 0.125), (callback.Budget!.Value, callback.Complete!.Value));
        string designer = WebUtility.HtmlDecode(await _app.Client.GetStringAsync(new Uri(Designer, UriKind.Relative)));
        Assert.Contains("name=\"p.weight|customer\" value=\"1,5\"", designer, StringComparison.Ordinal);
        Assert.Contains("name=\"initiative.budget|callback-service\" value=\"30000,5\"", designer, StringComparison.Ordinal);
        Assert.Contains("Weight '2.5' of Customer: enter a number ≥ 0 such as 1.234,5 (a comma for decimals)", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommaOrganisation_WhatIf_ReadsADecimalComma_AndSaysWhenAValueIsNoNumber()
    {
        await _app.SetFormatAsync(decimalComma: true);

        string tried = WebUtility.HtmlDecode(await _app.Client.GetStringAsync(new Uri("/scorecards/customer-support/what-if?period=2026-06&measure=csat&target=1.090,5", UriKind.Relative)));
        using var refused = await _app.Client.GetAsync(new Uri("/scorecards/customer-support/what-if?period=2026-06&measure=csat&target=90.5", UriKind.Relative));

        Assert.Matches(@"What if, in June 2026, the target of [^<]+ were 1\.090,5%\?", tried);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("The target '90.5' is not a number: enter a number such as 1.234,5 (a comma for decimals).", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommaOrganisation_AlertThreshold_ReadsADecimalComma_AndShowsIt()
    {
        const string alerts = "/scorecards/customer-support/alerts";
        await _app.SetFormatAsync(decimalComma: true);

        using var refused = await PostAsync(alerts, await FormAsync(alerts, "add-rule"), ("kind", "ScoreDrops"), ("threshold", "2.5"), ("recipients", "owners"), ("inApp", "true"));
        using var added = await PostAsync(alerts, await FormAsync(alerts, "add-rule"), ("kind", "ScoreDrops"), ("threshold", "2,5"), ("recipients", "owners"), ("inApp", "true"));

        string problem = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("Threshold: '2.5' is not a number: enter a number such as 1.234,5 (a comma for decimals).", problem, StringComparison.Ordinal);
        Assert.Contains("name=\"threshold\" inputmode=\"decimal\" value=\"2.5\"", problem, StringComparison.Ordinal);
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal([2.5], await db.AlertRules.Where(r => r.Kind == "ScoreDrops").Select(r => r.Threshold).ToListAsync());
        }

        Assert.Contains("A score drops by more than a number of points: 2,5 points", WebUtility.HtmlDecode(await added.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }
}
