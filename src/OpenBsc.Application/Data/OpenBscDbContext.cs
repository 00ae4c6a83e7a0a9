using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OpenBsc.Application.Data;

/// <summary>The one EF Core model, on SQLite (embedded) and PostgreSQL (company-wide); users are ASP.NET Core Identity's.</summary>
public sealed class OpenBscDbContext(DbContextOptions<OpenBscDbContext> options) : IdentityUserContext<OpenBscUser, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<StoredOrganisation> Organisations => Set<StoredOrganisation>();

    public DbSet<StoredScorecard> Scorecards => Set<StoredScorecard>();

    public DbSet<StoredObservation> Observations => Set<StoredObservation>();

    public DbSet<StoredScorecardVersion> ScorecardVersions => Set<StoredScorecardVersion>();

    public DbSet<StoredArchivedMeasure> ArchivedMeasures => Set<StoredArchivedMeasure>();

    /// <summary>ASP.NET Core data-protection keys (antiforgery, cookies): in the database, so every web node shares them.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<StoredScorecardRole> ScorecardRoles => Set<StoredScorecardRole>();

    public DbSet<StoredApiToken> ApiTokens => Set<StoredApiToken>();

    public DbSet<StoredPasskey> Passkeys => Set<StoredPasskey>();

    public DbSet<StoredAuditEntry> AuditLog => Set<StoredAuditEntry>();

    public DbSet<StoredInvitation> Invitations => Set<StoredInvitation>();

    public DbSet<StoredPendingObservation> PendingObservations => Set<StoredPendingObservation>();

    public DbSet<StoredAlertRule> AlertRules => Set<StoredAlertRule>();

    public DbSet<StoredWebhook> Webhooks => Set<StoredWebhook>();

    public DbSet<StoredAlertState> AlertStates => Set<StoredAlertState>();

    public DbSet<StoredNotification> Notifications => Set<StoredNotification>();

    public DbSet<StoredDelivery> Deliveries => Set<StoredDelivery>();

    public DbSet<StoredCommentary> Commentary => Set<StoredCommentary>();

    public DbSet<StoredComment> Comments => Set<StoredComment>();

    public DbSet<StoredAction> Actions => Set<StoredAction>();

    public DbSet<StoredPeriodClose> PeriodCloses => Set<StoredPeriodClose>();

    public DbSet<StoredBriefingBook> BriefingBooks => Set<StoredBriefingBook>();

    public DbSet<StoredDataSource> DataSources => Set<StoredDataSource>();

    public DbSet<StoredSourceBinding> SourceBindings => Set<StoredSourceBinding>();

    public DbSet<StoredSourceRun> SourceRuns => Set<StoredSourceRun>();

    /// <summary>
    /// Who and where this context works for (<see cref="Features.Security.RequestContext"/>), set by the factory that
    /// handed it out, every time (contexts are pooled); null for contexts made outside the app's factories (database
    /// copy, migrations): every organisation, actor "system".
    /// </summary>
    public Features.Security.RequestContext? Request { get; internal set; }

    /// <summary>
    /// The organisation the scorecard query filter scopes to: a member of the context, so EF Core reads it per query
    /// as a parameter.
    /// </summary>
    public Guid? CurrentTenant => Request?.OrganisationId;

    /// <summary>Who the changes saved through this context are audited as.</summary>
    public string Actor => Request?.Actor ?? "system";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Identity's tables under our naming; every tenant table carries the organisation id (Citus distribution).
        builder.Entity<OpenBscUser>(u =>
        {
            u.ToTable("users");
            u.Property(x => x.Role).HasConversion<string>().HasMaxLength(20);
            u.HasIndex(x => x.OrganisationId);
            u.HasOne<StoredOrganisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        builder.ApplyConfigurationsFromAssembly(typeof(OpenBscDbContext).Assembly);
        // Keys are unique per organisation only, and URLs carry keys: every lookup by key of a signed-in user's
        // request resolves within their organisation. Without a tenant (command line, background work, demo) every
        // organisation's scorecards are visible. Other tenant tables are reached through a scorecard's id, so this
        // one filter scopes them; queries that must see every organisation say IgnoreQueryFilters().
        builder.Entity<StoredScorecard>().HasQueryFilter(s => CurrentTenant == null || s.OrganisationId == CurrentTenant);
    }
}

internal sealed class StoredScorecardRoleConfiguration : IEntityTypeConfiguration<StoredScorecardRole>
{
    public void Configure(EntityTypeBuilder<StoredScorecardRole> builder)
    {
        builder.ToTable("scorecard_roles");
        builder.Property(r => r.Role).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(r => new { r.UserId, r.ScorecardId }).IsUnique();
        builder.HasIndex(r => r.OrganisationId);
        builder.HasOne<OpenBscUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<StoredScorecard>().WithMany().HasForeignKey(r => r.ScorecardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredApiTokenConfiguration : IEntityTypeConfiguration<StoredApiToken>
{
    public void Configure(EntityTypeBuilder<StoredApiToken> builder)
    {
        builder.ToTable("api_tokens");
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.Hash).HasMaxLength(64);
        builder.Property(t => t.Scope).HasMaxLength(10);
        builder.HasIndex(t => t.Hash).IsUnique();
        builder.HasIndex(t => new { t.OrganisationId, t.UserId });
        builder.HasOne<OpenBscUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredPasskeyConfiguration : IEntityTypeConfiguration<StoredPasskey>
{
    public void Configure(EntityTypeBuilder<StoredPasskey> builder)
    {
        builder.ToTable("passkeys");
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.CredentialId).HasMaxLength(1023);
        builder.HasIndex(p => p.CredentialId).IsUnique();
        builder.HasIndex(p => new { p.OrganisationId, p.UserId });
        // Two sign-ins with the same counter (a replayed answer racing the real one): the second save fails.
        builder.Property(p => p.SignCount).IsConcurrencyToken();
        builder.HasOne<OpenBscUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredInvitationConfiguration : IEntityTypeConfiguration<StoredInvitation>
{
    public void Configure(EntityTypeBuilder<StoredInvitation> builder)
    {
        builder.ToTable("invitations");
        builder.Property(i => i.Email).HasMaxLength(256);
        builder.Property(i => i.Hash).HasMaxLength(64);
        builder.Property(i => i.InvitedBy).HasMaxLength(256);
        builder.Property(i => i.Role).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(i => i.Hash).IsUnique();
        builder.HasIndex(i => new { i.OrganisationId, i.Email });
        builder.HasOne<StoredOrganisation>().WithMany().HasForeignKey(i => i.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredAuditEntryConfiguration : IEntityTypeConfiguration<StoredAuditEntry>
{
    public void Configure(EntityTypeBuilder<StoredAuditEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.Property(a => a.Actor).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(50);
        builder.Property(a => a.Scorecard).HasMaxLength(100);
        builder.Property(a => a.Subject).HasMaxLength(500);
        builder.HasIndex(a => new { a.OrganisationId, a.At });
    }
}

internal sealed class StoredPendingObservationConfiguration : IEntityTypeConfiguration<StoredPendingObservation>
{
    public void Configure(EntityTypeBuilder<StoredPendingObservation> builder)
    {
        builder.ToTable("pending_observations");
        builder.Property(p => p.MeasureKey).HasMaxLength(100);
        builder.Property(p => p.Segment).HasMaxLength(100);
        builder.Property(p => p.Period).HasMaxLength(10);
        builder.Property(p => p.Note).HasMaxLength(2000);
        builder.Property(p => p.Reason).HasMaxLength(2000);
        builder.Property(p => p.SubmittedBy).HasMaxLength(256);
        builder.Property(p => p.DecidedBy).HasMaxLength(256);
        builder.Property(p => p.State).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(p => new { p.OrganisationId, p.ScorecardId, p.State });
        builder.HasOne<StoredScorecard>().WithMany().HasForeignKey(p => p.ScorecardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoredOrganisationConfiguration : IEntityTypeConfiguration<StoredOrganisation>
{
    public void Configure(EntityTypeBuilder<StoredOrganisation> builder)
    {
        builder.ToTable("organisations");
        builder.Property(o => o.Name).HasMaxLength(200);
        // Defaults in the schema too: existing organisations get them when the columns are added.
        builder.Property(o => o.TimeZone).HasMaxLength(100).HasDefaultValue("UTC");
        builder.Property(o => o.FiscalYearStart).HasDefaultValue(1);
        builder.Property(o => o.DateFormat).HasMaxLength(20).HasDefaultValue("yyyy-MM-dd");
        builder.Property(o => o.StatusGreenFrom).HasDefaultValue(0.9);
        builder.Property(o => o.StatusYellowFrom).HasDefaultValue(0.6);
        builder.Property(o => o.SmtpHost).HasMaxLength(255);
        builder.Property(o => o.SmtpPort).HasDefaultValue(25);
        builder.Property(o => o.SmtpFrom).HasMaxLength(256);
        builder.Property(o => o.SmtpUser).HasMaxLength(256);
        builder.Property(o => o.SmtpPasswordProtected).HasMaxLength(2000);
        builder.Property(o => o.SmtpSecurity).HasMaxLength(10).HasDefaultValue("auto");
        builder.Property(o => o.OidcAuthority).HasMaxLength(500);
        builder.Property(o => o.OidcClientId).HasMaxLength(200);
        builder.Property(o => o.OidcClientSecretProtected).HasMaxLength(2000);
        builder.Property(o => o.OidcEmailClaim).HasMaxLength(100).HasDefaultValue("email");
        // The sentinel is the default itself: a new organisation stores viewer either way, and EF does not warn (at every
        // start) that the enum's CLR default, None, would be replaced by the database default.
        builder.Property(o => o.OidcDefaultRole).HasConversion<string>().HasMaxLength(20).HasDefaultValue(Features.Security.AccessRole.Viewer).HasSentinel(Features.Security.AccessRole.Viewer);
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
        // The one index every read and the import's look-up use. Observations are the bulk of the database, so each
        // index and check costs per row on import (docs/decisions/0011-observation-storage.md, bench/README.md):
        // no (OrganisationId, ScorecardId) index (no query filters observations by organisation alone), no foreign
        // key to scorecards (on PostgreSQL its per-row trigger was two thirds of a COPY; scorecards are never
        // deleted, and the writers read the scorecard in the same transaction), and no SQLite AUTOINCREMENT (a
        // sqlite_sequence update per row; the largest id still comes last, which is all history ordering needs).
        builder.HasIndex(o => new { o.ScorecardId, o.MeasureKey, o.PeriodStart });
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
