using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Alerts;
using OpenBsc.Application.Features.Observations;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Alerts;

/// <summary>
/// One test's world: its own database (SQLite file or PostgreSQL), a fake clock, a real SMTP sink and a real webhook
/// listener on loopback, and the application services as a node builds them. Each test gets a new world, because an
/// alert pass handles every scorecard and delivery in its database.
/// </summary>
public sealed class AlertsWorld : IAsyncDisposable
{
    public const string Organisation = "Alerts org";
    public const string Owner = "owner@test.example";

    private readonly TestDatabase _database;
    private readonly List<ServiceProvider> _nodes = [];

    private AlertsWorld(TestDatabase database, SmtpSink smtp, WebhookListener hooks, FakeTimeProvider clock, AlertSettings settings)
    {
        _database = database;
        Smtp = smtp;
        Hooks = hooks;
        Clock = clock;
        Settings = settings;
        Services = NewNode();
    }

    public SmtpSink Smtp { get; }

    public WebhookListener Hooks { get; }

    public FakeTimeProvider Clock { get; }

    public AlertSettings Settings { get; }

    /// <summary>The first node's services.</summary>
    public ServiceProvider Services { get; }

    public static async Task<AlertsWorld> StartAsync(DatabaseProvider provider, DateTimeOffset now, Func<AlertSettings, AlertSettings>? configure = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        if (provider == DatabaseProvider.Sqlite)
        {
            DatabaseSetup.Prepare(database.Options, create: true);
        }

        var smtp = new SmtpSink();
        var settings = new AlertSettings
        {
            Smtp = new SmtpSettings { Host = "127.0.0.1", Port = smtp.Port, From = "alerts@test.example", Security = "none" },
            Retries = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)],
            SendTimeout = TimeSpan.FromSeconds(5),
            BaseUrl = "https://bsc.test.example",
        };
        return new AlertsWorld(database, smtp, await WebhookListener.StartAsync(), new FakeTimeProvider(now), configure?.Invoke(settings) ?? settings);
    }

    /// <summary>Another node on the same database (its own services and caches), same clock and settings.</summary>
    public ServiceProvider NewNode()
    {
        var node = new ServiceCollection().AddSingleton<TimeProvider>(Clock).AddSingleton(Settings).AddOpenBscData(_database.Options).BuildServiceProvider();
        _nodes.Add(node);
        return node;
    }

    public AlertPass Pass => Services.GetRequiredService<AlertPass>();

    public AlertRules Rules => Services.GetRequiredService<AlertRules>();

    /// <summary>Stores a scorecard (and its observations) in the test organisation; returns its reference.</summary>
    public async Task<ScorecardRef> StoreAsync(ScorecardData data)
    {
        await Services.GetRequiredService<ScorecardImport>().ImportAsync([data], new Dictionary<string, string>(), Organisation, "setup", "setup");
        return (await Services.ScorecardRefAsync(data.Scorecard.Id))!;
    }

    /// <summary>Adds a user (e-mail name) to the test organisation; returns its id.</summary>
    public async Task<Guid> AddUserAsync(string email, AccessRole role)
    {
        using var scope = Services.CreateScope();
        var added = await scope.ServiceProvider.GetRequiredService<Users>().AddAsync(email, role, Organisation);
        Assert.True(added.Succeeded, added.Problem);
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Users.Where(u => u.UserName == email).Select(u => u.Id).SingleAsync();
    }

    /// <summary>Saves observations as a user would (CSV import: measure,period,value lines).</summary>
    public async Task ObserveAsync(string scorecard, params string[] rows)
    {
        string csv = "measure,period,value\n" + string.Join("\n", rows) + "\n";
        var result = await Services.GetRequiredService<ObservationImport>().ImportAsync(scorecard, new MemoryStream(Encoding.UTF8.GetBytes(csv)), ObservationFileFormat.Csv, "values.csv", "tester");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
    }

    public async Task<AlertRuleRow> AddRuleAsync(ScorecardRef card, AlertRuleInput input)
    {
        var (rule, errors) = await Rules.AddAsync(card, input, "tester");
        Assert.True(rule is not null, string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        return rule!;
    }

    public IDbContextFactory<OpenBscDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<OpenBscDbContext>>();

    public async Task<List<StoredDelivery>> DeliveriesAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Deliveries.AsNoTracking().OrderBy(d => d.Id).ToListAsync();
    }

    public async Task<List<StoredNotification>> NotificationsAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Notifications.AsNoTracking().OrderBy(n => n.Id).ToListAsync();
    }

    /// <summary>A monthly measure csat (target 100, owned by <see cref="Owner"/>) in a scorecard with a fresh key.</summary>
    public static ScorecardBuilder Card(out string key, Func<Measure, Measure>? measure = null)
    {
        key = "alerts-" + Guid.NewGuid().ToString("N")[..8];
        var csat = ScorecardBuilder.Measure("csat") with { Name = "Customer satisfaction", Owner = Owner };
        string id = key;
        return new ScorecardBuilder().With(c => c with { Id = id, Name = "Support " + id }).WithMeasures(measure?.Invoke(csat) ?? csat);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await Hooks.DisposeAsync();
        await Smtp.DisposeAsync();
        await _database.DisposeAsync();
    }
}
