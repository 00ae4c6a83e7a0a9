using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OpenBsc.Application.Data;

/// <summary>
/// A data source of one organisation (docs/connectors.md): a database (PostgreSQL, SQLite, MySQL/MariaDB) or an HTTP
/// address answering CSV or JSON, read on demand or on a schedule. The secret (a database password, a bearer token, a
/// basic-auth password or a custom header's value) is kept only encrypted with data protection and is never shown back.
/// </summary>
public sealed class StoredDataSource
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public required string Name { get; set; }

    /// <summary><c>postgresql</c>, <c>sqlite</c>, <c>mysql</c> or <c>http</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>The connection string without its password (databases) or the URL (HTTP).</summary>
    public required string Address { get; set; }

    /// <summary>HTTP only: <c>csv</c> or <c>json</c>.</summary>
    public string? Format { get; set; }

    /// <summary>HTTP JSON only: the path to the array of rows (<c>$.data.rows</c>); empty: the document is the array.</summary>
    public string? RowsPath { get; set; }

    /// <summary>HTTP only: <c>none</c>, <c>bearer</c>, <c>basic</c> or <c>header</c>.</summary>
    public string Auth { get; set; } = "none";

    /// <summary>Basic auth's user name; a custom header's name.</summary>
    public string? AuthName { get; set; }

    /// <summary>The secret, encrypted with data protection; null: none.</summary>
    public string? SecretProtected { get; set; }

    /// <summary>Who is told when a run fails or reads nothing (a user of the organisation).</summary>
    public Guid? OwnerId { get; set; }

    /// <summary><c>demand</c>, <c>cron</c> or <c>after-close</c> (N days after each period of a bound scorecard closes).</summary>
    public string Schedule { get; set; } = "demand";

    public string? Cron { get; set; }

    /// <summary>after-close: the days after a period's last day.</summary>
    public int DaysAfterClose { get; set; }

    /// <summary>The last scheduled time already run (UTC): a node runs the next occurrence only once.</summary>
    public DateTime? ScheduledThrough { get; set; }

    /// <summary>While a node runs the source: until when its claim holds (a node that died lets it lapse).</summary>
    public DateTime? LeaseUntil { get; set; }

    /// <summary>The SHA-256 (hex) of the push token, which writes to this source only; null: no push.</summary>
    public string? PushTokenHash { get; set; }

    public long Version { get; set; } = 1;

    public DateTime CreatedAt { get; set; }

    public string? CreatedBy { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// What a source feeds into one scorecard: a query whose columns map to measure, period, value (and optionally note,
/// segment), or — with <see cref="Measure"/> set — a query returning period and value for that one measure.
/// </summary>
public sealed class StoredSourceBinding
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public long SourceId { get; set; }

    public Guid ScorecardId { get; set; }

    /// <summary>The one measure this binding feeds; null: the rows name their measure.</summary>
    public string? Measure { get; set; }

    /// <summary>The SQL query (databases); for HTTP an optional path and query resolved against the source's URL.</summary>
    public string Query { get; set; } = "";

    public string MeasureColumn { get; set; } = "measure";

    public string PeriodColumn { get; set; } = "period";

    public string ValueColumn { get; set; } = "value";

    public string? NoteColumn { get; set; }

    public string? SegmentColumn { get; set; }
}

/// <summary>One run of a source: when, how long, what it read and wrote, and the error when it failed.</summary>
public sealed class StoredSourceRun
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public long SourceId { get; set; }

    /// <summary><c>demand</c>, <c>schedule</c> or <c>push</c>.</summary>
    public required string Trigger { get; set; }

    /// <summary><c>running</c>, <c>succeeded</c>, <c>empty</c> (read no row) or <c>failed</c>.</summary>
    public required string Status { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public long RowsRead { get; set; }

    public int Added { get; set; }

    public int Corrected { get; set; }

    public int Unchanged { get; set; }

    /// <summary>What went wrong (never holding the secret).</summary>
    public string? Error { get; set; }

    public string? RunBy { get; set; }
}

internal sealed class StoredDataSourceConfiguration : IEntityTypeConfiguration<StoredDataSource>
{
    public void Configure(EntityTypeBuilder<StoredDataSource> builder)
    {
        builder.ToTable("data_sources");
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.Property(s => s.Kind).HasMaxLength(20);
        builder.Property(s => s.Address).HasMaxLength(2000);
        builder.Property(s => s.Format).HasMaxLength(10);
        builder.Property(s => s.RowsPath).HasMaxLength(200);
        builder.Property(s => s.Auth).HasMaxLength(10);
        builder.Property(s => s.AuthName).HasMaxLength(200);
        builder.Property(s => s.SecretProtected).HasMaxLength(4000);
        builder.Property(s => s.Schedule).HasMaxLength(20);
        builder.Property(s => s.Cron).HasMaxLength(100);
        builder.Property(s => s.PushTokenHash).HasMaxLength(64);
        builder.Property(s => s.CreatedBy).HasMaxLength(256);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasIndex(s => new { s.OrganisationId, s.Name }).IsUnique();
        builder.HasIndex(s => s.PushTokenHash);
        builder.HasOne<StoredOrganisation>().WithMany().HasForeignKey(s => s.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<OpenBscUser>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class StoredSourceBindingConfiguration : IEntityTypeConfiguration<StoredSourceBinding>
{
    public void Configure(EntityTypeBuilder<StoredSourceBinding> builder)
    {
        builder.ToTable("source_bindings");
        builder.Property(b => b.Measure).HasMaxLength(100);
        builder.Property(b => b.Query).HasMaxLength(8000);
        builder.Property(b => b.MeasureColumn).HasMaxLength(100);
        builder.Property(b => b.PeriodColumn).HasMaxLength(100);
        builder.Property(b => b.ValueColumn).HasMaxLength(100);
        builder.Property(b => b.NoteColumn).HasMaxLength(100);
        builder.Property(b => b.SegmentColumn).HasMaxLength(100);
        builder.HasIndex(b => new { b.OrganisationId, b.SourceId });
        builder.HasOne<StoredDataSource>().WithMany().HasForeignKey(b => b.SourceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StoredScorecard>().WithMany().HasForeignKey(b => b.ScorecardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredSourceRunConfiguration : IEntityTypeConfiguration<StoredSourceRun>
{
    public void Configure(EntityTypeBuilder<StoredSourceRun> builder)
    {
        builder.ToTable("source_runs");
        builder.Property(r => r.Trigger).HasMaxLength(10);
        builder.Property(r => r.Status).HasMaxLength(10);
        builder.Property(r => r.Error).HasMaxLength(4000);
        builder.Property(r => r.RunBy).HasMaxLength(256);
        builder.HasIndex(r => new { r.OrganisationId, r.SourceId, r.StartedAt });
        builder.HasOne<StoredDataSource>().WithMany().HasForeignKey(r => r.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}
