using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Alerts;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.ReportingCycle;

/// <summary>A message of a discussion; <see cref="ParentId"/> set for a reply.</summary>
public sealed record CommentEntry(long Id, long? ParentId, string Author, string Text, DateTime PostedAt)
{
    public string Html => CommentaryText.ToHtml(Text);
}

/// <summary>What posting did: the message stored with the people it notified, or why nothing was stored.</summary>
public sealed record CommentWrite(EditStatus Status, CommentEntry? Comment, IReadOnlyList<string> Notified, string? Message, string? Field = null);

/// <summary>
/// The discussion of an item and period: messages and replies. A message that names a person of the organisation as
/// <c>@name</c> or <c>@e-mail</c> notifies them in the app and, when they have an address, by e-mail through the
/// outbox (sent by any node, retried; never while the writer waits).
/// </summary>
public sealed partial class Discussion(IDbContextFactory<OpenBscDbContext> contexts, AlertSettings settings, TimeProvider clock)
{
    /// <summary>The most characters one message may have.</summary>
    public const int MaxLength = 4_000;

    /// <summary>Messages of one item and period, oldest first (replies follow their message in the page, by <see cref="CommentEntry.ParentId"/>).</summary>
    public async Task<IReadOnlyList<CommentEntry>> ListAsync(Guid scorecardId, string item, Period period, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string text = period.ToString();
        return await db.Comments.AsNoTracking().Where(c => c.ScorecardId == scorecardId && c.Item == item && c.Period == text)
            .OrderBy(c => c.Id).Select(c => new CommentEntry(c.Id, c.ParentId, c.Author, c.Text, c.PostedAt)).ToListAsync(cancellationToken);
    }

    /// <summary>How many messages each item of a scorecard has for a period.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(Guid scorecardId, Period period, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string text = period.ToString();
        var counts = await db.Comments.AsNoTracking().Where(c => c.ScorecardId == scorecardId && c.Period == text)
            .GroupBy(c => c.Item).Select(g => new { Item = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return counts.ToDictionary(c => c.Item, c => c.Count, StringComparer.Ordinal);
    }

    /// <summary>Posts a message (a reply when <paramref name="parentId"/> is set) and notifies the people it mentions.</summary>
    public async Task<CommentWrite> PostAsync(ScorecardSnapshot scorecard, string item, Period period, long? parentId, string text, string author, CancellationToken cancellationToken = default)
    {
        var node = ReportingItems.Find(scorecard, item);
        if (node is null)
        {
            return new CommentWrite(EditStatus.NotFound, null, [], $"There is no item '{item}' in scorecard '{scorecard.Scorecard.Name}'.", "item");
        }

        text = (text ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (text.Length == 0)
        {
            return new CommentWrite(EditStatus.Invalid, null, [], "text: write a message first.", "text");
        }

        if (CommentaryText.Problem(text, "text", MaxLength) is { } problem)
        {
            return new CommentWrite(EditStatus.Invalid, null, [], problem, "text");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        string periodText = period.ToString();
        if (parentId is { } parent && !await db.Comments.AnyAsync(c => c.Id == parent && c.ScorecardId == scorecard.Id && c.Item == item && c.Period == periodText, cancellationToken))
        {
            return new CommentWrite(EditStatus.NotFound, null, [], $"parent: there is no message {parent} in this discussion to reply to.", "parent");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ReportingItems.TouchAsync(db, scorecard.Id, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new StoredComment
        {
            OrganisationId = scorecard.OrganisationId,
            ScorecardId = scorecard.Id,
            Item = item,
            Period = periodText,
            ParentId = parentId,
            Author = author,
            Text = text,
            PostedAt = now,
        };
        db.Comments.Add(row);
        var notified = await NotifyMentionedAsync(db, scorecard, node, period, text, author, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CommentWrite(EditStatus.Saved, new CommentEntry(row.Id, row.ParentId, row.Author, row.Text, row.PostedAt), notified, notified.Count == 0 ? "Posted." : $"Posted; notified {string.Join(", ", notified)}.");
    }

    /// <summary>
    /// Who a message mentions: <c>@name</c> or <c>@name@example.org</c>, matched against the user names and e-mail
    /// addresses of the scorecard's organisation (never another organisation's people, never the author).
    /// </summary>
    private async Task<List<string>> NotifyMentionedAsync(OpenBscDbContext db, ScorecardSnapshot scorecard, NodeDefinition node, Period period, string text, string author, DateTime now, CancellationToken cancellationToken)
    {
        var names = Mentions(text);
        if (names.Count == 0)
        {
            return [];
        }

        var lowered = names.Select(n => n.ToUpperInvariant()).ToList();
        var people = await db.Users.AsNoTracking()
            .Where(u => u.OrganisationId == scorecard.OrganisationId && u.DisabledAt == null
                && (lowered.Contains(u.NormalizedUserName!) || lowered.Contains(u.NormalizedEmail!)))
            .Select(u => new { u.Id, u.UserName, u.Email }).ToListAsync(cancellationToken);
        string link = ReportingItems.Link(scorecard, node, period) + "#discussion";
        string where = node.Kind == NodeKind.Scorecard ? scorecard.Scorecard.Name : $"{node.Name} ({scorecard.Scorecard.Name})";
        string excerpt = text.Length <= 300 ? text : text[..299] + "…";
        var notified = new List<string>();
        foreach (var person in people.Where(p => !string.Equals(p.UserName, author, StringComparison.OrdinalIgnoreCase)))
        {
            string title = $"{author} mentioned you on {where}, {period}";
            db.Notifications.Add(new StoredNotification
            {
                OrganisationId = scorecard.OrganisationId,
                UserId = person.Id,
                Scorecard = scorecard.Scorecard.Id,
                Title = title.Length <= 300 ? title : title[..299] + "…",
                Body = excerpt,
                Link = link,
                CreatedAt = now,
            });
            if (person.Email is { Length: > 0 } address)
            {
                db.Deliveries.Add(new StoredDelivery
                {
                    OrganisationId = scorecard.OrganisationId,
                    Channel = "email",
                    Target = address,
                    Subject = title.Length <= 290 ? "[OpenBsc] " + title : "[OpenBsc] " + title[..279] + "…",
                    Payload = $"{author} wrote:\n\n{CommentaryText.ToPlainText(text)}\n\n{settings.BaseUrl ?? ""}{link}\n\nYou receive this because you were mentioned in a discussion.",
                    Status = DeliveryStatus.Pending,
                    NextAttemptAt = now,
                    CreatedAt = now,
                });
            }

            notified.Add(person.UserName ?? person.Email ?? "");
        }

        return notified;
    }

    /// <summary>The names a text mentions (<c>@ana</c>, <c>@ana@example.org</c>), once each.</summary>
    public static IReadOnlyList<string> Mentions(string text) =>
        [.. MentionPattern().Matches(text).Select(m => m.Groups[1].Value.TrimEnd('.', ',', ';', ':', '!', '?', ')')).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];

    // An @ not preceded by a word character or another @ (so an e-mail in running text is not a mention of its domain).
    [GeneratedRegex(@"(?<![\w@])@([\w.+'-]+(?:@[\w-]+(?:\.[\w-]+)+)?)", RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();
}
