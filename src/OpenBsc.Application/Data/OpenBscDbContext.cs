using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OpenBsc.Application.Data;

/// <summary>The one EF Core model, on SQLite (embedded) and PostgreSQL (company-wide).</summary>
public sealed class OpenBscDbContext(DbContextOptions<OpenBscDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<StoredOrganisation> Organisations => Set<StoredOrganisation>();

    public DbSet<StoredScorecard> Scorecards => Set<StoredScorecard>();

    public DbSet<StoredObservation> Observations => Set<StoredObservation>();

    public DbSet<StoredScorecardVersion> ScorecardVersions => Set<StoredScorecardVersion>();

    public DbSet<StoredArchivedMeasure> ArchivedMeasures => Set<StoredArchivedMeasure>();

    /// <summary>ASP.NET Core data-protection keys (antiforgery, cookies): in the database, so every web node shares them.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OpenBscDbContext).Assembly);
}

internal sealed class StoredOrganisationConfiguration : IEntityTypeConfiguration<StoredOrganisation>
{
    public void Configure(EntityTypeBuilder<StoredOrganisation> builder)
    {
        builder.ToTable("organisations");
        builder.Property(o => o.Name).HasMaxLength(200);
    }
}

internal sealed class StoredScorecardConfiguration : IEntityTypeConfiguration<StoredScorecard>
{
    public void Configure(EntityTypeBuilder<StoredScorecard> builder)
    {
        builder.ToTable("scorecards");
        builder.Property(s => s.Key).HasMaxLength(100);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasIndex(s => new { s.OrganisationId, s.Key }).IsUnique();
        builder.HasOne<StoredOrganisation>().WithMany().HasForeignKey(s => s.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredObservationConfiguration : IEntityTypeConfiguration<StoredObservation>
{
    public void Configure(EntityTypeBuilder<StoredObservation> builder)
    {
        builder.ToTable("observations");
        builder.Property(o => o.MeasureKey).HasMaxLength(100);
        builder.Property(o => o.Segment).HasMaxLength(100);
        builder.Property(o => o.Period).HasMaxLength(10);
        builder.Property(o => o.Note).HasMaxLength(2000);
        builder.Property(o => o.EnteredBy).HasMaxLength(200);
        builder.Property(o => o.SupersededBy).HasMaxLength(200);
        builder.Property(o => o.CorrectionReason).HasMaxLength(2000);
        builder.HasIndex(o => new { o.ScorecardId, o.MeasureKey, o.PeriodStart });
        builder.HasIndex(o => new { o.OrganisationId, o.ScorecardId });
        builder.HasOne<StoredScorecard>().WithMany().HasForeignKey(o => o.ScorecardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredScorecardVersionConfiguration : IEntityTypeConfiguration<StoredScorecardVersion>
{
    public void Configure(EntityTypeBuilder<StoredScorecardVersion> builder)
    {
        builder.ToTable("scorecard_versions");
        builder.Property(v => v.SavedBy).HasMaxLength(200);
        builder.Property(v => v.Change).HasMaxLength(500);
        builder.HasIndex(v => new { v.ScorecardId, v.Version }).IsUnique();
        builder.HasIndex(v => new { v.OrganisationId, v.ScorecardId });
        builder.HasOne<StoredScorecard>().WithMany().HasForeignKey(v => v.ScorecardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredArchivedMeasureConfiguration : IEntityTypeConfiguration<StoredArchivedMeasure>
{
    public void Configure(EntityTypeBuilder<StoredArchivedMeasure> builder)
    {
        builder.ToTable("archived_measures");
        builder.Property(a => a.MeasureKey).HasMaxLength(100);
        builder.Property(a => a.Name).HasMaxLength(200);
        builder.Property(a => a.ObjectiveKey).HasMaxLength(100);
        builder.Property(a => a.ArchivedBy).HasMaxLength(200);
        builder.HasIndex(a => new { a.ScorecardId, a.MeasureKey }).IsUnique();
        builder.HasIndex(a => new { a.OrganisationId, a.ScorecardId });
        builder.HasOne<StoredScorecard>().WithMany().HasForeignKey(a => a.ScorecardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder) => builder.ToTable("data_protection_keys");
}
