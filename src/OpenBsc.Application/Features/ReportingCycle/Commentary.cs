using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.ReportingCycle;

/// <summary>
/// The analysis and recommendations of one item for one period. <see cref="Version"/> identifies this very text (an
/// edit makes a new one): it is the ETag a writer names so that an edit never silently replaces someone else's.
/// </summary>
public sealed record CommentaryEntry(string Item, string Period, string Analysis, string Recommendations, string? EnteredBy, DateTime EnteredAt, long Version, DateTime? SupersededAt = null, string? SupersededBy = null)
{
    public string AnalysisHtml => CommentaryText.ToHtml(Analysis);

    public string RecommendationsHtml => CommentaryText.ToHtml(Recommendations);

    public bool IsEmpty => Analysis.Length == 0 && Recommendations.Length == 0;
}

/// <summary>What saving commentary did: the text now current, or why nothing was stored (naming the field).</summary>
public sealed record CommentaryWrite(EditStatus Status, CommentaryEntry? Current, string? Message, string? Field = null);

/// <summary>
/// Reads and writes commentary (docs/reporting-cycle.md). Every save is kept: it supersedes the current text, which
/// stays in the history with who wrote it and when. Saves of one scorecard are serialised by the data-version bump
/// that opens their transaction (SQLite's write lock, PostgreSQL's row lock), so two writers naming the same version
/// cannot both succeed; the bump also tells every node's page cache that the scorecard's pages changed.
/// </summary>
public sealed class Commentary(IDbContextFactory<OpenBscDbContext> contexts, TimeProvider clock)
{
    /// <summary>The current commentary of one item and period, or null when none was written.</summary>
    public async Task<CommentaryEntry?> GetAsync(Guid scorecardId, string item, Period period, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string text = period.ToString();
        return await db.Commentary.AsNoTracking().Where(c => c.ScorecardId == scorecardId && c.Item == item && c.Period == text && c.SupersededAt == null)
            .Select(Entry).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Every version of one item's commentary for a period, newest first.</summary>
    public async Task<IReadOnlyList<CommentaryEntry>> HistoryAsync(Guid scorecardId, string item, Period period, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string text = period.ToString();
        return await db.Commentary.AsNoTracking().Where(c => c.ScorecardId == scorecardId && c.Item == item && c.Period == text)
            .OrderByDescending(c => c.Id).Select(Entry).ToListAsync(cancellationToken);
    }

    /// <summary>The current commentary of every item of a scorecard for a period, by item ("" = the scorecard).</summary>
    public async Task<IReadOnlyDictionary<string, CommentaryEntry>> ForPeriodAsync(Guid scorecardId, Period period, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string text = period.ToString();
        var rows = await db.Commentary.AsNoTracking().Where(c => c.ScorecardId == scorecardId && c.Period == text && c.SupersededAt == null)
            .Select(Entry).ToListAsync(cancellationToken);
        return rows.Where(r => !r.IsEmpty).ToDictionary(r => r.Item, StringComparer.Ordinal);
    }

    /// <summary>All current commentary of a scorecard (every period): what its scorecard file carries.</summary>
    public async Task<IReadOnlyList<CommentaryEntry>> AllAsync(Guid scorecardId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Commentary.AsNoTracking().Where(c => c.ScorecardId == scorecardId && c.SupersededAt == null)
            .OrderBy(c => c.Period).ThenBy(c => c.Item).Select(Entry).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Saves the analysis and recommendations of <paramref name="item"/> ("" = the scorecard) for a period.
    /// <paramref name="expectedVersion"/> names the version the writer started from (0 when there was none); null
    /// (no precondition) is accepted only while nothing has been written. Text is checked for length, never altered.
    /// </summary>
    public async Task<CommentaryWrite> SaveAsync(ScorecardSnapshot scorecard, string item, Period period, string analysis, string recommendations, long? expectedVersion, string by, CancellationToken cancellationToken = default)
    {
        if (ReportingItems.Find(scorecard, item) is null)
        {
            return new CommentaryWrite(EditStatus.NotFound, null, $"There is no item '{item}' in scorecard '{scorecard.Scorecard.Name}'.", "item");
        }

        analysis = Normalise(analysis);
        recommendations = Normalise(recommendations);
        foreach (var (text, field) in new[] { (analysis, "analysis"), (recommendations, "recommendations") })
        {
            if (CommentaryText.Problem(text, field) is { } problem)
            {
                return new CommentaryWrite(EditStatus.Invalid, null, problem, field);
            }
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ReportingItems.TouchAsync(db, scorecard.Id, cancellationToken);
        string periodText = period.ToString();
        var current = await db.Commentary.Where(c => c.ScorecardId == scorecard.Id && c.Item == item && c.Period == periodText && c.SupersededAt == null)
            .FirstOrDefaultAsync(cancellationToken);
        long held = current?.Id ?? 0;
        if (expectedVersion is null ? current is not null : expectedVersion != held)
        {
            var now = current is null ? null : ToEntry(current);
            return new CommentaryWrite(EditStatus.Stale, now,
                current is null
                    ? "The commentary you edited was removed meanwhile; nothing was saved. Reload and write it again."
                    : $"{current.EnteredBy ?? "Someone"} saved this commentary at {current.EnteredAt:yyyy-MM-dd HH:mm} UTC after you opened it; nothing was saved. Reload to see their text, then make your change again.");
        }

        if (current is not null && current.Analysis == analysis && current.Recommendations == recommendations)
        {
            return new CommentaryWrite(EditStatus.Saved, ToEntry(current), "Unchanged.");
        }

        var at = clock.GetUtcNow().UtcDateTime;
        if (current is not null)
        {
            current.SupersededAt = at;
            current.SupersededBy = by;
        }

        var row = new StoredCommentary
        {
            OrganisationId = scorecard.OrganisationId,
            ScorecardId = scorecard.Id,
            Item = item,
            Period = periodText,
            Analysis = analysis,
            Recommendations = recommendations,
            EnteredBy = by,
            EnteredAt = at,
        };
        db.Commentary.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CommentaryWrite(EditStatus.Saved, ToEntry(row), "Saved.");
    }

    /// <summary>Browsers send CR LF from a text area; keep one line ending so that an unchanged text compares equal.</summary>
    private static string Normalise(string? text) => (text ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    private static readonly System.Linq.Expressions.Expression<Func<StoredCommentary, CommentaryEntry>> Entry =
        c => new CommentaryEntry(c.Item, c.Period, c.Analysis, c.Recommendations, c.EnteredBy, c.EnteredAt, c.Id, c.SupersededAt, c.SupersededBy);

    private static CommentaryEntry ToEntry(StoredCommentary c) => new(c.Item, c.Period, c.Analysis, c.Recommendations, c.EnteredBy, c.EnteredAt, c.Id, c.SupersededAt, c.SupersededBy);
}

/// <summary>What commentary, discussions and actions may be attached to: the scorecard, its perspectives, objectives and measures.</summary>
public static class ReportingItems
{
    /// <summary>The node of <paramref name="item"/> in the scorecard's own tree ("" = the scorecard), or null.</summary>
    public static NodeDefinition? Find(ScorecardSnapshot scorecard, string item)
    {
        var nodes = scorecard.Model.Nodes;
        if (item.Length == 0)
        {
            return nodes[0];
        }

        foreach (var node in nodes)
        {
            if (node.Id == item && node.Kind is NodeKind.Perspective or NodeKind.Objective or NodeKind.Measure && node.ScorecardId == scorecard.Scorecard.Id)
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>The item's owner as written in the definition (objectives and measures have one), or null.</summary>
    public static string? Owner(ScorecardSnapshot scorecard, string item)
    {
        var node = Find(scorecard, item);
        if (node?.Measure is { } measure)
        {
            return measure.Owner;
        }

        return node?.Kind == NodeKind.Objective ? scorecard.Scorecard.AllObjectives().FirstOrDefault(o => o.Id == item)?.Owner : null;
    }

    /// <summary>The page of an item for a period: objectives and measures have their own; the scorecard and perspectives their commentary page.</summary>
    public static string Link(ScorecardSnapshot scorecard, NodeDefinition node, Period period)
    {
        string key = Uri.EscapeDataString(scorecard.Scorecard.Id);
        string id = Uri.EscapeDataString(node.Id);
        return node.Kind switch
        {
            NodeKind.Measure => $"/scorecards/{key}/measures/{id}?period={period}",
            NodeKind.Objective => $"/scorecards/{key}/objectives/{id}?period={period}",
            NodeKind.Perspective => $"/scorecards/{key}/commentary/{id}?period={period}",
            _ => $"/scorecards/{key}/commentary?period={period}",
        };
    }

    /// <summary>
    /// Moves the scorecard's data version inside the caller's transaction: it serialises writers of the same scorecard
    /// and tells every node that pages showing it must be rendered again.
    /// </summary>
    internal static Task<int> TouchAsync(OpenBscDbContext db, Guid scorecardId, CancellationToken cancellationToken) =>
        db.Scorecards.Where(s => s.Id == scorecardId).ExecuteUpdateAsync(s => s.SetProperty(x => x.DataVersion, x => x.DataVersion + 1), cancellationToken);
}
