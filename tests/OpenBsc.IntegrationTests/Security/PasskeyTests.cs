using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Security;

/// <summary>
/// Passkeys over real HTTP with a software authenticator (a P-256 key signing as a device does: "none" attestation,
/// user present and verified): registration, usernameless sign-in, and every refusal — an unknown passkey, a
/// disabled account, a challenge not issued, a replayed answer, a reset — each with its message and nothing changed.
/// On SQLite and PostgreSQL.
/// </summary>
public abstract class PasskeyTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : PasskeyTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : PasskeyTests(DatabaseProvider.Postgres);

    private const string User = "keyholder@test.example";

    /// <summary>A passkey on a device: its key pair, id and signature counter; it answers as navigator.credentials would.</summary>
    private sealed class SoftPasskey : IDisposable
    {
        private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(16);

        public byte[] UserHandle { get; set; } = [];

        public uint Counter { get; set; }

        public string Create(JsonNode options, string origin)
        {
            UserHandle = Base64Url(options["user"]!["id"]!.GetValue<string>());
            var p = _key.ExportParameters(false);
            byte[] cose = [0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20, .. p.Q.X!, 0x22, 0x58, 0x20, .. p.Q.Y!];
            byte[] authData = [.. RpHash(options["rp"]!["id"]!.GetValue<string>()), 0x45, .. BigEndian(Counter), .. new byte[16], (byte)(CredentialId.Length >> 8), (byte)CredentialId.Length, .. CredentialId, .. cose];
            byte[] attestation = [0xA3, 0x63, .. "fmt"u8, 0x64, .. "none"u8, 0x67, .. "attStmt"u8, 0xA0, 0x68, .. "authData"u8, .. CborBytesHead(authData.Length), .. authData];
            byte[] clientData = ClientData("webauthn.create", options["challenge"]!.GetValue<string>(), origin);
            return JsonSerializer.Serialize(new
            {
                id = Base64Url(CredentialId),
                rawId = Base64Url(CredentialId),
                type = "public-key",
                response = new { attestationObject = Base64Url(attestation), clientDataJSON = Base64Url(clientData), transports = new[] { "internal" } },
                clientExtensionResults = new { },
            });
        }

        public string Get(string rpId, string challenge, string origin)
        {
            Counter++;
            byte[] authData = [.. RpHash(rpId), 0x05, .. BigEndian(Counter)];
            byte[] clientData = ClientData("webauthn.get", challenge, origin);
            byte[] signature = _key.SignData([.. authData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            return JsonSerializer.Serialize(new
            {
                id = Base64Url(CredentialId),
                rawId = Base64Url(CredentialId),
                type = "public-key",
                response = new { authenticatorData = Base64Url(authData), clientDataJSON = Base64Url(clientData), signature = Base64Url(signature), userHandle = Base64Url(UserHandle) },
                clientExtensionResults = new { },
            });
        }

        public void Dispose() => _key.Dispose();

        private static byte[] RpHash(string rpId) => SHA256.HashData(Encoding.UTF8.GetBytes(rpId));

        private static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

        private static byte[] CborBytesHead(int length) => length < 24 ? [(byte)(0x40 + length)] : length < 256 ? [0x58, (byte)length] : [0x59, (byte)(length >> 8), (byte)length];

        private static byte[] ClientData(string type, string challenge, string origin) =>
            JsonSerializer.SerializeToUtf8Bytes(new { type, challenge, origin, crossOrigin = false });
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64Url(string text)
    {
        string base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64 + new string('=', (4 - (base64.Length % 4)) % 4));
    }

    /// <summary>Posts the page's form (its antiforgery token) to the options endpoint, as passkeys.js does.</summary>
    private static async Task<JsonNode> OptionsAsync(HttpClient client, string page, string url, params (string Name, string Value)[] fields)
    {
        string token = await RunningApp.AntiforgeryTokenAsync(client, page);
        using var response = await client.PostAsync(url, new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Adds <paramref name="passkey"/> for the signed-in user of <paramref name="client"/>; returns where the form sent the browser.</summary>
    private static async Task<string> AddAsync(RunningApp app, HttpClient client, SoftPasskey passkey, string name = "Test key", string? origin = null)
    {
        var options = await OptionsAsync(client, "/account/passkeys", "/account/passkeys/options", ("name", name));
        string token = await RunningApp.AntiforgeryTokenAsync(client, "/account/passkeys");
        using var response = await client.PostAsync("/account/passkeys/add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["name"] = name,
            ["credential"] = passkey.Create(options, origin ?? app.Origin),
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Uri.UnescapeDataString(response.Headers.Location!.OriginalString);
    }

    /// <summary>The options and the form fields of a passkey sign-in on a new browser (no session).</summary>
    private static async Task<(HttpClient Client, string Token, JsonNode Options)> StartSignInAsync(RunningApp app, HttpClient? browser = null)
    {
        var client = browser ?? app.NewClient();
        var options = await OptionsAsync(client, "/login", "/account/passkeys/sign-in/options");
        return (client, await RunningApp.AntiforgeryTokenAsync(client, "/login"), options);
    }

    private static async Task<string> FinishSignInAsync(HttpClient client, string token, string credential)
    {
        using var response = await client.PostAsync("/account/passkeys/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["returnUrl"] = "/scorecards/customer-support",
            ["credential"] = credential,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    private static async Task<OpenBscDbContext> DbAsync(RunningApp app) =>
        await app.Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync();

    /// <summary>What a refusal must leave as it was: the passkeys' counters and uses, the audit log, the users' last sign-in.</summary>
    private static async Task<string> StateAsync(RunningApp app)
    {
        await using var db = await DbAsync(app);
        var keys = await db.Passkeys.AsNoTracking().OrderBy(p => p.Name).Select(p => $"{p.Name}:{p.SignCount}:{p.LastUsedAt}").ToListAsync();
        int audit = await db.AuditLog.CountAsync();
        var signIns = await db.Users.AsNoTracking().Where(u => u.UserName == User).Select(u => u.LastSignInAt).ToListAsync();
        return $"{string.Join(",", keys)} | {audit} | {string.Join(",", signIns)}";
    }

    /// <summary>A new user signed in on a browser that shows redirects (as a form's answer) rather than following them.</summary>
    private static async Task<HttpClient> OwnerAsync(RunningApp app, AccessRole role)
    {
        await app.AddUserAsync(User, role);
        var client = app.NewClient();
        using var signedIn = await RunningApp.SignInAsync(client, User, RunningApp.Password);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        return client;
    }

    private async Task<(RunningApp App, SoftPasskey Passkey)> RegisteredAsync()
    {
        var app = await RunningApp.StartAsync(provider);
        var owner = await OwnerAsync(app, AccessRole.Editor);
        var passkey = new SoftPasskey();
        Assert.Equal("/account/passkeys?added=Test key", await AddAsync(app, owner, passkey));
        return (app, passkey);
    }

    [Fact]
    public async Task Add_ThenSignInWithoutAName_StartsASession_Audited()
    {
        var (app, passkey) = await RegisteredAsync();
        await using var _ = app;
        using var __ = passkey;
        await using (var db = await DbAsync(app))
        {
            var stored = await db.Passkeys.AsNoTracking().SingleAsync();
            Assert.Equal("Test key", stored.Name);
            Assert.Equal(passkey.CredentialId, stored.CredentialId);
            Assert.Null(stored.LastUsedAt);
            Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "passkey.added" && a.Subject == $"{User}: Test key" && a.Actor == User));
        }

        var (client, token, options) = await StartSignInAsync(app);
        Assert.Equal(new Uri(app.Origin).Host, options["rpId"]!.GetValue<string>());
        Assert.Equal("required", options["userVerification"]!.GetValue<string>());
        Assert.Empty(options["allowCredentials"]?.AsArray() ?? []);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/scorecards")).StatusCode);
        Assert.Equal("/scorecards/customer-support", await FinishSignInAsync(client, token, passkey.Get(options["rpId"]!.GetValue<string>(), options["challenge"]!.GetValue<string>(), app.Origin)));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/scorecards")).StatusCode);

        await using (var db = await DbAsync(app))
        {
            var stored = await db.Passkeys.AsNoTracking().SingleAsync();
            Assert.Equal(1, stored.SignCount);
            Assert.NotNull(stored.LastUsedAt);
            Assert.NotNull(await db.Users.Where(u => u.UserName == User).Select(u => u.LastSignInAt).SingleAsync());
            Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "passkey.used" && a.Subject == $"{User}: Test key" && a.Actor == User));
        }

        // The list shows it, with its last use.
        var owner = app.NewClient(allowRedirects: true);
        await RunningApp.SignInAsync(owner, User, RunningApp.Password);
        string page = WebUtility.HtmlDecode(await owner.GetStringAsync("/account/passkeys"));
        Assert.Contains("<td>Test key</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">never<", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_WithoutAName_OrWithoutTheOptions_IsRefused_NothingStored()
    {
        await using var app = await RunningApp.StartAsync(provider);
        var owner = await OwnerAsync(app, AccessRole.Viewer);
        string token = await RunningApp.AntiforgeryTokenAsync(owner, "/account/passkeys");
        using var noName = await owner.PostAsync("/account/passkeys/options", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["name"] = " " }));
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Contains("Name: give the passkey a name", await noName.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // An answer to options never asked for (no ceremony under way in this browser).
        using var passkey = new SoftPasskey();
        var forged = JsonNode.Parse($$"""{"rp":{"id":"{{new Uri(app.Origin).Host}}"},"user":{"id":"{{Base64Url(Guid.NewGuid().ToByteArray())}}"},"challenge":"{{Base64Url(RandomNumberGenerator.GetBytes(32))}}"}""")!;
        using var response = await owner.PostAsync("/account/passkeys/add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["name"] = "Forged",
            ["credential"] = passkey.Create(forged, app.Origin),
        }));
        Assert.Equal("/account/passkeys?problem=expired", response.Headers.Location!.OriginalString);
        string page = WebUtility.HtmlDecode(await owner.GetStringAsync("/account/passkeys?problem=expired"));
        Assert.Contains("Adding the passkey took more than 5 minutes", page, StringComparison.Ordinal);
        await using var db = await DbAsync(app);
        Assert.Equal(0, await db.Passkeys.CountAsync());
    }

    [Fact]
    public async Task SignIn_UnknownPasskey_IsRefused_NothingChanged()
    {
        var (app, registered) = await RegisteredAsync();
        await using var _ = app;
        using var __ = registered;
        using var stranger = new SoftPasskey { UserHandle = Guid.NewGuid().ToByteArray() };
        string before = await StateAsync(app);

        var (client, token, options) = await StartSignInAsync(app);
        string location = await FinishSignInAsync(client, token, stranger.Get(options["rpId"]!.GetValue<string>(), options["challenge"]!.GetValue<string>(), app.Origin));
        Assert.StartsWith("/login?problem=passkey-unknown", location, StringComparison.Ordinal);
        Assert.Contains("This passkey is not registered here", WebUtility.HtmlDecode(await client.GetStringAsync(location)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/scorecards")).StatusCode);
        Assert.Equal(before, await StateAsync(app));
    }

    [Fact]
    public async Task SignIn_DisabledAccount_IsRefused_NothingChanged()
    {
        var (app, passkey) = await RegisteredAsync();
        await using var _ = app;
        using var __ = passkey;
        using (var scope = app.Services.CreateScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<Users>().DisableAsync(User)).Succeeded);
        }

        string before = await StateAsync(app);
        var (client, token, options) = await StartSignInAsync(app);
        string location = await FinishSignInAsync(client, token, passkey.Get(options["rpId"]!.GetValue<string>(), options["challenge"]!.GetValue<string>(), app.Origin));
        Assert.StartsWith("/login?problem=passkey-refused", location, StringComparison.Ordinal);
        Assert.Contains("the account is disabled or locked", WebUtility.HtmlDecode(await client.GetStringAsync(location)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/scorecards")).StatusCode);
        Assert.Equal(before, await StateAsync(app));
    }

    [Fact]
    public async Task SignIn_ChallengeNotIssued_OrAnswerReplayed_IsRefused_NothingChanged()
    {
        var (app, passkey) = await RegisteredAsync();
        await using var _ = app;
        using var __ = passkey;
        string before = await StateAsync(app);

        // Signed for a challenge this browser was never given.
        var (client, token, options) = await StartSignInAsync(app);
        string rpId = options["rpId"]!.GetValue<string>();
        string location = await FinishSignInAsync(client, token, passkey.Get(rpId, Base64Url(RandomNumberGenerator.GetBytes(32)), app.Origin));
        Assert.StartsWith("/login?problem=passkey-failed", location, StringComparison.Ordinal);
        Assert.Contains("could not be verified", WebUtility.HtmlDecode(await client.GetStringAsync(location)), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(app));

        // Signed for another site.
        (client, token, options) = await StartSignInAsync(app);
        Assert.StartsWith("/login?problem=passkey-failed", await FinishSignInAsync(client, token, passkey.Get(rpId, options["challenge"]!.GetValue<string>(), "https://evil.example")), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(app));

        // A good sign-in, then its very answer sent again: without the ceremony's cookie (used up), and with a copy
        // of that cookie taken before it was used (an eavesdropper's replay).
        var jar = new CookieContainer();
        using var first = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = jar }) { BaseAddress = app.BaseAddress };
        (client, token, options) = await StartSignInAsync(app, first);
        string answer = passkey.Get(rpId, options["challenge"]!.GetValue<string>(), app.Origin);
        var ceremony = jar.GetCookies(new Uri(app.BaseAddress, "/account/passkeys/sign-in"))["openbsc.passkey-sign-in"]!;
        Assert.Equal("/scorecards/customer-support", await FinishSignInAsync(client, token, answer));
        string after = await StateAsync(app);
        Assert.NotEqual(before, after);

        var replay = app.NewClient();
        string replayToken = await RunningApp.AntiforgeryTokenAsync(replay, "/login");
        Assert.StartsWith("/login?problem=passkey-expired", await FinishSignInAsync(replay, replayToken, answer), StringComparison.Ordinal);
        var copy = new CookieContainer();
        using var withCopy = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = copy }) { BaseAddress = app.BaseAddress };
        string copyToken = await RunningApp.AntiforgeryTokenAsync(withCopy, "/login");
        copy.Add(new Uri(app.BaseAddress, "/account/passkeys/"), new Cookie(ceremony.Name, ceremony.Value, "/account/passkeys"));
        Assert.StartsWith("/login?problem=passkey-failed", await FinishSignInAsync(withCopy, copyToken, answer), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withCopy.GetAsync("/api/v1/scorecards")).StatusCode);
        Assert.Equal(after, await StateAsync(app));
    }

    [Fact]
    public async Task Reset_RemovesThePasskeys_ForGood()
    {
        var (app, passkey) = await RegisteredAsync();
        await using var _ = app;
        using var __ = passkey;
        // The administrator sees the user's passkeys on the user's page, and none after the reset.
        Guid userId;
        await using (var db = await DbAsync(app))
        {
            userId = await db.Users.Where(u => u.UserName == User).Select(u => u.Id).SingleAsync();
        }

        string before = await app.Client.GetStringAsync($"/admin/users/{userId}");
        Assert.Contains("<td data-label=\"Name\">Test key</td>", before, StringComparison.Ordinal);
        using (var scope = app.Services.CreateScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<Users>().ResetAsync(User)).Succeeded);
        }

        string after = await app.Client.GetStringAsync($"/admin/users/{userId}");
        Assert.DoesNotContain("Test key", after, StringComparison.Ordinal);
        Assert.Contains($"None yet. Only {User} can add a passkey", after, StringComparison.Ordinal);

        await using (var db = await DbAsync(app))
        {
            Assert.Equal(0, await db.Passkeys.CountAsync());
            Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "passkey.removed" && a.Subject == $"{User}: Test key"));
        }

        var (client, token, options) = await StartSignInAsync(app);
        Assert.StartsWith("/login?problem=passkey-unknown", await FinishSignInAsync(client, token, passkey.Get(options["rpId"]!.GetValue<string>(), options["challenge"]!.GetValue<string>(), app.Origin)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequiredSecondFactor_APasskeySessionHasIt_APasswordSessionDoesNot()
    {
        var (app, passkey) = await RegisteredAsync();
        await using var _ = app;
        using var __ = passkey;
        await using (var db = await DbAsync(app))
        {
            await db.Organisations.ExecuteUpdateAsync(s => s.SetProperty(o => o.RequireSecondFactor, true));
        }

        var password = app.NewClient();
        await RunningApp.SignInAsync(password, User, RunningApp.Password);
        Assert.Equal("/account/second-factor?required=true", (await password.GetAsync("/scorecards/customer-support")).Headers.Location!.OriginalString);
        // Adding a passkey is a way to meet the rule, so its page stays open.
        Assert.Equal(HttpStatusCode.OK, (await password.GetAsync("/account/passkeys")).StatusCode);

        var (client, token, options) = await StartSignInAsync(app);
        await FinishSignInAsync(client, token, passkey.Get(options["rpId"]!.GetValue<string>(), options["challenge"]!.GetValue<string>(), app.Origin));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/scorecards/customer-support")).StatusCode);
    }

    [Fact]
    public async Task ConfiguredOrigin_IsTheRelyingParty_AnAnswerForTheRequestsAddressIsRefused()
    {
        const string origin = "https://bsc.example.org";
        await using var app = await RunningApp.StartAsync(provider, true, 10_000, $"--OpenBsc:Passkeys:Origin={origin}/");
        var owner = await OwnerAsync(app, AccessRole.Viewer);
        using var passkey = new SoftPasskey();
        Assert.Equal("/account/passkeys?added=Test key", await AddAsync(app, owner, passkey, origin: origin));

        var (client, token, options) = await StartSignInAsync(app);
        Assert.Equal("bsc.example.org", options["rpId"]!.GetValue<string>());
        string challenge = options["challenge"]!.GetValue<string>();
        Assert.StartsWith("/login?problem=passkey-failed", await FinishSignInAsync(client, token, passkey.Get("bsc.example.org", challenge, app.Origin)), StringComparison.Ordinal);
        (client, token, options) = await StartSignInAsync(app);
        Assert.Equal("/scorecards/customer-support", await FinishSignInAsync(client, token, passkey.Get("bsc.example.org", options["challenge"]!.GetValue<string>(), origin)));
    }
}
