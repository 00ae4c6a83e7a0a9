using OpenBsc.Application.Data;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// An owner e-mail that belongs to an account of another organisation is refused wherever an owner is set (the API
/// the designer shares, actions, the scorecard file import), naming the field, and nothing changes; an address with
/// no account, or this organisation's own, is taken.
/// </summary>
public abstract class ForeignOwnerTests(DatabaseProvider provider)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : ForeignOwnerTests(DatabaseProvider.Sqlite);

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres() : ForeignOwnerTests(DatabaseProvider.Postgres);

    private const string Rival = "Pat@Rival.example";

    [Fact]
    public async Task Api_OwnerOfAnotherOrganisation_IsRefusedNamingTheField_AndNothingChanges()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        await app.AddUserAsync(Rival.ToLowerInvariant(), AccessRole.Editor, "Rival Ltd");
        Assert.Equal(HttpStatusCode.Created, (await app.SendJsonAsync(HttpMethod.Post, "/api/v1/scorecards", """{ "id": "support", "name": "Support", "perspectives": "default" }""")).Status);

        var objective = await app.SendJsonAsync(HttpMethod.Post, "/api/v1/scorecards/support/objectives", $$"""{ "perspective": "customer", "id": "loyal", "name": "Keep customers", "owner": "{{Rival}}" }""");
        var initiative = await app.SendJsonAsync(HttpMethod.Post, "/api/v1/scorecards/support/initiatives", $$"""{ "id": "chatbot", "name": "Chatbot", "owner": "ana@example.org; {{Rival}}" }""");
        var risk = await app.SendJsonAsync(HttpMethod.Post, "/api/v1/scorecards/support/risks", $$"""{ "id": "churn", "name": "Churn", "likelihood": 3, "impact": 4, "owner": "{{Rival}}" }""");

        foreach (var (refused, path) in new[] { (objective, "objectives[0].owner"), (initiative, "initiatives[0].owner"), (risk, "risks[0].owner") })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
            string body = refused.Body!.ToJsonString();
            Assert.Contains(path, body, StringComparison.Ordinal);
            Assert.Contains("is the e-mail of an account in another organisation", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Rival Ltd", body, StringComparison.Ordinal);
        }

        var (status, _, etag) = await app.SendJsonAsync(HttpMethod.Get, "/api/v1/scorecards/support/objectives");
        Assert.Equal((HttpStatusCode.OK, "\"1\""), (status, etag));

        // An address without an account (to invite) and this organisation's own account are owners as before.
        var invited = await app.SendJsonAsync(HttpMethod.Post, "/api/v1/scorecards/support/objectives", """{ "perspective": "customer", "id": "loyal", "name": "Keep customers", "owner": "nobody-yet@example.org" }""");
        var own = await app.SendJsonAsync(HttpMethod.Post, "/api/v1/scorecards/support/measures", $$"""{ "objective": "loyal", "id": "csat", "name": "Satisfaction", "baseline": 0, "target": 100, "owner": "{{RunningApp.AdminName}}" }""");
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (invited.Status, own.Status));

        // An action on the item: same rule.
        var action = await app.SendJsonAsync(HttpMethod.Post, "/api/v1/scorecards/support/actions", $$"""{ "item": "csat", "title": "Call every detractor", "owner": "{{Rival}}" }""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, action.Status);
        Assert.Contains("is the e-mail of an account in another organisation", action.Body!.ToJsonString(), StringComparison.Ordinal);
        var actions = await app.SendJsonAsync(HttpMethod.Get, "/api/v1/scorecards/support/actions");
        Assert.Empty(actions.Body!.AsArray());
        var kept = await app.SendJsonAsync(HttpMethod.Post, "/api/v1/scorecards/support/actions", """{ "item": "csat", "title": "Call every detractor", "owner": "nobody-yet@example.org" }""");
        Assert.Equal(HttpStatusCode.Created, kept.Status);
    }

    [Fact]
    public async Task FileImport_OwnerOfAnotherOrganisation_IsRefusedAndNothingStored()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        await app.AddUserAsync(Rival.ToLowerInvariant(), AccessRole.Editor, "Rival Ltd");
        var data = new ScorecardBuilder().With(c => c with { Id = "ops", Name = "Operations" })
            .WithMeasures(ScorecardBuilder.Measure("calls") with { Owner = Rival })
            .WithMonthly("calls", "2026-01", 90)
            .Build();

        var refused = await Assert.ThrowsAsync<OwnersRefusedException>(() => app.Services.GetRequiredService<ScorecardImport>().ImportAsync([data], new Dictionary<string, string>(), null, "loader", "import ops.yaml"));

        Assert.Contains("scorecard.perspectives[0].objectives[0].measures[0].owner: 'Pat@Rival.example' is the e-mail of an account in another organisation", refused.Message, StringComparison.Ordinal);
        Assert.Null(await app.Services.GetRequiredService<ScorecardSnapshots>().GetAsync("ops"));
    }
}
