using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Application.Features.Security;
using OpenBsc.Domain.Alerts;

namespace OpenBsc.Application.Features.Alerts;

/// <summary>A rule as listed and returned by the API.</summary>
public sealed record AlertRuleRow(long Id, string Kind, double Threshold, int AfterDays, string? Subject, string Recipients, bool InApp, bool Email, bool Webhook, bool Enabled, int Firing);

/// <summary>A rule to add: see docs/alerts.md for each field.</summary>
public sealed record AlertRuleInput(string? Kind, double? Threshold, int? AfterDays, string? Subject, string? Recipients, bool InApp, bool Email, bool Webhook);

/// <summary>A webhook endpoint as listed (its secret is shown to editors: the receiver needs it).</summary>
public sealed record WebhookRow(long Id, string Url, string Secret, bool Enabled, DateTime CreatedAt);

/// <summary>
/// Manages a scorecard's alert rules and webhook endpoints; every input problem is returned by field
/// (<c>kind</c>, <c>threshold</c>, <c>afterDays</c>, <c>subject</c>, <c>recipients</c>, <c>channels</c>, <c>url</c>).
/// </summary>
public sealed class AlertRules(IDbContextFactory<OpenBscDbContext> contexts, ScorecardSnapshots snapshots, TimeProvider clock)
{
    public const string Reminder = "Reminder";

    public const string AcceptedKinds = "MeasureTurnsRed, ScoreDrops, DataOverdue, InitiativeLate, RedWithoutAction or Reminder";

    public async Task<IReadOnlyList<AlertRuleRow>> ListAsync(ScorecardRef scorecard, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var firing = await db.AlertStates.AsNoTracking().Where(s => s.RuleId != null && db.AlertRules.Any(r => r.Id == s.RuleId && r.ScorecardId == scorecard.Id))
            .GroupBy(s => s.RuleId).Select(g => new { Rule = g.Key!.Value, Count = g.Count() }).ToDictionaryAsync(g => g.Rule, g => g.Count, cancellationToken);
        var rules = await db.AlertRules.AsNoTracking().Where(r => r.ScorecardId == scorecard.Id).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        return [.. rules.Select(r => new AlertRuleRow(r.Id, r.Kind, r.Threshold, r.AfterDays, r.Subject, r.Recipients, r.InApp, r.Email, r.Webhook, r.Enabled, firing.GetValueOrDefault(r.Id)))];
    }

    /// <summary>Adds a rule; returns it, or the problems by field.</summary>
    public async Task<(AlertRuleRow? Rule, Dictionary<string, string[]> Errors)> AddAsync(ScorecardRef scorecard, AlertRuleInput input, string actor, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        string kind = (input.Kind ?? "").Trim();
        double threshold = input.Threshold ?? 0;
        int afterDays = input.AfterDays ?? -1;
        bool reminder = string.Equals(kind, Reminder, StringComparison.OrdinalIgnoreCase);
        if (reminder)
        {
            kind = Reminder;
            threshold = input.Threshold ?? 3;
            if (threshold is < -1 or > 60 || threshold != Math.Floor(threshold))
            {
                errors["threshold"] = ["Expected whole days before the close from 0 to 60 (−1: no reminder before)."];
            }

            if (afterDays is < -1 or > 60)
            {
                errors["afterDays"] = ["Expected whole days after the close from 0 to 60 (−1: no reminder after)."];
            }
        }
        else if (Enum.TryParse<AlertKind>(kind, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(kind, out _))
        {
            kind = parsed.ToString();
            if (new AlertCondition(parsed, threshold).Problem() is { } problem)
            {
                errors["threshold"] = [problem];
            }
        }
        else
        {
            errors["kind"] = [$"'{input.Kind}' is not a kind of alert: expected {AcceptedKinds}."];
        }

        string? recipientProblem = null;
        string recipients = reminder ? "owners" : Recipients.Normalise(input.Recipients, out recipientProblem) ?? "";
        if (recipientProblem is not null)
        {
            errors["recipients"] = [recipientProblem];
        }

        if (!input.InApp && !input.Email && !input.Webhook)
        {
            errors["channels"] = ["Choose at least one channel: in-app, e-mail or webhook."];
        }

        string? subject = string.IsNullOrWhiteSpace(input.Subject) ? null : input.Subject.Trim();
        if (subject is not null && await snapshots.GetAsync(scorecard.Key, cancellationToken) is { } snapshot
            && !snapshot.Model.Nodes.Any(n => n.Id == subject) && !snapshot.Scorecard.Initiatives.Any(i => i.Id == subject))
        {
            errors["subject"] = [$"'{subject}' is not a measure, objective, perspective or initiative of scorecard '{scorecard.Key}' (leave it empty to watch them all)."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rule = new StoredAlertRule
        {
            OrganisationId = scorecard.OrganisationId,
            ScorecardId = scorecard.Id,
            Kind = kind,
            Threshold = threshold,
            AfterDays = reminder ? afterDays : -1,
            Subject = subject,
            Recipients = recipients,
            InApp = input.InApp,
            Email = input.Email,
            Webhook = input.Webhook,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedBy = actor,
        };
        db.AlertRules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        return (new AlertRuleRow(rule.Id, rule.Kind, rule.Threshold, rule.AfterDays, rule.Subject, rule.Recipients, rule.InApp, rule.Email, rule.Webhook, rule.Enabled, 0), errors);
    }

    /// <summary>Deletes a rule of the scorecard (and its firing states); false when there is none with that id.</summary>
    public async Task<bool> DeleteAsync(ScorecardRef scorecard, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Loaded and removed (not a bulk delete) so that the audit log records it; its states go by the cascade.
        var rule = await db.AlertRules.FirstOrDefaultAsync(r => r.Id == id && r.ScorecardId == scorecard.Id, cancellationToken);
        if (rule is null)
        {
            return false;
        }

        db.AlertRules.Remove(rule);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<WebhookRow>> WebhooksAsync(ScorecardRef scorecard, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Webhooks.AsNoTracking().Where(w => w.ScorecardId == scorecard.Id).OrderBy(w => w.Id)
            .Select(w => new WebhookRow(w.Id, w.Url, w.Secret, w.Enabled, w.CreatedAt)).ToListAsync(cancellationToken);
    }

    /// <summary>Adds a webhook endpoint with a new secret; the URL must be absolute http or https.</summary>
    public async Task<(WebhookRow? Webhook, Dictionary<string, string[]> Errors)> AddWebhookAsync(ScorecardRef scorecard, string? url, CancellationToken cancellationToken = default)
    {
        url = url?.Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || url!.Length > 2000)
        {
            return (null, new() { ["url"] = [$"'{url}' is not an http or https address (expected e.g. https://hooks.example.org/openbsc)."] });
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hook = new StoredWebhook { OrganisationId = scorecard.OrganisationId, ScorecardId = scorecard.Id, Url = uri.ToString(), Secret = WebhookSignature.NewSecret(), CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Webhooks.Add(hook);
        await db.SaveChangesAsync(cancellationToken);
        return (new WebhookRow(hook.Id, hook.Url, hook.Secret, hook.Enabled, hook.CreatedAt), []);
    }

    public async Task<bool> DeleteWebhookAsync(ScorecardRef scorecard, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id && w.ScorecardId == scorecard.Id, cancellationToken);
        if (hook is null)
        {
            return false;
        }

        db.Webhooks.Remove(hook);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}

/// <summary>The recipients field: <c>owners</c>, <c>role:ROLE</c>, <c>user:NAME</c>, comma-separated.</summary>
public static class Recipients
{
    /// <summary>The field in canonical form, or null with <paramref name="problem"/> set.</summary>
    public static string? Normalise(string? text, out string? problem)
    {
        problem = null;
        var tokens = (text ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new List<string>();
        foreach (string token in tokens)
        {
            if (token.Equals("owners", StringComparison.OrdinalIgnoreCase))
            {
                result.Add("owners");
            }
            else if (token.StartsWith("role:", StringComparison.OrdinalIgnoreCase) && AccessRoles.TryParse(token[5..], out var role) && role != AccessRole.None)
            {
                result.Add("role:" + AccessRoles.Name(role));
            }
            else if (token.StartsWith("user:", StringComparison.OrdinalIgnoreCase) && token.Length > 5)
            {
                result.Add("user:" + token[5..].Trim());
            }
            else if (token.Contains('@', StringComparison.Ordinal))
            {
                result.Add("user:" + token);
            }
            else
            {
                problem = $"'{token}' is not a recipient: expected owners, role:viewer|updater|editor|administrator or user:NAME (e-mail).";
                return null;
            }
        }

        if (result.Count == 0)
        {
            problem = "Name at least one recipient: owners, role:ROLE or user:NAME.";
            return null;
        }

        return string.Join(",", result.Distinct(StringComparer.OrdinalIgnoreCase));
    }
}
