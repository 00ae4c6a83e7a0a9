using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Alerts;
using OpenBsc.Domain.Initiatives;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scorecards;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.Alerts;

/// <summary>What one check did.</summary>
public sealed record AlertCheckSummary(int Fired, int Cleared, int Reminders, int Digests, int Notifications, int Queued);

/// <summary>
/// One check of every enabled rule: evaluates each rule's subjects with the pure <see cref="AlertEvaluator"/> against
/// the stored firing states, and for each Fire writes the state, the in-app notifications and the outbox rows in
/// one transaction per scorecard (so an alert is never half-sent, and a second node's concurrent check fails on the
/// unique state instead of sending it again). Also sends reminders to measure owners and the weekly digests.
/// </summary>
public sealed class AlertCheck(IDbContextFactory<OpenBscDbContext> contexts, IServiceScopeFactory scopes, AlertSettings settings, TimeProvider clock, Organisations.OrganisationClock organisationClock, ILogger<AlertCheck> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Card(Guid Id, Guid OrganisationId, string Key, string Name);

    /// <summary>A user who may hear of a scorecard's alerts, with their effective role on it.</summary>
    private sealed record Person(Guid Id, string UserName, string? Email, AccessRole Role);

    /// <summary>One thing a rule watches, with the facts and the words of its alert.</summary>
    private sealed record Subject(string Id, string? Owner, string Link, AlertFacts Facts, string Title, string Detail);

    private sealed class Counts
    {
        public int Fired, Cleared, Reminders, Digests, Notifications, Queued;
    }

    public async Task<AlertCheckSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var counts = new Counts();
        List<StoredAlertRule> rules;
        List<Card> cards;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            rules = await db.AlertRules.AsNoTracking().Where(r => r.Enabled).OrderBy(r => r.Id).ToListAsync(cancellationToken);
            var ids = rules.Select(r => r.ScorecardId).Distinct().ToList();
            cards = await db.Scorecards.AsNoTracking().Where(s => ids.Contains(s.Id) && s.ArchivedAt == null)
                .Select(s => new Card(s.Id, s.OrganisationId, s.Key, s.Name)).ToListAsync(cancellationToken);
        }

        foreach (var card in cards)
        {
            // Keys are unique per organisation only: the card's key is looked up in its own organisation.
            await using var scope = InOrganisation(card.OrganisationId);
            try
            {
                // Today is the organisation's, in its time zone: reminders, overdue data and late initiatives follow it.
                var today = await organisationClock.TodayAsync(card.OrganisationId, cancellationToken);
                await CheckScorecardAsync(card, [.. rules.Where(r => r.ScorecardId == card.Id)], now, today, counts, scope.ServiceProvider.GetRequiredService<ScorecardSnapshots>(), cancellationToken);
            }
            catch (DbUpdateException e)
            {
                // Another node's check wrote the same state first (unique index): it sent the alert, this one must not.
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation(e, "Alert check of scorecard {Scorecard} lost to a concurrent check; skipped.", card.Key);
                }
            }
        }

        foreach (var organisation in cards.GroupBy(c => c.OrganisationId))
        {
            await using var scope = InOrganisation(organisation.Key);
            try
            {
                await DigestsAsync(organisation.Key, [.. organisation], [.. rules.Where(r => organisation.Any(c => c.Id == r.ScorecardId))], now, counts, scope.ServiceProvider.GetRequiredService<ScorecardSnapshots>(), cancellationToken);
            }
            catch (DbUpdateException e)
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation(e, "Digests of organisation {Organisation} lost to a concurrent check; skipped.", organisation.Key);
                }
            }
        }

        return new AlertCheckSummary(counts.Fired, counts.Cleared, counts.Reminders, counts.Digests, counts.Notifications, counts.Queued);
    }

    /// <summary>A scope working in one organisation, as the alerts: what it reads by key is that organisation's.</summary>
    private AsyncServiceScope InOrganisation(Guid organisationId)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().Set(organisationId, "alerts");
        return scope;
    }

    private async Task CheckScorecardAsync(Card card, List<StoredAlertRule> rules, DateTime now, DateOnly today, Counts counts, ScorecardSnapshots snapshots, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.GetAsync(card.Key, cancellationToken);
        if (snapshot is null)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var people = await PeopleAsync(db, card.OrganisationId, card.Id, cancellationToken);
        var webhooks = await db.Webhooks.AsNoTracking().Where(w => w.ScorecardId == card.Id && w.Enabled).ToListAsync(cancellationToken);
        var ruleIds = rules.Select(r => r.Id).ToList();
        var states = (await db.AlertStates.Where(s => s.RuleId != null && ruleIds.Contains(s.RuleId.Value)).ToListAsync(cancellationToken))
            .ToDictionary(s => (s.Key, s.Subject));
        var local = new Counts();
        var scorecard = snapshot.Scorecard;
        var observed = snapshot.Bundle[0].Observations.Select(o => (o.Measure, o.Period)).ToHashSet();
        // Alerts watch the latest month with data (a value entered early alerts at once), judged on today.
        var view = new PeriodView(snapshot.LatestObservedMonth ?? Period.Containing(PeriodKind.Month, today, FiscalCalendar.Gregorian), false, today);
        ScorecardEvaluation? current = null, previous = null;
        Dictionary<string, int>? openActions = null;
        DateOnly? lockedThrough = null;
        foreach (var rule in rules)
        {
            if (rule.Kind == AlertRules.Reminder)
            {
                // A closed period takes no more values: its owners are not reminded of it.
                lockedThrough ??= await ReportingCycle.PeriodCloses.LockedThroughAsync(db, card.Id, cancellationToken) ?? DateOnly.MinValue;
                RemindOwners(db, card, rule, scorecard, people, webhooks, states, observed, today, now, local, lockedThrough.Value);
                continue;
            }

            if (!Enum.TryParse<AlertKind>(rule.Kind, out var kind))
            {
                continue;
            }

            current ??= snapshot.Evaluate(view);
            if (kind == AlertKind.RedWithoutAction && openActions is null)
            {
                openActions = (await db.Actions.AsNoTracking().Where(a => a.ScorecardId == card.Id && a.Status == ActionStatus.Open).Select(a => a.Item).ToListAsync(cancellationToken))
                    .GroupBy(i => i, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            }

            if (kind == AlertKind.ScoreDrops)
            {
                previous ??= snapshot.Evaluate(view.Previous());
            }

            var condition = new AlertCondition(kind, rule.Threshold);
            string key = $"rule:{rule.Id}";
            foreach (var subject in Subjects(card, scorecard, kind, rule, current, previous, observed, today, openActions))
            {
                states.TryGetValue((key, subject.Id), out var state);
                switch (AlertEvaluator.Evaluate(condition, state is not null, subject.Facts))
                {
                    case AlertTransition.Fire:
                        var fired = new StoredAlertState { OrganisationId = card.OrganisationId, RuleId = rule.Id, Key = key, Subject = subject.Id, Since = now };
                        db.AlertStates.Add(fired);
                        states[(key, subject.Id)] = fired;
                        Send(db, card, rule, Resolve(rule.Recipients, subject.Owner, people), webhooks, "alert.fired", subject, now, local);
                        local.Fired++;
                        break;
                    case AlertTransition.Clear:
                        db.AlertStates.Remove(state!);
                        states.Remove((key, subject.Id));
                        local.Cleared++;
                        break;
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        counts.Fired += local.Fired;
        counts.Cleared += local.Cleared;
        counts.Reminders += local.Reminders;
        counts.Notifications += local.Notifications;
        counts.Queued += local.Queued;
    }

    private static IEnumerable<Subject> Subjects(Card card, Scorecard scorecard, AlertKind kind, StoredAlertRule rule, ScorecardEvaluation current, ScorecardEvaluation? previous, HashSet<(string, Period)> observed, DateOnly today, Dictionary<string, int>? openActions)
    {
        var objectives = scorecard.AllObjectives().ToDictionary(o => o.Id);
        string period = current.View.Period.ToString();
        switch (kind)
        {
            case AlertKind.MeasureTurnsRed:
            case AlertKind.ScoreDrops:
                foreach (var node in current.Model.Nodes)
                {
                    bool watched = rule.Subject is null
                        ? node.ScorecardId == scorecard.Id && (node.Kind == NodeKind.Measure || (kind == AlertKind.ScoreDrops && node.Kind is NodeKind.Objective or NodeKind.Perspective or NodeKind.Scorecard))
                        : node.Id == rule.Subject;
                    if (!watched)
                    {
                        continue;
                    }

                    var now = current[node.Index];
                    string? owner = node.Measure?.Owner ?? (objectives.TryGetValue(node.Id, out var objective) ? objective.Owner : null);
                    string link = node.Kind switch
                    {
                        NodeKind.Measure => $"/scorecards/{card.Key}/measures/{node.Id}",
                        NodeKind.Objective => $"/scorecards/{card.Key}/objectives/{node.Id}",
                        _ => $"/scorecards/{card.Key}",
                    };
                    if (kind == AlertKind.MeasureTurnsRed)
                    {
                        yield return new Subject(node.Id, owner, link, new StatusFacts(now.Status),
                            $"{node.Name} turned red", $"{node.Name} is Red at {period}: value {Number(now.Value)}, target {Number(now.Target)}.");
                    }
                    else
                    {
                        var before = previous![node.Index];
                        yield return new Subject(node.Id, owner, link, new ScoreFacts(before.Score, now.Score),
                            $"{node.Name} dropped {Points(before.Score - now.Score)} points",
                            $"{node.Name}'s score went from {Points(before.Score)} at {previous.View.Period} to {Points(now.Score)} at {period} (more than {Number(rule.Threshold)} points).");
                    }
                }

                break;
            case AlertKind.RedWithoutAction:
                foreach (var node in current.Model.Nodes.Where(n => n.ScorecardId == scorecard.Id && n.Kind is NodeKind.Objective or NodeKind.Measure && (rule.Subject is null || n.Id == rule.Subject)))
                {
                    var now = current[node.Index];
                    string? owner = node.Measure?.Owner ?? (objectives.TryGetValue(node.Id, out var objective) ? objective.Owner : null);
                    string link = $"/scorecards/{card.Key}/{(node.Kind == NodeKind.Measure ? "measures" : "objectives")}/{node.Id}?period={period}#review";
                    yield return new Subject(node.Id, owner, link, new ActionFacts(now.Status, openActions?.GetValueOrDefault(node.Id) ?? 0),
                        $"{node.Name} is red with no action",
                        $"{node.Name} is Red at {period} and has no open action: open one to say what will be done.");
                }

                break;
            case AlertKind.DataOverdue:
                foreach (var measure in scorecard.AllMeasures().Where(m => !m.IsCalculated && (rule.Subject is null || m.Id == rule.Subject)))
                {
                    var closed = Reminders.LastClosed(measure.Frequency, scorecard.Calendar, today);
                    var end = closed.End(scorecard.Calendar);
                    yield return new Subject(measure.Id, measure.Owner, $"/scorecards/{card.Key}/measures/{measure.Id}",
                        new DataFacts(closed, end, observed.Contains((measure.Id, closed)), today),
                        $"{measure.Name}: the value for {closed} is overdue",
                        $"{measure.Name} has no value for {closed}, which ended on {end:yyyy-MM-dd}; it was due {Number(rule.Threshold)} days after.");
                }

                break;
            case AlertKind.InitiativeLate:
                foreach (var initiative in scorecard.Initiatives.Where(i => rule.Subject is null || i.Id == rule.Subject))
                {
                    var progress = InitiativeSchedule.Evaluate(initiative, today);
                    yield return new Subject(initiative.Id, initiative.Owner, $"/scorecards/{card.Key}", new InitiativeFacts(progress.Status),
                        $"{initiative.Name} is {progress.Status.ToString().ToLowerInvariant()}",
                        $"{initiative.Name} is {Points(progress.Complete ?? 0)} % complete against a plan of {Points(progress.Planned ?? 0)} %; it ends on {initiative.End:yyyy-MM-dd}.");
                }

                break;
        }
    }

    private void RemindOwners(OpenBscDbContext db, Card card, StoredAlertRule rule, Scorecard scorecard, List<Person> people, List<StoredWebhook> webhooks,
        Dictionary<(string, string), StoredAlertState> states, HashSet<(string, Period)> observed, DateOnly today, DateTime now, Counts counts, DateOnly lockedThrough)
    {
        string key = $"reminder:{rule.Id}";
        foreach (var measure in scorecard.AllMeasures().Where(m => !m.IsCalculated && m.Owner is not null && (rule.Subject is null || m.Id == rule.Subject)))
        {
            foreach (var reminder in Reminders.Due(measure.Frequency, scorecard.Calendar, today, (int)rule.Threshold, rule.AfterDays, p => observed.Contains((measure.Id, p)))
                .Where(r => r.Period.End(scorecard.Calendar) > lockedThrough))
            {
                bool before = reminder.Kind == ReminderKind.BeforeClose;
                string id = $"{measure.Id}@{reminder.Period}:{(before ? "before" : "after")}";
                if (states.ContainsKey((key, id)))
                {
                    continue;
                }

                var state = new StoredAlertState { OrganisationId = card.OrganisationId, RuleId = rule.Id, Key = key, Subject = id, Since = now };
                db.AlertStates.Add(state);
                states[(key, id)] = state;
                var subject = new Subject(measure.Id, measure.Owner, $"/scorecards/{card.Key}/data",
                    new DataFacts(reminder.Period, reminder.PeriodEnd, false, today),
                    before ? $"{measure.Name}: enter the value for {reminder.Period}" : $"{measure.Name}: the value for {reminder.Period} is missing",
                    before ? $"{reminder.Period} closes on {reminder.PeriodEnd:yyyy-MM-dd} and {measure.Name} has no value for it yet."
                        : $"{reminder.Period} closed on {reminder.PeriodEnd:yyyy-MM-dd} and {measure.Name} still has no value for it.");
                Send(db, card, rule, Resolve("owners", measure.Owner, people), webhooks, "reminder.due", subject, now, counts);
                counts.Reminders++;
            }
        }
    }

    /// <summary>Writes the in-app notifications and the outbox rows of one alert (saved with the state by the caller).</summary>
    private void Send(OpenBscDbContext db, Card card, StoredAlertRule rule, IReadOnlyList<Person> to, List<StoredWebhook> webhooks, string eventName, Subject subject, DateTime now, Counts counts)
    {
        string link = settings.BaseUrl is null ? subject.Link : settings.BaseUrl + subject.Link;
        foreach (var person in to)
        {
            if (rule.InApp)
            {
                db.Notifications.Add(new StoredNotification
                {
                    OrganisationId = card.OrganisationId,
                    UserId = person.Id,
                    Scorecard = card.Key,
                    Title = Clip(subject.Title, 300),
                    Body = Clip(subject.Detail, 4000),
                    Link = subject.Link,
                    CreatedAt = now,
                });
                counts.Notifications++;
            }

            if (rule.Email && person.Email is { } address)
            {
                db.Deliveries.Add(Delivery(card.OrganisationId, "email", address, null, Clip($"[OpenBsc] {card.Name}: {subject.Title}", 300),
                    $"{subject.Detail}\n\n{link}\n\nYou receive this because of an alert rule of scorecard {card.Name} ({card.Key}).", now));
                counts.Queued++;
            }
        }

        if (rule.Webhook)
        {
            string body = JsonSerializer.Serialize(new
            {
                @event = eventName,
                id = Guid.NewGuid(),
                at = now,
                scorecard = card.Key,
                rule = new { id = rule.Id, kind = rule.Kind },
                subject = subject.Id,
                title = subject.Title,
                detail = subject.Detail,
                link,
            }, Json);
            foreach (var hook in webhooks)
            {
                db.Deliveries.Add(Delivery(card.OrganisationId, "webhook", hook.Url, hook.Id, eventName, body, now));
                counts.Queued++;
            }
        }
    }

    private static StoredDelivery Delivery(Guid organisationId, string channel, string target, long? webhookId, string subject, string payload, DateTime now) => new()
    {
        OrganisationId = organisationId,
        Channel = channel,
        Target = target,
        WebhookId = webhookId,
        Subject = subject,
        Payload = payload,
        Status = DeliveryStatus.Pending,
        NextAttemptAt = now,
        CreatedAt = now,
    };

    /// <summary>
    /// Active users of the organisation with their effective role on the scorecard (organisation role raised by a
    /// scorecard role); only those who may at least view it are ever told of its alerts.
    /// </summary>
    private static async Task<List<Person>> PeopleAsync(OpenBscDbContext db, Guid organisationId, Guid? scorecardId, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().Where(u => u.OrganisationId == organisationId && u.DisabledAt == null)
            .Select(u => new { u.Id, u.UserName, u.Email, u.Role }).ToListAsync(cancellationToken);
        var granted = scorecardId is null ? [] : await db.ScorecardRoles.AsNoTracking().Where(r => r.ScorecardId == scorecardId)
            .ToDictionaryAsync(r => r.UserId, r => r.Role, cancellationToken);
        return [.. users.Select(u => new Person(u.Id, u.UserName ?? "", u.Email, granted.TryGetValue(u.Id, out var r) && r > u.Role ? r : u.Role))];
    }

    /// <summary>The people a recipients field names for a subject with <paramref name="owner"/>, each once, viewers and up only.</summary>
    private static List<Person> Resolve(string recipients, string? owner, List<Person> people)
    {
        var owners = (owner ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool Named(Person p, string name) => string.Equals(p.UserName, name, StringComparison.OrdinalIgnoreCase) || string.Equals(p.Email, name, StringComparison.OrdinalIgnoreCase);
        var chosen = new List<Person>();
        foreach (string token in recipients.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (token == "owners")
            {
                chosen.AddRange(people.Where(p => owners.Any(o => Named(p, o))));
            }
            else if (token.StartsWith("role:", StringComparison.Ordinal) && AccessRoles.TryParse(token[5..], out var role))
            {
                chosen.AddRange(people.Where(p => p.Role >= role));
            }
            else if (token.StartsWith("user:", StringComparison.Ordinal))
            {
                chosen.AddRange(people.Where(p => Named(p, token[5..])));
            }
        }

        return [.. chosen.Where(p => p.Role >= AccessRole.Viewer).DistinctBy(p => p.Id)];
    }

    /// <summary>
    /// The weekly digest: on the digest day, each user with an e-mail
    /// address who is a recipient of a rule gets one e-mail listing what fires now on those scorecards (red
    /// measures, drops, overdue data, late initiatives). Sent once per user and week (a state row marks it).
    /// </summary>
    private async Task DigestsAsync(Guid organisationId, List<Card> cards, List<StoredAlertRule> rules, DateTime now, Counts counts, ScorecardSnapshots snapshots, CancellationToken cancellationToken)
    {
        // On the digest day only, in the organisation's time zone (every node checks every minute, so a day without
        // any check means nothing was running).
        var local = (await organisationClock.NowAsync(organisationId, cancellationToken)).DateTime;
        if (local.DayOfWeek != settings.DigestDay)
        {
            return;
        }

        string week = $"{ISOWeek.GetYear(local)}-W{ISOWeek.GetWeekOfYear(local):00}";
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var alertRules = rules.Where(r => r.Kind != AlertRules.Reminder).ToList();
        var ruleIds = alertRules.Select(r => r.Id).ToList();
        var firing = await db.AlertStates.AsNoTracking().Where(s => s.RuleId != null && ruleIds.Contains(s.RuleId.Value)).ToListAsync(cancellationToken);
        var sent = (await db.AlertStates.AsNoTracking().Where(s => s.OrganisationId == organisationId && s.Key == "digest" && s.Subject.EndsWith("@" + week))
            .Select(s => s.Subject).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var lines = new Dictionary<Guid, List<string>>();
        var everyone = new Dictionary<Guid, Person>();
        foreach (var card in cards)
        {
            var people = await PeopleAsync(db, organisationId, card.Id, cancellationToken);
            var scorecard = (await snapshots.GetAsync(card.Key, cancellationToken))?.Scorecard;
            foreach (var rule in alertRules.Where(r => r.ScorecardId == card.Id))
            {
                foreach (var state in firing.Where(s => s.RuleId == rule.Id))
                {
                    foreach (var person in Resolve(rule.Recipients, OwnerOf(scorecard, state.Subject), people))
                    {
                        everyone[person.Id] = person;
                        (lines.TryGetValue(person.Id, out var list) ? list : lines[person.Id] = []).Add(
                            $"- {card.Name}: {Words(rule.Kind)} — {NameOf(scorecard, state.Subject)} (since {state.Since:yyyy-MM-dd})");
                    }
                }
            }
        }

        foreach (var (userId, list) in lines)
        {
            var person = everyone[userId];
            string subject = $"{userId}@{week}";
            if (person.Email is null || sent.Contains(subject))
            {
                continue;
            }

            db.AlertStates.Add(new StoredAlertState { OrganisationId = organisationId, Key = "digest", Subject = subject, Since = now });
            string body = $"What needs attention in week {week}:\n\n{string.Join("\n", list.Distinct().Order(StringComparer.Ordinal))}\n\n{settings.BaseUrl ?? ""}/notifications";
            db.Deliveries.Add(Delivery(organisationId, "email", person.Email, null, $"[OpenBsc] Weekly digest {week}: {list.Count} alert{(list.Count == 1 ? "" : "s")} firing", body, now));
            counts.Digests++;
            counts.Queued++;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Words(string kind) => kind switch
    {
        nameof(AlertKind.MeasureTurnsRed) => "red",
        nameof(AlertKind.ScoreDrops) => "score dropped",
        nameof(AlertKind.DataOverdue) => "data overdue",
        nameof(AlertKind.InitiativeLate) => "initiative late",
        nameof(AlertKind.RedWithoutAction) => "red without an action",
        _ => kind,
    };

    private static string? OwnerOf(Scorecard? scorecard, string id) =>
        scorecard is null ? null
        : scorecard.AllMeasures().FirstOrDefault(m => m.Id == id)?.Owner
            ?? scorecard.AllObjectives().FirstOrDefault(o => o.Id == id)?.Owner
            ?? scorecard.Initiatives.FirstOrDefault(i => i.Id == id)?.Owner;

    private static string NameOf(Scorecard? scorecard, string id) =>
        scorecard is null ? id
        : scorecard.AllMeasures().FirstOrDefault(m => m.Id == id)?.Name
            ?? scorecard.AllObjectives().FirstOrDefault(o => o.Id == id)?.Name
            ?? scorecard.Perspectives.FirstOrDefault(p => p.Id == id)?.Name
            ?? scorecard.Initiatives.FirstOrDefault(i => i.Id == id)?.Name
            ?? (scorecard.Id == id ? scorecard.Name : id);

    private static string Number(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "none";

    private static string Points(double? score) => score is { } s ? (s * 100).ToString("0.#", CultureInfo.InvariantCulture) : "none";

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

/// <summary>One alert pass: check the rules (write alerts into the outbox), then send what is due.</summary>
public sealed record AlertPassSummary(AlertCheckSummary Check, SendSummary Send);

/// <summary>The pass the background service runs every interval and <c>openbsc alerts run</c> runs once.</summary>
public sealed class AlertPass(AlertCheck check, ReportingCycle.BriefingBooks books, DeliverySender sender)
{
    public async Task<AlertPassSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var checkSummary = await check.RunAsync(cancellationToken);
        // Briefing books whose cron schedule came due are queued before the outbox is sent, so they go out in this pass.
        await books.QueueScheduledAsync(cancellationToken);
        var sendSummary = await sender.SendDueAsync(cancellationToken);
        return new AlertPassSummary(checkSummary, sendSummary);
    }
}
