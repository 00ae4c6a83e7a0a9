using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;
using OpenBsc.Web.Security;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// Each node remembers what a session cookie decrypts to (<see cref="RememberedSessions"/>): a remembered cookie must
/// still end at the next request after sign-out, disable or reset, still be refused once expired, and a tampered
/// copy must be refused. The app's own cookies, sent as a browser sends them, on SQLite and PostgreSQL.
/// </summary>
public abstract class RememberedSessionTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : RememberedSessionTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : RememberedSessionTests(DatabaseProvider.Postgres);

    private const string Api = "/api/v1/scorecards";

    /// <summary>Signs in through the form; returns the cookies as the browser then sends them (session and antiforgery).</summary>
    private static async Task<string> SignInCookiesAsync(RunningApp app, string userName)
    {
        var jar = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var signedIn = await RunningApp.SignInAsync(client, userName, RunningApp.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        string cookies = jar.GetCookieHeader(app.BaseAddress);
        Assert.Contains("openbsc=", cookies, StringComparison.Ordinal);
        return cookies;
    }

    /// <summary>A client that sends exactly <paramref name="cookies"/> every time, whatever the server sets (a copied cookie).</summary>
    private static HttpClient WithCookies(RunningApp app, string cookies)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Add("Cookie", cookies);
        return client;
    }

    private static RememberedSessions Remembered(RunningApp app) =>
        Assert.IsType<RememberedSessions>(app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).TicketDataFormat);

    private static string SessionValue(string cookies) =>
        cookies.Split("; ").Single(c => c.StartsWith("openbsc=", StringComparison.Ordinal))["openbsc=".Length..];

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string url = Api)
    {
        using var response = await client.GetAsync(url);
        return response.StatusCode;
    }

    [Fact]
    public async Task SignOut_EndsARememberedSession_AtTheNextRequest()
    {
        await using var app = await RunningApp.StartAsync(provider);
        await app.AddUserAsync("leaving@test.example", AccessRole.Viewer);
        string cookies = await SignInCookiesAsync(app, "leaving@test.example");
        using var copy = WithCookies(app, cookies);
        using var browser = WithCookies(app, cookies);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(copy));
        }

        Assert.NotNull(Remembered(app).Unprotect(SessionValue(cookies)));
        string token = await RunningApp.AntiforgeryTokenAsync(browser, "/account/tokens");
        using (var logout = await browser.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token })))
        {
            Assert.True(logout.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"sign-out answered {logout.StatusCode}");
        }

        // The cookie still decrypts (it is remembered), but the session it names has ended.
        Assert.NotNull(Remembered(app).Unprotect(SessionValue(cookies)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(copy));
        using var page = await copy.GetAsync("/scorecards/customer-support");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisableAndReset_EndARememberedSession_AtTheNextRequest_AndEnablingDoesNotRevive_It()
    {
        await using var app = await RunningApp.StartAsync(provider);
        await app.AddUserAsync("paused@test.example", AccessRole.Viewer);
        await app.AddUserAsync("reset@test.example", AccessRole.Viewer);
        using var paused = WithCookies(app, await SignInCookiesAsync(app, "paused@test.example"));
        using var reset = WithCookies(app, await SignInCookiesAsync(app, "reset@test.example"));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(paused, "/scorecards/customer-support"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(reset, "/scorecards/customer-support"));
        }

        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Users>();
            Assert.True((await users.DisableAsync("paused@test.example")).Succeeded);
            Assert.True((await users.ResetAsync("reset@test.example")).Succeeded);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(paused));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(reset));
        using (var scope = app.Services.CreateScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<Users>().DisableAsync("paused@test.example", disabled: false)).Succeeded);
        }

        // Enabled again, the user signs in again: the old cookie stays refused.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(paused));
        using var again = WithCookies(app, await SignInCookiesAsync(app, "paused@test.example"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(again));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(paused));
    }

    [Fact]
    public async Task TamperedCopyOfARememberedCookie_IsRefused_AndNotRemembered()
    {
        await using var app = await RunningApp.StartAsync(provider);
        await app.AddUserAsync("genuine@test.example", AccessRole.Viewer);
        string cookies = await SignInCookiesAsync(app, "genuine@test.example");
        using var genuine = WithCookies(app, cookies);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(genuine));
        string value = SessionValue(cookies);
        int middle = value.Length / 2;
        string tampered = value[..middle] + (value[middle] == 'A' ? 'B' : 'A') + value[(middle + 1)..];
        int remembered = Remembered(app).Count;

        using var forged = WithCookies(app, cookies.Replace(value, tampered, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(forged));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(forged));
        Assert.Equal(remembered, Remembered(app).Count);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(genuine));
    }

    [Fact]
    public async Task ExpiredCookie_IsRefused_ThoughRemembered()
    {
        await using var app = await RunningApp.StartAsync(provider, settings => settings with { SessionTimeout = TimeSpan.FromSeconds(10) });
        await app.AddUserAsync("brief@test.example", AccessRole.Viewer);
        string cookies = await SignInCookiesAsync(app, "brief@test.example");
        using var copy = WithCookies(app, cookies);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(copy));
        var expires = Remembered(app).Unprotect(SessionValue(cookies))!.Properties.ExpiresUtc!.Value;

        // Past the cookie's own expiry (real time: the cookie handler reads the system clock).
        var wait = expires - TimeProvider.System.GetUtcNow() + TimeSpan.FromMilliseconds(500);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(copy));
    }

    /// <summary>The data protection ticket format the cookie handler makes, over an in-memory key.</summary>
    private static SecureDataFormat<AuthenticationTicket> RealFormat() =>
        new TicketDataFormat(new EphemeralDataProtectionProvider().CreateProtector("Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", "Identity.Application", "v2"));

    private static AuthenticationTicket Ticket(DateTimeOffset expires) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new Claim(ClaimTypes.Role, "Viewer")], "Identity.Application")),
            new AuthenticationProperties { IssuedUtc = expires.AddMinutes(-30), ExpiresUtc = expires }, "Identity.Application");

    [Fact]
    public void SlidingRenewal_OfAGivenTicket_CannotStretchTheRememberedExpiry()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var remembered = new RememberedSessions(RealFormat(), clock);
        var expires = clock.GetUtcNow().AddMinutes(30);
        string cookie = remembered.Protect(Ticket(expires));

        var first = remembered.Unprotect(cookie)!;
        // What the cookie handler does to the ticket it was given when it renews a sliding session, and what a claims
        // transformation might do to the principal.
        first.Properties.ExpiresUtc = expires.AddHours(8);
        first.Properties.IssuedUtc = expires;
        ((ClaimsIdentity)first.Principal.Identity!).AddClaim(new Claim(ClaimTypes.Role, "Administrator"));

        var second = remembered.Unprotect(cookie)!;
        Assert.Equal(1, remembered.Count);
        Assert.Equal(expires, second.Properties.ExpiresUtc);
        Assert.False(second.Principal.IsInRole("Administrator"));
        second.Properties.ExpiresUtc = expires.AddHours(9);
        Assert.Equal(expires, remembered.Unprotect(cookie)!.Properties.ExpiresUtc);
    }

    [Fact]
    public void ForeignOrTamperedText_IsRefused_AndNeverRemembered()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var remembered = new RememberedSessions(RealFormat(), clock);
        // Made with another key: what a cookie from another installation (or a forged one) looks like.
        string foreign = new RememberedSessions(RealFormat(), clock).Protect(Ticket(clock.GetUtcNow().AddMinutes(30)));
        string genuine = remembered.Protect(Ticket(clock.GetUtcNow().AddMinutes(30)));
        string tampered = genuine[..^4] + (genuine[^4] == 'x' ? 'y' : 'x') + genuine[^3..];

        Assert.Null(remembered.Unprotect(foreign));
        Assert.Null(remembered.Unprotect(tampered));
        Assert.Null(remembered.Unprotect(""));
        Assert.Equal(0, remembered.Count);
        Assert.NotNull(remembered.Unprotect(genuine));
        Assert.Null(remembered.Unprotect(tampered));
        Assert.Equal(1, remembered.Count);
    }

    /// <summary>The real format, counting how often it is asked to decrypt.</summary>
    private sealed class Counted(ISecureDataFormat<AuthenticationTicket> real) : ISecureDataFormat<AuthenticationTicket>
    {
        public int Decrypted { get; private set; }

        public string Protect(AuthenticationTicket data) => real.Protect(data);

        public string Protect(AuthenticationTicket data, string? purpose) => real.Protect(data, purpose);

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Decrypted++;
            return real.Unprotect(protectedText, purpose);
        }
    }

    [Fact]
    public void ARememberedCookie_IsDecryptedOnce_ThenAgainAfterTheKeptTime()
    {
        // After KeptFor the cookie goes back to data protection: a key revoked there stops it within that time.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var format = new Counted(RealFormat());
        var remembered = new RememberedSessions(format, clock);
        string cookie = remembered.Protect(Ticket(clock.GetUtcNow().AddHours(1)));
        for (int i = 0; i < 5; i++)
        {
            Assert.NotNull(remembered.Unprotect(cookie));
        }

        Assert.Equal(1, format.Decrypted);
        clock.Advance(RememberedSessions.KeptFor - TimeSpan.FromSeconds(1));
        Assert.NotNull(remembered.Unprotect(cookie));
        Assert.Equal(1, format.Decrypted);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(remembered.Unprotect(cookie));
        Assert.Equal(2, format.Decrypted);
        Assert.NotNull(remembered.Unprotect(cookie));
        Assert.Equal(2, format.Decrypted);
    }
}
