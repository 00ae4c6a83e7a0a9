using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// When the organisation starts requiring a second factor, a user without one keeps the API tokens they have
/// (separate credentials, as GitHub treats them) but gets no new one until they set a factor up.
/// </summary>
public abstract class TokensUnderRequiredSecondFactorTests(DatabaseProvider provider)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : TokensUnderRequiredSecondFactorTests(DatabaseProvider.Sqlite);

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres() : TokensUnderRequiredSecondFactorTests(DatabaseProvider.Postgres);

    private const string User = "ci-owner@test.example";

    [Fact]
    public async Task NewToken_RefusedUntilEnrolled_ExistingTokenKeepsWorking()
    {
        await using var app = await RunningApp.StartAsync(provider, demo: false);
        await app.AddUserAsync(User, AccessRole.Editor);
        string existing = await app.CreateTokenAsync(User, "read");
        var tokens = app.Services.GetRequiredService<ApiTokens>();
        Guid userId;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            var user = await db.Users.SingleAsync(u => u.UserName == User);
            userId = user.Id;
            await db.Organisations.Where(o => o.Id == user.OrganisationId).ExecuteUpdateAsync(s => s.SetProperty(o => o.RequireSecondFactor, true));
        }

        var (refused, problem) = await tokens.CreateAsync(userId, "nightly export", "read", 30);

        Assert.Null(refused);
        Assert.Equal(ApiTokens.SecondFactorFirst, problem);
        Assert.Single(await tokens.ListAsync(userId));
        using var client = app.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", existing);
        using (var response = await client.GetAsync(new Uri("/api/v1/scorecards", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // A session begun through single sign-on is exempt, as from the set-up page: the identity provider asks for its own factors.
        var (viaProvider, _) = await tokens.CreateAsync(userId, "from sso", "read", 30, factorsShown: true);
        Assert.NotNull(viaProvider);

        // Once enrolled, new tokens are made again.
        using (var scope = app.Services.CreateScope())
        {
            var manager = scope.ServiceProvider.GetRequiredService<UserManager<OpenBscUser>>();
            Assert.True((await manager.SetTwoFactorEnabledAsync((await manager.FindByNameAsync(User))!, true)).Succeeded);
        }

        var (made, none) = await tokens.CreateAsync(userId, "nightly export", "read", 30);
        Assert.Equal((true, null), (made is not null, none));
        Assert.Equal(3, (await tokens.ListAsync(userId)).Count);
    }
}
