namespace OpenBsc.Application.Data;

/// <summary>An organisation: the tenant every other table is keyed by.</summary>
public sealed class StoredOrganisation
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// A scorecard's definition, stored as its scorecard file (JSON, without observations): the file format is the
/// contract users already know, and one row per scorecard keeps loading to one query.
/// </summary>
public sealed class StoredScorecard
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    /// <summary>The scorecard's id in its file (unique within the organisation).</summary>
    public required string Key { get; set; }

    public required string Name { get; set; }

    /// <summary>The scorecard file, JSON, without observations.</summary>
    public required string Definition { get; set; }

    /// <summary>Optimistic concurrency token: bumped by every definition change.</summary>
    public long Version { get; set; }

    /// <summary>Bumped by every observation written for this scorecard: caches compare it.</summary>
    public long DataVersion { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// An observed value. Append-only: a correction inserts a new row and marks the earlier one superseded, with who,
/// when and why, so the history of a value is never lost.
/// </summary>
public sealed class StoredObservation
{
    public long Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Guid ScorecardId { get; set; }

    public required string MeasureKey { get; set; }

    /// <summary>The customer segment of the series, for a measure tracked per segment; null otherwise.</summary>
    public string? Segment { get; set; }

    /// <summary>The period as written (<c>2026-03</c>, <c>2026-Q1</c>, …).</summary>
    public required string Period { get; set; }

    /// <summary>First day of the period (calendar; day number), for ordering in SQL.</summary>
    public int PeriodStart { get; set; }

    public double Value { get; set; }

    public string? Note { get; set; }

    public string? EnteredBy { get; set; }

    public DateTime EnteredAt { get; set; }

    public DateTime? SupersededAt { get; set; }

    public string? SupersededBy { get; set; }

    /// <summary>Why the value was corrected (on the row that was superseded).</summary>
    public string? CorrectionReason { get; set; }
}
