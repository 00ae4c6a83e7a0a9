using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Organisations;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>The audit log page over real HTTP: filters by who, what and when, pages, a diff of definition changes, CSV of the filtered rows.</summary>
public abstract class AuditPageTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : AuditPageTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : AuditPageTests(DatabaseProvider.Postgres);

    [Fact]
    public async Task DefinitionChange_IsShownAsWhatChanged_FiltersAndPagesWork()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var (_, definition, etag) = await app.SendJsonAsync(HttpMethod.Get, "/api/v1/scorecards/customer-support/definition");
        var measure = definition!["scorecard"]!["perspectives"]!.AsArray().SelectMany(p => p!["objectives"]!.AsArray()).SelectMany(o => o!["measures"]!.AsArray())
            .Single(m => (string?)m!["id"] == "cost-per-ticket")!.AsObject();
        measure["name"] = "Cost to serve a ticket";
        var (status, _, _) = await app.SendJsonAsync(HttpMethod.Put, "/api/v1/scorecards/customer-support/definition", definition.ToJsonString(), etag);
        Assert.Equal(HttpStatusCode.OK, status);
        await app.AddUserAsync("audited@test.example", AccessRole.Viewer);

        string changes = WebUtility.HtmlDecode(await app.Client.GetStringAsync("/audit?what=scorecard&user=admin%40test.example"));
        Assert.Contains("[cost-per-ticket].name</code>: Cost per ticket → Cost to serve a ticket", changes, StringComparison.Ordinal);
        Assert.Contains("Changes 1–1, newest first", changes, StringComparison.Ordinal);
        Assert.DoesNotContain("observation.added", changes, StringComparison.Ordinal);

        // Values written one at a time are one change each (a batch is one): 55 of them make a second page.
        for (int month = 1; month <= 55; month++)
        {
            string period = $"{2020 + (month - 1) / 12}-{(month - 1) % 12 + 1:00}";
            var (added, _, _) = await app.SendJsonAsync(HttpMethod.Post, "/api/v1/scorecards/customer-support/measures/cost-per-ticket/observations", $$"""{"period":"{{period}}","value":{{month}}}""");
            Assert.Equal(HttpStatusCode.Created, added);
        }

        string values = WebUtility.HtmlDecode(await app.Client.GetStringAsync("/audit?what=observations.written"));
        Assert.Contains("1 row, 1 added, 0 corrected, 0 unchanged — cost-per-ticket 2024-07: 55", values, StringComparison.Ordinal);
        string first = await app.Client.GetStringAsync("/audit");
        Assert.Contains("rel=\"next\"", first, StringComparison.Ordinal);
        string second = WebUtility.HtmlDecode(await app.Client.GetStringAsync("/audit?page=2"));
        Assert.Contains("Changes 51–", second, StringComparison.Ordinal);
        Assert.Contains("rel=\"prev\"", second, StringComparison.Ordinal);

        string csv = await app.Client.GetStringAsync("/audit.csv?what=user");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines.Skip(1), l => Assert.Contains(",user.", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("audited@test.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FromAndTo_AreDaysOfTheOrganisationsTimeZone_OnThePageAndInTheExport()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var contexts = app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>();
        Guid organisation;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            organisation = db.Users.Single(u => u.UserName == RunningApp.AdminName).OrganisationId;
            await db.Organisations.Where(o => o.Id == organisation).ExecuteUpdateAsync(s => s.SetProperty(o => o.TimeZone, "Pacific/Kiritimati"));
            // Noon UTC on 10 March is 02:00 on 11 March at UTC+14: the organisation's 11 March.
            db.AuditLog.Add(new StoredAuditEntry { OrganisationId = organisation, At = new DateTime(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc), Actor = "night-shift@test.example", Action = "user.disabled", Subject = "kiritimati-check" });
            await db.SaveChangesAsync();
        }

        app.Services.GetRequiredService<OrganisationClock>().Forget(organisation);

        Assert.Contains("kiritimati-check", await app.Client.GetStringAsync("/audit?from=2026-03-11&to=2026-03-11"), StringComparison.Ordinal);
        Assert.DoesNotContain("kiritimati-check", await app.Client.GetStringAsync("/audit?from=2026-03-10&to=2026-03-10"), StringComparison.Ordinal);
        Assert.Contains("kiritimati-check", await app.Client.GetStringAsync("/audit.csv?from=2026-03-11&to=2026-03-11"), StringComparison.Ordinal);
        Assert.DoesNotContain("kiritimati-check", await app.Client.GetStringAsync("/audit.csv?to=2026-03-10"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/audit?what=everything", "What: 'everything' is not a kind of change")]
    [InlineData("/audit?from=2026-05-01&to=2026-04-01", "From (2026-05-01) is after To (2026-04-01)")]
    [InlineData("/audit?from=yesterday", "'yesterday' is not a date: use YYYY-MM-DD.")]
    public async Task BadFilter_SaysWhatIsWrong(string url, string expected)
    {
        await using var app = await RunningApp.StartAsync(provider);
        Assert.Contains(expected, WebUtility.HtmlDecode(await app.Client.GetStringAsync(url)), StringComparison.Ordinal);
        using var csv = await app.Client.GetAsync(url.Replace("/audit?", "/audit.csv?", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, csv.StatusCode);
    }
}
