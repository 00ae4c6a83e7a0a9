using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OpenBsc.Application.Data;

/// <summary>
/// The analysis (what happened, why) and recommendations (what we will do) written for one item of a scorecard
/// (the scorecard itself, a perspective, objective or measure) for one period. Append-only like observations: an
/// edit supersedes the current row, which stays as history with who wrote it and when.
/// </summary>
public sealed class StoredCommentary
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid ScorecardId { get; set; }

    /// <summary>The node id within the scorecard (perspective, objective or measure); empty for the scorecard itself.</summary>
    public required string Item { get; set; }

    /// <summary>The period written about, as text (2026-11, 2026-Q4).</summary>
    public required string Period { get; set; }

    /// <summary>Markdown (a small subset is rendered; see docs/reporting-cycle.md).</summary>
    public required string Analysis { get; set; }

    public required string Recommendations { get; set; }

    public string? EnteredBy { get; set; }

    public DateTime EnteredAt { get; set; }

    public DateTime? SupersededAt { get; set; }

    public string? SupersededBy { get; set; }
}

/// <summary>A message of the discussion of one item and period; <see cref="ParentId"/> makes it a reply.</summary>
public sealed class StoredComment
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid ScorecardId { get; set; }

    public required string Item { get; set; }

    public required string Period { get; set; }

    public long? ParentId { get; set; }

    public required string Author { get; set; }

    public required string Text { get; set; }

    public DateTime PostedAt { get; set; }
}

/// <summary>What the values of an action's <see cref="StoredAction.Status"/> are.</summary>
public static class ActionStatus
{
    public const string Open = "open";

    public const string Done = "done";
}

/// <summary>An action opened on an objective or measure (typically a red one): who does what by when.</summary>
public sealed class StoredAction
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid ScorecardId { get; set; }

    /// <summary>The objective or measure id the action is about.</summary>
    public required string Item { get; set; }

    public required string Title { get; set; }

    /// <summary>The owner's e-mail (or user name).</summary>
    public string? Owner { get; set; }

    public DateOnly? Due { get; set; }

    /// <summary>See <see cref="ActionStatus"/>.</summary>
    public required string Status { get; set; }

    /// <summary>Moves on every change: the ETag, so an edit never silently overwrites another.</summary>
    public long Version { get; set; } = 1;

    public DateTime CreatedAt { get; set; }

    public string? CreatedBy { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }
}

/// <summary>
/// A reporting period closed for a scorecard: values of that period and earlier are locked. An administrator may
/// reopen it with a reason; the row keeps both.
/// </summary>
public sealed class StoredPeriodClose
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid ScorecardId { get; set; }

    public required string Period { get; set; }

    /// <summary>The period's last day: values of periods ending on or before it are locked.</summary>
    public DateOnly LastDay { get; set; }

    public DateTime ClosedAt { get; set; }

    public string? ClosedBy { get; set; }

    public DateTime? ReopenedAt { get; set; }

    public string? ReopenedBy { get; set; }

    public string? ReopenReason { get; set; }
}

/// <summary>
/// A briefing book: a named pack of scorecards and sections rendered as one PDF or HTML document, and optionally sent
/// by e-mail on period close or on a cron schedule in the organisation's time zone.
/// </summary>
public sealed class StoredBriefingBook
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public required string Name { get; set; }

    /// <summary>Scorecard keys, comma-separated, in the order of the book.</summary>
    public required string Scorecards { get; set; }

    /// <summary>Section names, comma-separated (docs/reporting-cycle.md).</summary>
    public required string Sections { get; set; }

    /// <summary>E-mail addresses, comma-separated.</summary>
    public required string Recipients { get; set; }

    /// <summary><c>none</c>, <c>close</c> (when a period of one of its scorecards is closed) or <c>cron</c>.</summary>
    public required string Schedule { get; set; }

    /// <summary>The cron expression (five fields) when <see cref="Schedule"/> is <c>cron</c>.</summary>
    public string? Cron { get; set; }

    /// <summary>The last scheduled time already sent (UTC): a node sends the next occurrence only once.</summary>
    public DateTime? ScheduledThrough { get; set; }

    public long Version { get; set; } = 1;

    public DateTime CreatedAt { get; set; }

    public string? CreatedBy { get; set; }

    public DateTime UpdatedAt { get; set; }
}

internal sealed class StoredCommentaryConfiguration : IEntityTypeConfiguration<StoredCommentary>
{
    public void Configure(EntityTypeBuilder<StoredCommentary> builder)
    {
        builder.ToTable("commentary");
        builder.Property(c => c.Item).HasMaxLength(100);
        builder.Property(c => c.Period).HasMaxLength(10);
        builder.Property(c => c.Analysis).HasMaxLength(Features.ReportingCycle.CommentaryText.MaxLength);
        builder.Property(c => c.Recommendations).HasMaxLength(Features.ReportingCycle.CommentaryText.MaxLength);
        builder.Property(c => c.EnteredBy).HasMaxLength(256);
        builder.Property(c => c.SupersededBy).HasMaxLength(256);
        builder.HasIndex(c => new { c.ScorecardId, c.Period, c.Item });
        builder.HasIndex(c => c.OrganisationId);
        builder.HasOne<StoredScorecard>().WithMany().HasForeignKey(c => c.ScorecardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredCommentConfiguration : IEntityTypeConfiguration<StoredComment>
{
    public void Configure(EntityTypeBuilder<StoredComment> builder)
    {
        builder.ToTable("comments");
        builder.Property(c => c.Item).HasMaxLength(100);
        builder.Property(c => c.Period).HasMaxLength(10);
        builder.Property(c => c.Author).HasMaxLength(256);
        builder.Property(c => c.Text).HasMaxLength(Features.ReportingCycle.Discussion.MaxLength);
        builder.HasIndex(c => new { c.ScorecardId, c.Period, c.Item });
        builder.HasIndex(c => c.OrganisationId);
        builder.HasOne<StoredScorecard>().WithMany().HasForeignKey(c => c.ScorecardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredActionConfiguration : IEntityTypeConfiguration<StoredAction>
{
    public void Configure(EntityTypeBuilder<StoredAction> builder)
    {
        builder.ToTable("actions");
        builder.Property(a => a.Item).HasMaxLength(100);
        builder.Property(a => a.Title).HasMaxLength(300);
        builder.Property(a => a.Owner).HasMaxLength(256);
        builder.Property(a => a.Status).HasMaxLength(10);
        builder.Property(a => a.CreatedBy).HasMaxLength(256);
        builder.Property(a => a.UpdatedBy).HasMaxLength(256);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => new { a.ScorecardId, a.Item });
        builder.HasIndex(a => a.OrganisationId);
        builder.HasOne<StoredScorecard>().WithMany().HasForeignKey(a => a.ScorecardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredPeriodCloseConfiguration : IEntityTypeConfiguration<StoredPeriodClose>
{
    public void Configure(EntityTypeBuilder<StoredPeriodClose> builder)
    {
        builder.ToTable("period_closes");
        builder.Property(c => c.Period).HasMaxLength(10);
        builder.Property(c => c.ClosedBy).HasMaxLength(256);
        builder.Property(c => c.ReopenedBy).HasMaxLength(256);
        builder.Property(c => c.ReopenReason).HasMaxLength(2000);
        builder.HasIndex(c => new { c.ScorecardId, c.LastDay });
        builder.HasIndex(c => c.OrganisationId);
        builder.HasOne<StoredScorecard>().WithMany().HasForeignKey(c => c.ScorecardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredBriefingBookConfiguration : IEntityTypeConfiguration<StoredBriefingBook>
{
    public void Configure(EntityTypeBuilder<StoredBriefingBook> builder)
    {
        builder.ToTable("briefing_books");
        builder.Property(b => b.Name).HasMaxLength(200);
        builder.Property(b => b.Scorecards).HasMaxLength(4000);
        builder.Property(b => b.Sections).HasMaxLength(500);
        builder.Property(b => b.Recipients).HasMaxLength(4000);
        builder.Property(b => b.Schedule).HasMaxLength(10);
        builder.Property(b => b.Cron).HasMaxLength(100);
        builder.Property(b => b.CreatedBy).HasMaxLength(256);
        builder.Property(b => b.Version).IsConcurrencyToken();
        builder.HasIndex(b => new { b.OrganisationId, b.Name }).IsUnique();
        builder.HasOne<StoredOrganisation>().WithMany().HasForeignKey(b => b.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}
