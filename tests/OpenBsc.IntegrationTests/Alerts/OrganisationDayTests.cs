using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Alerts;
using OpenBsc.Application.Features.Organisations;
using OpenBsc.Application.Features.Security;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Alerts;

/// <summary>
/// "Today" is the organisation's, in its time zone: the alert pass decides overdue data and reminders by it, not by
/// the UTC date. On SQLite and PostgreSQL.
/// </summary>
public abstract class OrganisationDayTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : OrganisationDayTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : OrganisationDayTests(DatabaseProvider.Postgres);

    // 20:00 UTC on 15 April is already 08:00 on 16 April in Auckland (UTC+12).
    private static readonly DateTimeOffset April15Evening = new(2026, 4, 15, 20, 0, 0, TimeSpan.Zero);

    public static async Task SetTimeZoneAsync(IServiceProvider services, Guid organisationId, string zone)
    {
        var settings = services.GetRequiredService<OrganisationSettings>();
        var view = (await settings.GetAsync(organisationId))!;
        var problems = await settings.SaveAsync(organisationId, new OrganisationSettingsForm(view.Name, zone, "1", "point", view.DateFormat, "90", "60", null, null, null, null, null, false, null));
        Assert.Empty(problems);
    }

    [Fact]
    public async Task DataOverdue_FollowsTheOrganisationsDay_NotUtcs()
    {
        await using var world = await AlertsWorld.StartAsync(provider, April15Evening);
        await world.AddUserAsync(AlertsWorld.Owner, AccessRole.DataUpdater);
        var card = await world.StoreAsync(AlertsWorld.Card(out _).WithObservation("csat", "2026-02", 95).Build());
        // March's value is due 15 days after March ends: overdue from 16 April.
        await world.AddRuleAsync(card, new AlertRuleInput("DataOverdue", 15, null, null, "owners", InApp: true, Email: false, Webhook: false));
        var clock = world.Services.GetRequiredService<OrganisationClock>();

        Assert.Equal(new DateOnly(2026, 4, 15), await clock.TodayAsync(card.OrganisationId));
        Assert.Equal(0, (await world.Pass.RunAsync()).Check.Fired);

        await SetTimeZoneAsync(world.Services, card.OrganisationId, "Pacific/Auckland");

        Assert.Equal(new DateOnly(2026, 4, 16), await clock.TodayAsync(card.OrganisationId));
        Assert.Equal(1, (await world.Pass.RunAsync()).Check.Fired);
        Assert.Equal(["Customer satisfaction: the value for 2026-03 is overdue"], (await world.NotificationsAsync()).Select(n => n.Title));
    }

    [Fact]
    public async Task Reminder_BeforeTheClose_FollowsTheOrganisationsDay()
    {
        // 30 April 20:00 UTC: still April in UTC, 1 May in Auckland. A reminder one day before the close is due on
        // 30 April for April; in Auckland April has closed, so the after-close reminder is due instead.
        await using var world = await AlertsWorld.StartAsync(provider, new DateTimeOffset(2026, 4, 30, 20, 0, 0, TimeSpan.Zero));
        await world.AddUserAsync(AlertsWorld.Owner, AccessRole.DataUpdater);
        var card = await world.StoreAsync(AlertsWorld.Card(out _).WithObservation("csat", "2026-03", 95).Build());
        await SetTimeZoneAsync(world.Services, card.OrganisationId, "Pacific/Auckland");
        await world.AddRuleAsync(card, new AlertRuleInput("Reminder", 1, 0, null, "owners", InApp: true, Email: false, Webhook: false));

        await world.Pass.RunAsync();

        Assert.Equal(["Customer satisfaction: the value for 2026-04 is missing"], (await world.NotificationsAsync()).Select(n => n.Title));
    }
}
