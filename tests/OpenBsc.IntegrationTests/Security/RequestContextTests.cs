using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// The scoped request context: what a scope's contexts see and who they audit changes as, and that a pooled context
/// handed to the next scope never keeps the previous one's organisation or actor.
/// </summary>
public abstract class RequestContextTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : RequestContextTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : RequestContextTests(DatabaseProvider.Postgres);

    [Fact]
    public async Task ScopesSeeTheirOwnOrganisation_AuditTheirOwnActor_AndPooledContextsForgetBoth()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        DatabaseSetup.Prepare(database.Options, create: true);
        await using var services = new ServiceCollection().AddOpenBscData(database.Options).BuildServiceProvider();
        var north = Guid.NewGuid();
        var south = Guid.NewGuid();
        await using (var db = await services.GetRequiredService<SystemDbContexts>().CreateDbContextAsync())
        {
            db.Organisations.AddRange(new StoredOrganisation { Id = north, Name = "North" }, new StoredOrganisation { Id = south, Name = "South" });
            await db.SaveChangesAsync();
        }

        // Each organisation creates a scorecard in a scope of its own, as its own user.
        foreach (var (organisation, user, key) in new[] { (north, "nina", "north-card"), (south, "sam", "south-card") })
        {
            await using var scope = services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<RequestContext>().Set(organisation, user);
            var created = await scope.ServiceProvider.GetRequiredService<ScorecardEditor>().CreateAsync(new(ScorecardEditor.NewScorecard(key, key, defaultPerspectives: false), []), user);
            Assert.Equal(EditStatus.Saved, created.Status);
        }

        for (int round = 0; round < 3; round++)
        {
            await using (var scope = services.CreateAsyncScope())
            {
                scope.ServiceProvider.GetRequiredService<RequestContext>().Set(north, "nina");
                await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
                Assert.Equal(["north-card"], await db.Scorecards.Select(s => s.Key).ToListAsync());
                Assert.Equal("nina", db.Actor);
            }

            // The next scope sets nothing: the contexts it is handed (from the same pool) see everything, as the system.
            await using (var scope = services.CreateAsyncScope())
            {
                await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();
                Assert.Equal(["north-card", "south-card"], await db.Scorecards.OrderBy(s => s.Key).Select(s => s.Key).ToListAsync());
                Assert.Equal("system", db.Actor);
            }

            await using (var db = await services.GetRequiredService<SystemDbContexts>().CreateDbContextAsync())
            {
                Assert.Equal(2, await db.Scorecards.CountAsync());
            }
        }

        await using (var db = await services.GetRequiredService<SystemDbContexts>().CreateDbContextAsync())
        {
            var created = await db.AuditLog.Where(a => a.Action == "scorecard.created").OrderBy(a => a.Scorecard).Select(a => new { a.Scorecard, a.Actor, a.OrganisationId }).ToListAsync();
            Assert.Equal([("north-card", "nina", north), ("south-card", "sam", south)], created.Select(c => (c.Scorecard!, c.Actor, c.OrganisationId)));
        }

        Assert.Throws<InvalidOperationException>(() => RequestContext.System.Set(north, "nina"));
    }
}
