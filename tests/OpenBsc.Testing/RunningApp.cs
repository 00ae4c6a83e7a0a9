using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Security;
using OpenBsc.Web;

namespace OpenBsc.Testing;

/// <summary>
/// The real web app on a free loopback port with a new database (demo organisation loaded, as on a first run): a
/// SQLite file in a temporary folder by default, or a new PostgreSQL database. <see cref="Client"/> is signed in as
/// an administrator through the real sign-in form; SignInAsync gives clients for other users and roles. Disposing
/// stops it and deletes the database.
/// </summary>
public sealed partial class RunningApp : IAsyncDisposable
{
    /// <summary>The password every test user gets (long, not a common one).</summary>
    public const string Password = "correct horse battery staple";

    public const string AdminName = "admin@test.example";

    private readonly WebApplication _app;
    private readonly TestDatabase? _database;
    private readonly List<HttpClient> _clients = [];

    private RunningApp(WebApplication app, TestDatabase? database, string? firstPassword)
    {
        _app = app;
        _database = database;
        DataDirectory = database?.Directory ?? "";
        FirstRunPassword = firstPassword;
        BaseAddress = new Uri(app.Urls.First());
        Client = NewClient(allowRedirects: true);
    }

    /// <summary>The SQLite database's folder (empty on PostgreSQL).</summary>
    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    /// <summary>This site's origin, as a browser sends it in the Origin header of its own pages' requests.</summary>
    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>A POST as one of this site's pages sends it (Origin: this site), with <paramref name="client"/>'s session.</summary>
    public async Task<HttpResponseMessage> PostFromSiteAsync(HttpClient client, string url, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, UriKind.Relative)) { Content = content };
        request.Headers.Add("Origin", Origin);
        return await client.SendAsync(request);
    }

    /// <summary>The PostgreSQL database's connection string (null on SQLite).</summary>
    public string? DatabaseConnection => _database?.Provider == DatabaseProvider.Postgres ? _database.Options.ConnectionString : null;

    /// <summary>Signed in as <see cref="AdminName"/>, an administrator of the first organisation.</summary>
    public HttpClient Client { get; }

    /// <summary>The one-time password the first run made for <c>admin</c>.</summary>
    public string? FirstRunPassword { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<RunningApp> StartAsync(bool demo = true, int loginAttemptsPerMinute = 10_000) =>
        StartAsync(DatabaseProvider.Sqlite, demo, loginAttemptsPerMinute);

    /// <summary>Starts the app on a new database; <paramref name="configuration"/> as command-line arguments (e.g. <c>--OpenBsc:Proxies=127.0.0.1</c>).</summary>
    public static Task<RunningApp> StartAsync(DatabaseProvider provider, bool demo = true, int loginAttemptsPerMinute = 10_000, params string[] configuration) =>
        StartAsync(provider, demo, loginAttemptsPerMinute, null, configuration);

    /// <summary>Starts the app on a new database with web settings changed by <paramref name="configure"/> (limits, waits).</summary>
    public static Task<RunningApp> StartAsync(DatabaseProvider provider, Func<WebSettings, WebSettings> configure, bool demo = true) =>
        StartAsync(provider, demo, 10_000, configure, []);

    private static async Task<RunningApp> StartAsync(DatabaseProvider provider, bool demo, int loginAttemptsPerMinute, Func<WebSettings, WebSettings>? configure, string[] configuration)
    {
        var database = await TestDatabase.CreateAsync(provider);
        string? first = null;
        var app = Build(database.Options, demo, loginAttemptsPerMinute, password => first = password, configure, configuration);
        await app.StartAsync();
        var running = new RunningApp(app, database, first);
        await running.AddUserAsync(AdminName, AccessRole.Administrator);
        await SignInAsync(running.Client, AdminName, Password);
        return running;
    }

    /// <summary>
    /// Another node on an existing (migrated) database, which it does not own: for tests of several web nodes. Its
    /// <see cref="Client"/> is not signed in (sign in on any node: the session is valid on every node).
    /// </summary>
    public static async Task<RunningApp> StartNodeAsync(DatabaseOptions database, params string[] configuration)
    {
        var app = Build(database, demo: false, 10_000, _ => { }, configuration: configuration);
        await app.StartAsync();
        return new RunningApp(app, null, null);
    }

    private static WebApplication Build(DatabaseOptions database, bool demo, int loginAttemptsPerMinute, Action<string> firstPassword, Func<WebSettings, WebSettings>? configure = null, string[]? configuration = null)
    {
        var settings = new WebSettings
        {
            Urls = "http://127.0.0.1:0",
            DemoOnFirstRun = demo,
            LoginAttemptsPerMinute = loginAttemptsPerMinute,
            OnAdministratorCreated = (_, password) => firstPassword(password),
        };
        settings = configure?.Invoke(settings) ?? settings;
        return OpenBscWeb.Build(configuration ?? [], database.Provider == DatabaseProvider.Postgres
            ? settings with { Provider = "postgres", Connection = database.ConnectionString }
            : settings with { DataDirectory = Path.GetDirectoryName(database.SqliteFile) });
    }

    /// <summary>A client with no session (cookies kept, redirects not followed unless asked).</summary>
    public HttpClient NewClient(bool allowRedirects = false)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = allowRedirects, CookieContainer = new CookieContainer() }) { BaseAddress = BaseAddress };
        _clients.Add(client);
        return client;
    }

    /// <summary>Creates a user with <see cref="Password"/> (already chosen: no one-time password to change).</summary>
    public async Task AddUserAsync(string email, AccessRole role, string? organisation = null, params (string Scorecard, AccessRole Role)[] scorecardRoles)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Users>();
        var added = await users.AddAsync(email, role, organisation);
        if (!added.Succeeded)
        {
            throw new InvalidOperationException(added.Problem);
        }

        var manager = scope.ServiceProvider.GetRequiredService<UserManager<OpenBscUser>>();
        var user = (await manager.FindByNameAsync(email))!;
        user.PasswordHash = manager.PasswordHasher.HashPassword(user, Password);
        user.MustChangePassword = false;
        await manager.UpdateAsync(user);
        foreach (var (card, cardRole) in scorecardRoles)
        {
            var granted = await users.SetRoleAsync(email, cardRole, card);
            if (!granted.Succeeded)
            {
                throw new InvalidOperationException(granted.Problem);
            }
        }
    }

    /// <summary>
    /// Sets the administrator's organisation's number and date format through the organisation settings, as an
    /// administrator does on the settings page (the rest of the settings kept).
    /// </summary>
    public async Task SetFormatAsync(bool decimalComma, string dateFormat = "yyyy-MM-dd")
    {
        Guid organisation;
        await using (var db = await Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<OpenBscDbContext>>().CreateDbContextAsync())
        {
            organisation = db.Users.Single(u => u.UserName == AdminName).OrganisationId;
        }

        var settings = Services.GetRequiredService<OpenBsc.Application.Features.Organisations.OrganisationSettings>();
        var view = (await settings.GetAsync(organisation))!;
        string Invariant(double x) => x.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problems = await settings.SaveAsync(organisation, new(view.Name, view.TimeZone, Invariant(view.FiscalYearStart),
            decimalComma ? "comma" : "point", dateFormat, Invariant(view.StatusGreenFrom * 100), Invariant(view.StatusYellowFrom * 100),
            null, null, null, null, null, false, null));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems.Select(p => $"{p.Key}: {p.Value}")));
        }
    }

    /// <summary>A new user with <paramref name="role"/>, signed in on a new client that follows redirects.</summary>
    public async Task<HttpClient> SignInAsync(string email, AccessRole role, string? organisation = null, params (string Scorecard, AccessRole Role)[] scorecardRoles)
    {
        await AddUserAsync(email, role, organisation, scorecardRoles);
        var client = NewClient(allowRedirects: true);
        await SignInAsync(client, email, Password);
        return client;
    }

    /// <summary>
    /// Sends a request as the signed-in administrator with an optional JSON body and If-Match header: the status,
    /// the parsed body (null when empty) and the ETag, as the API tests read them.
    /// </summary>
    public async Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body, string? ETag)> SendJsonAsync(HttpMethod method, string url, string? json = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : System.Text.Json.Nodes.JsonNode.Parse(text), response.Headers.ETag?.Tag);
    }

    /// <summary>Signs <paramref name="client"/> in through the sign-in form; returns the response to the form post.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password)
    {
        string token = await AntiforgeryTokenAsync(client, "/login");
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = userName,
            ["password"] = password,
            ["returnUrl"] = "/",
        }));
    }

    /// <summary>The antiforgery token of the first form on <paramref name="page"/>.</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        string html = await client.GetStringAsync(page);
        return TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException($"{page} has no antiforgery token.");
    }

    /// <summary>A personal API token of an existing user.</summary>
    public async Task<string> CreateTokenAsync(string userName, string scope = "write", int days = 30)
    {
        using var serviceScope = Services.CreateScope();
        var user = await serviceScope.ServiceProvider.GetRequiredService<UserManager<OpenBscUser>>().FindByNameAsync(userName) ?? throw new InvalidOperationException($"no user {userName}");
        var (token, problem) = await Services.GetRequiredService<ApiTokens>().CreateAsync(user.Id, "test", scope, days);
        return token?.Secret ?? throw new InvalidOperationException(problem);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
