using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Alerts;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Testing;

namespace OpenBsc.IntegrationTests.Alerts;

/// <summary>
/// Alerts end to end on a real database: observations turn a measure red, the pass writes one notification, one
/// e-mail that really reaches a loopback SMTP server and one signed webhook call that really reaches a loopback
/// listener; retries, failures, reminders by the fiscal calendar, digests and two nodes sending at once.
/// </summary>
public abstract class AlertFlowTests(DatabaseProvider provider)
{
    /// <summary>The tests on the embedded SQLite file.</summary>
    public sealed class OnSqlite() : AlertFlowTests(DatabaseProvider.Sqlite);

    /// <summary>The same tests on PostgreSQL.</summary>
    public sealed class OnPostgres() : AlertFlowTests(DatabaseProvider.Postgres);

    private static readonly DateTimeOffset April10 = new(2026, 4, 10, 9, 0, 0, TimeSpan.Zero);

    private static AlertRuleInput RedToOwners => new("MeasureTurnsRed", null, null, null, "owners", InApp: true, Email: true, Webhook: true);

    [Fact]
    public async Task RunAsync_MeasureTurnsRed_FiresOncePerCrossingOnEveryChannel()
    {
        await using var world = await AlertsWorld.StartAsync(provider, April10);
        var owner = await world.AddUserAsync(AlertsWorld.Owner, AccessRole.DataUpdater);
        await world.AddUserAsync("bystander@test.example", AccessRole.Viewer);
        var card = await world.StoreAsync(AlertsWorld.Card(out string key).WithObservation("csat", "2026-02", 95).WithObservation("csat", "2026-03", 92).Build());
        var hook = (await world.Rules.AddWebhookAsync(card, world.Hooks.Url)).Webhook!;
        await world.AddRuleAsync(card, RedToOwners);

        var green = await world.Pass.RunAsync();
        await world.ObserveAsync(key, "csat,2026-04,20");
        var red = await world.Pass.RunAsync();
        var again = await world.Pass.RunAsync();

        Assert.Equal(0, green.Check.Fired);
        Assert.Equal((1, 1, 2), (red.Check.Fired, red.Check.Notifications, red.Check.Queued));
        Assert.Equal(new SendSummary(2, 0, 0), red.Send);
        Assert.Equal((0, 0, 0), (again.Check.Fired, again.Check.Notifications, again.Check.Queued));
        var notification = Assert.Single(await world.NotificationsAsync());
        Assert.Equal((owner, key, "Customer satisfaction turned red"), (notification.UserId, notification.Scorecard, notification.Title));
        Assert.Equal($"/scorecards/{key}/measures/csat", notification.Link);

        var mail = Assert.Single(await world.Smtp.WaitForAsync(1));
        Assert.Equal(["owner@test.example"], mail.To);
        var message = MimeMessage.Load(new MemoryStream(System.Text.Encoding.Latin1.GetBytes(mail.Data)));
        Assert.Equal($"[OpenBsc] Support {key}: Customer satisfaction turned red", message.Subject);
        Assert.Contains("is Red at 2026-04: value 20, target 100", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"https://bsc.test.example/scorecards/{key}/measures/csat", message.TextBody, StringComparison.Ordinal);

        var call = Assert.Single(world.Hooks.Calls);
        Assert.True(WebhookSignature.Verify(hook.Secret, call.Headers[WebhookSignature.TimestampHeader], call.Body, call.Headers[WebhookSignature.SignatureHeader], world.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_wrong", call.Headers[WebhookSignature.TimestampHeader], call.Body, call.Headers[WebhookSignature.SignatureHeader], world.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.Equal(world.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), call.Headers[WebhookSignature.TimestampHeader]);
        using var json = JsonDocument.Parse(call.Body);
        Assert.Equal(("alert.fired", key, "csat", "MeasureTurnsRed"), (json.RootElement.GetProperty("event").GetString(), json.RootElement.GetProperty("scorecard").GetString(),
            json.RootElement.GetProperty("subject").GetString(), json.RootElement.GetProperty("rule").GetProperty("kind").GetString()));

        // Clears when the measure is no longer red, fires again on the next crossing.
        await world.ObserveAsync(key, "csat,2026-05,96");
        var cleared = await world.Pass.RunAsync();
        await world.ObserveAsync(key, "csat,2026-06,10");
        var recrossed = await world.Pass.RunAsync();

        Assert.Equal((0, 1), (cleared.Check.Fired, cleared.Check.Cleared));
        Assert.Equal(1, recrossed.Check.Fired);
        Assert.Equal(2, (await world.NotificationsAsync()).Count);
        Assert.Equal(2, (await world.Smtp.WaitForAsync(2)).Count);
        Assert.Equal(2, world.Hooks.Calls.Count);
        Assert.Contains("2026-06", (await world.NotificationsAsync())[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ScoreDropsDataOverdueAndInitiativeLate_EachFireOnceAndClear()
    {
        await using var world = await AlertsWorld.StartAsync(provider, April10);
        await world.AddUserAsync(AlertsWorld.Owner, AccessRole.DataUpdater);
        var portal = new Initiative { Id = "portal", Name = "Self-service portal", Owner = AlertsWorld.Owner, Start = new DateOnly(2026, 1, 1), End = new DateOnly(2026, 3, 31), Complete = 0.5 };
        var card = await world.StoreAsync(AlertsWorld.Card(out string key).With(c => c with { Initiatives = [portal] })
            .WithObservation("csat", "2026-02", 95).WithObservation("csat", "2026-03", 95).Build());
        foreach (var input in new[] { ("ScoreDrops", 30.0, "csat"), ("DataOverdue", 5.0, (string?)null), ("InitiativeLate", 0.0, null) })
        {
            await world.AddRuleAsync(card, new AlertRuleInput(input.Item1, input.Item2, null, input.Item3, "owners", InApp: true, Email: false, Webhook: false));
        }

        var passes = new List<AlertCheckSummary> { (await world.Pass.RunAsync()).Check };
        await world.ObserveAsync(key, "csat,2026-04,20");
        passes.Add((await world.Pass.RunAsync()).Check);
        world.Clock.Advance(TimeSpan.FromDays(27));
        passes.Add((await world.Pass.RunAsync()).Check);
        world.Clock.Advance(TimeSpan.FromDays(30));
        passes.Add((await world.Pass.RunAsync()).Check);
        await world.ObserveAsync(key, "csat,2026-05,90");
        passes.Add((await world.Pass.RunAsync()).Check);

        Assert.Equal([(1, 0), (1, 0), (0, 0), (1, 0), (0, 2)], passes.Select(p => (p.Fired, p.Cleared)));
        Assert.Equal(
            ["Self-service portal is late", "Customer satisfaction dropped 75 points", "Customer satisfaction: the value for 2026-05 is overdue"],
            (await world.NotificationsAsync()).Select(n => n.Title));
    }

    [Fact]
    public async Task SendDueAsync_WebhookFailsTwice_IsRetriedWithBackoffAndSignedEachTime()
    {
        await using var world = await AlertsWorld.StartAsync(provider, April10);
        await world.AddUserAsync(AlertsWorld.Owner, AccessRole.DataUpdater);
        var card = await world.StoreAsync(AlertsWorld.Card(out string key).WithObservation("csat", "2026-03", 95).Build());
        var hook = (await world.Rules.AddWebhookAsync(card, world.Hooks.Url)).Webhook!;
        await world.AddRuleAsync(card, RedToOwners with { InApp = false, Email = false });
        world.Hooks.FailFirst = 2;
        await world.ObserveAsync(key, "csat,2026-04,20");

        var first = await world.Pass.RunAsync();
        var notYetDue = await world.Pass.RunAsync();
        var afterFirstWait = (await world.DeliveriesAsync()).Single();
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await world.Pass.RunAsync();
        world.Clock.Advance(TimeSpan.FromMinutes(4));
        var tooEarly = await world.Pass.RunAsync();
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var third = await world.Pass.RunAsync();

        Assert.Equal(new SendSummary(0, 1, 0), first.Send);
        Assert.Equal(new SendSummary(0, 0, 0), notYetDue.Send);
        Assert.Equal((DeliveryStatus.Pending, 1, "HTTP 500 Internal Server Error", April10.UtcDateTime.AddMinutes(1)),
            (afterFirstWait.Status, afterFirstWait.Attempts, afterFirstWait.LastError, afterFirstWait.NextAttemptAt));
        Assert.Equal(new SendSummary(0, 1, 0), second.Send);
        Assert.Equal(new SendSummary(0, 0, 0), tooEarly.Send);
        Assert.Equal(new SendSummary(1, 0, 0), third.Send);
        var calls = world.Hooks.Calls;
        Assert.Equal([500, 500, 200], calls.Select(c => c.Answered));
        Assert.All(calls, c => Assert.True(WebhookSignature.Verify(hook.Secret, c.Headers[WebhookSignature.TimestampHeader], c.Body, c.Headers[WebhookSignature.SignatureHeader], world.Clock.GetUtcNow(), TimeSpan.FromMinutes(10))));
        Assert.Single(calls.Select(c => c.Headers[WebhookSignature.DeliveryHeader]).Distinct());
        var delivered = (await world.DeliveriesAsync()).Single();
        Assert.Equal((DeliveryStatus.Sent, 3, (string?)null), (delivered.Status, delivered.Attempts, delivered.LastError));
    }

    [Fact]
    public async Task SendDueAsync_SmtpAndWebhookDown_RecordedFailedAfterTheLastTryWithTheError_ThenRetriedByAnAdministrator()
    {
        int closed = SmtpSink.ClosedPort();
        await using var world = await AlertsWorld.StartAsync(provider, April10, s => s with { Smtp = s.Smtp with { Port = closed } });
        await world.AddUserAsync(AlertsWorld.Owner, AccessRole.DataUpdater);
        var card = await world.StoreAsync(AlertsWorld.Card(out string key).WithObservation("csat", "2026-03", 95).Build());
        await world.Rules.AddWebhookAsync(card, world.Hooks.Url);
        await world.AddRuleAsync(card, RedToOwners);
        world.Hooks.FailFirst = int.MaxValue;

        // Saving the value that fires the alert succeeds whatever the state of the mail and webhook servers.
        await world.ObserveAsync(key, "csat,2026-04,20");
        var attempts = new List<SendSummary> { (await world.Pass.RunAsync()).Send };
        foreach (int wait in new[] { 1, 5 })
        {
            world.Clock.Advance(TimeSpan.FromMinutes(wait));
            attempts.Add((await world.Pass.RunAsync()).Send);
        }

        world.Clock.Advance(TimeSpan.FromDays(1));
        attempts.Add((await world.Pass.RunAsync()).Send);

        Assert.Equal([new SendSummary(0, 2, 0), new SendSummary(0, 2, 0), new SendSummary(0, 0, 2), new SendSummary(0, 0, 0)], attempts);
        var rows = await world.DeliveriesAsync();
        Assert.All(rows, r => Assert.Equal((DeliveryStatus.Failed, 3), (r.Status, r.Attempts)));
        Assert.Contains("SocketException", rows.Single(r => r.Channel == "email").LastError, StringComparison.Ordinal);
        Assert.Equal("HTTP 500 Internal Server Error", rows.Single(r => r.Channel == "webhook").LastError);
        Assert.Equal(3, world.Hooks.Calls.Count);
        var sender = world.Services.GetRequiredService<DeliverySender>();
        var failed = await sender.ListAsync(card.OrganisationId, DeliveryStatus.Failed);
        Assert.Equal(2, failed.Count);
        Assert.Empty(await sender.ListAsync(Guid.NewGuid(), null));

        // The listener is back: an administrator's retry sends it.
        world.Hooks.FailFirst = 0;
        long webhook = rows.Single(r => r.Channel == "webhook").Id;
        Assert.True(await sender.RetryAsync(card.OrganisationId, webhook));
        Assert.False(await sender.RetryAsync(Guid.NewGuid(), webhook));
        var retried = await world.Pass.RunAsync();

        Assert.Equal(new SendSummary(1, 0, 0), retried.Send);
        Assert.Equal(DeliveryStatus.Sent, (await world.DeliveriesAsync()).Single(r => r.Id == webhook).Status);
    }

    [Fact]
    public async Task SendDueAsync_TwoNodesAtOnce_SendEachDeliveryExactlyOnce()
    {
        await using var world = await AlertsWorld.StartAsync(provider, April10);
        var card = await world.StoreAsync(AlertsWorld.Card(out _).Build());
        var hook = (await world.Rules.AddWebhookAsync(card, world.Hooks.Url)).Webhook!;
        await using (var db = await world.Contexts.CreateDbContextAsync())
        {
            for (int i = 0; i < 30; i++)
            {
                db.Deliveries.Add(new StoredDelivery
                {
                    OrganisationId = card.OrganisationId, Channel = "webhook", Target = hook.Url, WebhookId = hook.Id, Subject = "alert.fired",
                    Payload = $"{{\"n\":{i}}}", Status = DeliveryStatus.Pending, NextAttemptAt = April10.UtcDateTime, CreatedAt = April10.UtcDateTime,
                });
            }

            await db.SaveChangesAsync();
        }

        var other = world.NewNode();
        var results = await Task.WhenAll(
            world.Services.GetRequiredService<DeliverySender>().SendDueAsync(),
            other.GetRequiredService<DeliverySender>().SendDueAsync());

        Assert.Equal(30, results.Sum(r => r.Sent));
        Assert.Equal(30, world.Hooks.Calls.Count);
        Assert.Equal(30, world.Hooks.Calls.Select(c => c.Headers[WebhookSignature.DeliveryHeader]).Distinct().Count());
        Assert.All(await world.DeliveriesAsync(), d => Assert.Equal((DeliveryStatus.Sent, 1), (d.Status, d.Attempts)));
    }

    [Fact]
    public async Task RunAsync_ReminderRule_FollowsTheFiscalCalendarAndRemindsOncePerPeriod()
    {
        // Fiscal year from April: the quarterly measure's FY2027 Q1 closes on 30 June 2026.
        await using var world = await AlertsWorld.StartAsync(provider, new DateTimeOffset(2026, 6, 26, 8, 0, 0, TimeSpan.Zero));
        var owner = await world.AddUserAsync(AlertsWorld.Owner, AccessRole.DataUpdater);
        var card = await world.StoreAsync(AlertsWorld.Card(out string key, m => m with { Frequency = PeriodKind.Quarter })
            .With(c => c with { Calendar = new FiscalCalendar(4) }).WithObservation("csat", "2026-Q4", 90).Build());
        await world.AddRuleAsync(card, new AlertRuleInput("Reminder", 3, 5, null, null, InApp: true, Email: true, Webhook: false));

        var fourDaysBefore = await world.Pass.RunAsync();
        world.Clock.Advance(TimeSpan.FromDays(1));
        var threeDaysBefore = await world.Pass.RunAsync();
        world.Clock.Advance(TimeSpan.FromDays(1));
        var twoDaysBefore = await world.Pass.RunAsync();
        world.Clock.Advance(TimeSpan.FromDays(8));
        var fiveDaysAfter = await world.Pass.RunAsync();

        Assert.Equal([0, 1, 0, 1], new[] { fourDaysBefore, threeDaysBefore, twoDaysBefore, fiveDaysAfter }.Select(p => p.Check.Reminders));
        var notes = await world.NotificationsAsync();
        Assert.Equal(["Customer satisfaction: enter the value for 2027-Q1", "Customer satisfaction: the value for 2027-Q1 is missing"], notes.Select(n => n.Title));
        Assert.All(notes, n => Assert.Equal(owner, n.UserId));
        Assert.Contains("closes on 2026-06-30", notes[0].Body, StringComparison.Ordinal);
        var mails = await world.Smtp.WaitForAsync(2);
        Assert.All(mails, m => Assert.Equal([AlertsWorld.Owner], m.To));
    }

    [Fact]
    public async Task RunAsync_DigestDay_SendsOneDigestPerUserAndWeek()
    {
        // 13 April 2026 is a Monday (the default digest day); the alert fired the week before.
        await using var world = await AlertsWorld.StartAsync(provider, April10);
        await world.AddUserAsync(AlertsWorld.Owner, AccessRole.DataUpdater);
        await world.AddUserAsync("editor@test.example", AccessRole.Editor);
        var card = await world.StoreAsync(AlertsWorld.Card(out string key).WithObservation("csat", "2026-04", 20).Build());
        await world.AddRuleAsync(card, new AlertRuleInput("MeasureTurnsRed", null, null, null, "role:editor", InApp: true, Email: false, Webhook: false));

        var friday = await world.Pass.RunAsync();
        world.Clock.Advance(TimeSpan.FromDays(3));
        var monday = await world.Pass.RunAsync();
        world.Clock.Advance(TimeSpan.FromDays(1));
        var tuesday = await world.Pass.RunAsync();

        Assert.Equal((1, 0), (friday.Check.Fired, friday.Check.Digests));
        Assert.Equal(1, monday.Check.Digests);
        Assert.Equal(0, tuesday.Check.Digests);
        var mail = Assert.Single(await world.Smtp.WaitForAsync(1));
        Assert.Equal(["editor@test.example"], mail.To);
        var message = MimeMessage.Load(new MemoryStream(System.Text.Encoding.Latin1.GetBytes(mail.Data)));
        Assert.Equal("[OpenBsc] Weekly digest 2026-W16: 1 alert firing", message.Subject);
        Assert.Contains($"Support {key}: red — Customer satisfaction (since 2026-04-10)", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TwoNodesCheckAtOnce_FireTheAlertOnce()
    {
        await using var world = await AlertsWorld.StartAsync(provider, April10);
        await world.AddUserAsync(AlertsWorld.Owner, AccessRole.DataUpdater);
        var card = await world.StoreAsync(AlertsWorld.Card(out _).WithObservation("csat", "2026-04", 20).Build());
        await world.AddRuleAsync(card, RedToOwners with { Email = false, Webhook = false });
        var other = world.NewNode();

        var results = await Task.WhenAll(world.Services.GetRequiredService<AlertCheck>().RunAsync(), other.GetRequiredService<AlertCheck>().RunAsync());

        Assert.Equal(1, results.Sum(r => r.Fired));
        Assert.Single(await world.NotificationsAsync());
    }

    [Fact]
    public async Task DeleteAsync_FiringRule_ForgetsWhatItWasFiring()
    {
        await using var world = await AlertsWorld.StartAsync(provider, April10);
        await world.AddUserAsync(AlertsWorld.Owner, AccessRole.DataUpdater);
        var card = await world.StoreAsync(AlertsWorld.Card(out _).WithObservation("csat", "2026-04", 20).Build());
        var rule = await world.AddRuleAsync(card, RedToOwners with { Email = false, Webhook = false });
        await world.Pass.RunAsync();
        int firing = (await world.Rules.ListAsync(card)).Single().Firing;

        bool deleted = await world.Rules.DeleteAsync(card, rule.Id);

        Assert.Equal(1, firing);
        Assert.True(deleted);
        Assert.False(await world.Rules.DeleteAsync(card, rule.Id));
        await using var db = await world.Contexts.CreateDbContextAsync();
        Assert.Equal(0, await db.AlertStates.CountAsync());
    }

    [Fact]
    public async Task AddAsync_BadRule_NamesEveryField()
    {
        await using var world = await AlertsWorld.StartAsync(provider, April10);
        var card = await world.StoreAsync(AlertsWorld.Card(out _).Build());

        var (rule, errors) = await world.Rules.AddAsync(card, new AlertRuleInput("ScoreDrops", 0, null, "nope", "everyone", false, false, false), "tester");
        var (_, kind) = await world.Rules.AddAsync(card, new AlertRuleInput("Purple", null, null, null, "owners", true, false, false), "tester");
        var (_, url) = await world.Rules.AddWebhookAsync(card, "ftp://example.org/x");

        Assert.Null(rule);
        Assert.Equal(["channels", "recipients", "subject", "threshold"], errors.Keys.Order());
        Assert.Contains("'everyone' is not a recipient", errors["recipients"][0], StringComparison.Ordinal);
        Assert.Contains("MeasureTurnsRed, ScoreDrops, DataOverdue, InitiativeLate, RedWithoutAction or Reminder", kind["kind"][0], StringComparison.Ordinal);
        Assert.Contains("url", url.Keys);
    }
}
