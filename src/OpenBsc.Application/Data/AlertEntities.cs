using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OpenBsc.Application.Data;

/// <summary>
/// An alert rule of one scorecard: what it watches (kind, threshold, optionally one node or initiative), who hears
/// of it (recipients) and how (in-app, e-mail, the scorecard's webhooks). Reminders to measure owners are a rule of
/// kind <c>Reminder</c> (threshold = days before the close, <see cref="AfterDays"/> = days after).
/// </summary>
public sealed class StoredAlertRule
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid ScorecardId { get; set; }

    /// <summary><c>MeasureTurnsRed</c>, <c>ScoreDrops</c>, <c>DataOverdue</c>, <c>InitiativeLate</c> or <c>Reminder</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>Points of score drop (ScoreDrops), days of grace (DataOverdue) or days before the close (Reminder).</summary>
    public double Threshold { get; set; }

    /// <summary>Reminder only: days after the close to remind again while the value is missing (−1: never).</summary>
    public int AfterDays { get; set; } = -1;

    /// <summary>One node (measure, objective, perspective) or initiative id to watch; null watches every subject of the kind.</summary>
    public string? Subject { get; set; }

    /// <summary>Who is told, comma-separated: <c>owners</c>, <c>role:editor</c> (everyone with at least that role on the scorecard), <c>user:ana@example.org</c>.</summary>
    public required string Recipients { get; set; }

    public bool InApp { get; set; }

    public bool Email { get; set; }

    public bool Webhook { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTime CreatedAt { get; set; }

    public string? CreatedBy { get; set; }
}

/// <summary>A webhook endpoint of one scorecard: alerts are POSTed to it as JSON, signed with its shared secret.</summary>
public sealed class StoredWebhook
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid ScorecardId { get; set; }

    public required string Url { get; set; }

    /// <summary>The HMAC-SHA256 key of the signature header (shown to editors; the receiver keeps a copy).</summary>
    public required string Secret { get; set; }

    public bool Enabled { get; set; } = true;

    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// "This fires now": one row per (rule, subject) while a rule's condition holds, so a rule fires once per crossing.
/// Reminders and digests keep a row per (measure, period, side) and (user, week) the same way, so each is sent once.
/// The unique index on (organisation, key, subject) makes a second node's concurrent pass fail instead of sending twice.
/// </summary>
public sealed class StoredAlertState
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>The rule, when the row is a rule's (deleting the rule deletes its states).</summary>
    public long? RuleId { get; set; }

    /// <summary><c>rule:ID</c>, <c>reminder:RULE-ID</c> or <c>digest</c>.</summary>
    public required string Key { get; set; }

    /// <summary>What fires: a node or initiative id; <c>measure@period:before</c> for reminders; <c>user-id@2026-W48</c> for digests.</summary>
    public required string Subject { get; set; }

    public DateTime Since { get; set; }
}

/// <summary>An in-app notification for one user.</summary>
public sealed class StoredNotification
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid UserId { get; set; }

    /// <summary>The scorecard concerned (its key), when there is one.</summary>
    public string? Scorecard { get; set; }

    public required string Title { get; set; }

    public required string Body { get; set; }

    /// <summary>Where to look (a path in the app).</summary>
    public string? Link { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? ReadAt { get; set; }
}

/// <summary>What became of a delivery in the outbox.</summary>
public static class DeliveryStatus
{
    /// <summary>Waiting for its next attempt (<see cref="StoredDelivery.NextAttemptAt"/>).</summary>
    public const string Pending = "pending";

    /// <summary>Claimed by a node that is sending it now (until <see cref="StoredDelivery.LeaseUntil"/>).</summary>
    public const string Sending = "sending";

    public const string Sent = "sent";

    /// <summary>Every attempt failed; <see cref="StoredDelivery.LastError"/> says why. An administrator may retry it.</summary>
    public const string Failed = "failed";
}

/// <summary>
/// The outbox: one e-mail or webhook call to make, written in the same transaction as the alert that caused it and
/// sent later by any node, with retries; nothing is sent while a user waits, and nothing is lost silently.
/// </summary>
public sealed class StoredDelivery
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary><c>email</c> or <c>webhook</c>.</summary>
    public required string Channel { get; set; }

    /// <summary>The e-mail address or the webhook URL.</summary>
    public required string Target { get; set; }

    /// <summary>The webhook whose secret signs the call (webhook deliveries).</summary>
    public long? WebhookId { get; set; }

    /// <summary>The e-mail subject, or the webhook event name.</summary>
    public required string Subject { get; set; }

    /// <summary>The e-mail's plain text, or the webhook's JSON body (sent byte for byte as signed).</summary>
    public required string Payload { get; set; }

    /// <summary>
    /// What the e-mail carries, rendered when it is sent (so a retry sends the same document, and no file sits in the
    /// database): <c>book:ID@PERIOD</c> for a briefing book's PDF.
    /// </summary>
    public string? Attachment { get; set; }

    /// <summary>See <see cref="DeliveryStatus"/>.</summary>
    public required string Status { get; set; }

    public int Attempts { get; set; }

    public DateTime NextAttemptAt { get; set; }

    /// <summary>While sending: when the claim lapses (a node that died mid-send lets another retry after this).</summary>
    public DateTime? LeaseUntil { get; set; }

    public string? LastError { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? SentAt { get; set; }
}

internal sealed class StoredAlertRuleConfiguration : IEntityTypeConfiguration<StoredAlertRule>
{
    public void Configure(EntityTypeBuilder<StoredAlertRule> builder)
    {
        builder.ToTable("alert_rules");
        builder.Property(r => r.Kind).HasMaxLength(30);
        builder.Property(r => r.Subject).HasMaxLength(100);
        builder.Property(r => r.Recipients).HasMaxLength(2000);
        builder.Property(r => r.CreatedBy).HasMaxLength(256);
        builder.HasIndex(r => new { r.OrganisationId, r.ScorecardId });
        builder.HasOne<StoredScorecard>().WithMany().HasForeignKey(r => r.ScorecardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredWebhookConfiguration : IEntityTypeConfiguration<StoredWebhook>
{
    public void Configure(EntityTypeBuilder<StoredWebhook> builder)
    {
        builder.ToTable("webhooks");
        builder.Property(w => w.Url).HasMaxLength(2000);
        builder.Property(w => w.Secret).HasMaxLength(100);
        builder.HasIndex(w => new { w.OrganisationId, w.ScorecardId });
        builder.HasOne<StoredScorecard>().WithMany().HasForeignKey(w => w.ScorecardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredAlertStateConfiguration : IEntityTypeConfiguration<StoredAlertState>
{
    public void Configure(EntityTypeBuilder<StoredAlertState> builder)
    {
        builder.ToTable("alert_states");
        builder.Property(s => s.Key).HasMaxLength(60);
        builder.Property(s => s.Subject).HasMaxLength(300);
        builder.HasIndex(s => new { s.OrganisationId, s.Key, s.Subject }).IsUnique();
        builder.HasIndex(s => s.RuleId);
        builder.HasOne<StoredAlertRule>().WithMany().HasForeignKey(s => s.RuleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredNotificationConfiguration : IEntityTypeConfiguration<StoredNotification>
{
    public void Configure(EntityTypeBuilder<StoredNotification> builder)
    {
        builder.ToTable("notifications");
        builder.Property(n => n.Scorecard).HasMaxLength(100);
        builder.Property(n => n.Title).HasMaxLength(300);
        builder.Property(n => n.Body).HasMaxLength(4000);
        builder.Property(n => n.Link).HasMaxLength(500);
        builder.HasIndex(n => new { n.OrganisationId, n.UserId, n.CreatedAt });
        builder.HasOne<OpenBscUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredDeliveryConfiguration : IEntityTypeConfiguration<StoredDelivery>
{
    public void Configure(EntityTypeBuilder<StoredDelivery> builder)
    {
        builder.ToTable("deliveries");
        builder.Property(d => d.Channel).HasMaxLength(10);
        builder.Property(d => d.Target).HasMaxLength(2000);
        builder.Property(d => d.Subject).HasMaxLength(300);
        builder.Property(d => d.Status).HasMaxLength(10);
        builder.Property(d => d.LastError).HasMaxLength(2000);
        builder.Property(d => d.Attachment).HasMaxLength(200);
        // The sender's scan: due rows by status and time.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.OrganisationId, d.CreatedAt });
    }
}
