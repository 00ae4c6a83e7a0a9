using System.Net.Mail;
using Cronos;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;
using OpenBsc.Application.Features.Editing;
using OpenBsc.Application.Features.Organisations;
using OpenBsc.Application.Features.Reports;
using OpenBsc.Application.Features.Scorecards;
using OpenBsc.Domain.Periods;
using OpenBsc.Domain.Scoring;

namespace OpenBsc.Application.Features.ReportingCycle;

/// <summary>What a briefing book holds and when it is sent (docs/reporting-cycle.md).</summary>
public sealed record BookDefinition(string Name, IReadOnlyList<string> Scorecards, IReadOnlyList<string> Sections, IReadOnlyList<string> Recipients, string Schedule, string? Cron)
{
    /// <summary>The section names a book may choose, in the order they print.</summary>
    public static readonly IReadOnlyList<string> AllSections = ["cover", "map", "dashboard", "commentary", "charts", "actions", "initiatives", "risks"];

    public static readonly IReadOnlyList<string> Schedules = ["none", "close", "cron"];

    public ReportParts Parts => Sections.Aggregate(ReportParts.None, (parts, s) => parts | ReportPartsOf(s));

    public static ReportParts ReportPartsOf(string section) => section switch
    {
        "cover" => ReportParts.Cover,
        "map" => ReportParts.Map,
        "dashboard" => ReportParts.Dashboard,
        "commentary" => ReportParts.Commentary,
        "charts" => ReportParts.Charts,
        "actions" => ReportParts.Actions,
        "initiatives" => ReportParts.Initiatives,
        "risks" => ReportParts.Risks,
        _ => ReportParts.None,
    };
}

/// <summary>A stored book: its definition, id and version (the ETag).</summary>
public sealed record BookEntry(long Id, BookDefinition Definition, long Version, DateTime UpdatedAt, DateTime? ScheduledThrough);

/// <summary>What saving a book did, or why nothing was stored (each problem names its field).</summary>
public sealed record BookWrite(EditStatus Status, BookEntry? Book, IReadOnlyList<(string Field, string Message)> Problems, string? Message = null);

/// <summary>
/// Briefing books (ClearPoint's name): a named pack of scorecards with chosen sections, rendered as one PDF or printable
/// HTML, and sent by e-mail with the PDF attached when a period of one of its scorecards is closed or on a cron
/// schedule in the organisation's time zone. Sending goes through the outbox, so it is retried and happens once
/// however many nodes run; the PDF is rendered when the e-mail is sent, never stored.
/// </summary>
public sealed class BriefingBooks(IDbContextFactory<OpenBscDbContext> contexts, ScorecardReports reports, OrganisationClock organisationClock, TimeProvider clock)
{
    public async Task<IReadOnlyList<BookEntry>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.BriefingBooks.AsNoTracking().Where(b => b.OrganisationId == organisationId).OrderBy(b => b.Name).ToListAsync(cancellationToken);
        return [.. rows.Select(ToEntry)];
    }

    public async Task<BookEntry?> GetAsync(Guid organisationId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.BriefingBooks.AsNoTracking().FirstOrDefaultAsync(b => b.OrganisationId == organisationId && b.Id == id, cancellationToken);
        return row is null ? null : ToEntry(row);
    }

    /// <summary>The book named <paramref name="name"/> (any case) in the organisation, or null.</summary>
    public async Task<BookEntry?> FindAsync(Guid? organisationId, string name, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.BriefingBooks.AsNoTracking().Where(b => organisationId == null || b.OrganisationId == organisationId).ToListAsync(cancellationToken);
        var row = rows.FirstOrDefault(b => string.Equals(b.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
        return row is null ? null : ToEntry(row);
    }

    /// <summary>
    /// Creates a book (<paramref name="id"/> null) or changes one; <paramref name="expectedVersion"/> is the version the
    /// writer saw, so a change never silently overwrites another.
    /// </summary>
    public async Task<BookWrite> SaveAsync(Guid organisationId, long? id, long? expectedVersion, BookDefinition definition, string by, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        definition = Normalise(definition);
        var problems = await ProblemsAsync(db, organisationId, id, definition, cancellationToken);
        if (problems.Count > 0)
        {
            return new BookWrite(EditStatus.Invalid, null, problems, "Nothing was saved: " + string.Join("; ", problems.Select(p => p.Message)));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        StoredBriefingBook row;
        if (id is { } existing)
        {
            var found = await db.BriefingBooks.FirstOrDefaultAsync(b => b.OrganisationId == organisationId && b.Id == existing, cancellationToken);
            if (found is null)
            {
                return new BookWrite(EditStatus.NotFound, null, [], $"There is no briefing book {existing}.");
            }

            if (expectedVersion != found.Version)
            {
                return new BookWrite(EditStatus.Stale, ToEntry(found), [], $"The book was changed at {found.UpdatedAt:yyyy-MM-dd HH:mm} UTC after you opened it; nothing was saved. Reload and make your change again.");
            }

            row = found;
            bool reschedule = row.Schedule != definition.Schedule || row.Cron != definition.Cron;
            Apply(row, definition);
            row.Version++;
            row.UpdatedAt = now;
            if (reschedule)
            {
                // A new schedule starts from now: it does not send the occurrences it would have had in the past.
                row.ScheduledThrough = now;
            }
        }
        else
        {
            row = new StoredBriefingBook
            {
                OrganisationId = organisationId,
                Name = definition.Name,
                Scorecards = "",
                Sections = "",
                Recipients = "",
                Schedule = "none",
                CreatedAt = now,
                CreatedBy = by,
                UpdatedAt = now,
                ScheduledThrough = now,
            };
            Apply(row, definition);
            db.BriefingBooks.Add(row);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new BookWrite(EditStatus.Stale, null, [], "The book was changed meanwhile; nothing was saved. Reload and make your change again.");
        }
        catch (DbUpdateException)
        {
            return new BookWrite(EditStatus.Conflict, null, [("name", $"name: a book named '{definition.Name}' exists already; choose another name.")]);
        }

        return new BookWrite(EditStatus.Saved, ToEntry(row), [], "Saved.");
    }

    public async Task<bool> DeleteAsync(Guid organisationId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.BriefingBooks.Where(b => b.OrganisationId == organisationId && b.Id == id).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Renders a book for <paramref name="period"/> (null: each scorecard's reporting period) as <c>pdf</c> or
    /// <c>html</c>; null when one of its scorecards no longer exists in the organisation.
    /// </summary>
    public async Task<(byte[] Content, string Title)?> RenderAsync(Guid organisationId, BookEntry book, Period? period, string format, CancellationToken cancellationToken = default)
    {
        var today = await organisationClock.TodayAsync(organisationId, cancellationToken);
        // A book is read by the organisation's people (also when sent on schedule): its numbers and dates are theirs.
        Organisations.OrganisationFormat.Use(await organisationClock.FormatAsync(organisationId, cancellationToken));
        var parts = new List<ScorecardReport>();
        foreach (string key in book.Definition.Scorecards)
        {
            var report = await reports.BuildAsync(organisationId, key, period, today, book.Definition.Parts, cancellationToken);
            if (report is null)
            {
                return null;
            }

            parts.Add(report);
        }

        string periodLabel = parts.Select(p => p.PeriodLabel).Distinct().Count() == 1 ? parts[0].PeriodLabel : string.Join(", ", parts.Select(p => p.PeriodLabel).Distinct());
        string title = $"{book.Definition.Name} — {periodLabel}";
        using var output = new MemoryStream();
        if (format == "html")
        {
            await using var writer = new StreamWriter(output, new System.Text.UTF8Encoding(false), 65536, leaveOpen: true);
            await writer.WriteAsync(ReportHtml.RenderBook(title, parts));
        }
        else
        {
            ReportPdf.WriteBook(title, parts, output);
        }

        return (output.ToArray(), title);
    }

    /// <summary>
    /// Queues, in the caller's transaction, the e-mails of the books sent on close that include the scorecard just
    /// closed: one delivery per recipient, its PDF rendered when it is sent. Returns how many were queued.
    /// </summary>
    internal static async Task<int> QueueOnCloseAsync(OpenBscDbContext db, ScorecardSnapshot scorecard, Period period, DateTime now, CancellationToken cancellationToken)
    {
        var books = await db.BriefingBooks.AsNoTracking().Where(b => b.OrganisationId == scorecard.OrganisationId && b.Schedule == "close").ToListAsync(cancellationToken);
        int queued = 0;
        foreach (var book in books.Where(b => Split(b.Scorecards).Contains(scorecard.Scorecard.Id, StringComparer.Ordinal)))
        {
            queued += Queue(db, book, period, now, $"{period} was closed for {scorecard.Scorecard.Name}.");
        }

        return queued;
    }

    /// <summary>
    /// Queues the books whose cron schedule came due (in the organisation's time zone). A node claims each occurrence by
    /// moving the book's <c>ScheduledThrough</c> from the value it read: only one node's update matches, so each
    /// occurrence is queued once however many nodes run. Returns how many e-mails were queued.
    /// </summary>
    public async Task<int> QueueScheduledAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var due = await db.BriefingBooks.AsNoTracking().Where(b => b.Schedule == "cron" && b.Cron != null).ToListAsync(cancellationToken);
        int queued = 0;
        foreach (var book in due)
        {
            var zone = await organisationClock.ZoneAsync(book.OrganisationId, cancellationToken);
            var from = DateTime.SpecifyKind(book.ScheduledThrough ?? book.CreatedAt, DateTimeKind.Utc);
            if (!TryParseCron(book.Cron!, out var cron) || cron.GetNextOccurrence(from, zone) is not { } next || next > now)
            {
                continue;
            }

            var previous = book.ScheduledThrough;
            int claimed = await db.BriefingBooks.Where(b => b.Id == book.Id && b.ScheduledThrough == previous)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.ScheduledThrough, now), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            var today = await organisationClock.TodayAsync(book.OrganisationId, cancellationToken);
            var period = await reports.ReportingPeriodAsync(book.OrganisationId, Split(book.Scorecards).FirstOrDefault() ?? "", today, cancellationToken);
            if (period is { } p)
            {
                queued += Queue(db, book, p, now, $"Sent on its schedule ({book.Cron}).");
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return queued;
    }

    /// <summary>Queues the book now for its recipients (the "Send now" button and <c>openbsc report --book … --send</c>).</summary>
    public async Task<int> QueueNowAsync(Guid organisationId, long id, Period period, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var book = await db.BriefingBooks.AsNoTracking().FirstOrDefaultAsync(b => b.OrganisationId == organisationId && b.Id == id, cancellationToken);
        if (book is null)
        {
            return 0;
        }

        int queued = Queue(db, book, period, clock.GetUtcNow().UtcDateTime, "Sent on request.");
        await db.SaveChangesAsync(cancellationToken);
        return queued;
    }

    /// <summary>The PDF an outbox e-mail carries (<c>book:ID@PERIOD</c>), rendered now; null when the book is gone.</summary>
    public async Task<(byte[] Content, string FileName)?> AttachmentAsync(Guid organisationId, string attachment, CancellationToken cancellationToken = default)
    {
        if (!attachment.StartsWith("book:", StringComparison.Ordinal) || attachment.IndexOf('@', StringComparison.Ordinal) is var at && at < 0
            || !long.TryParse(attachment[5..at], System.Globalization.CultureInfo.InvariantCulture, out long id) || !Period.TryParse(attachment[(at + 1)..], out var period))
        {
            return null;
        }

        var book = await GetAsync(organisationId, id, cancellationToken);
        if (book is null || await RenderAsync(organisationId, book, period, "pdf", cancellationToken) is not { } rendered)
        {
            return null;
        }

        return (rendered.Content, $"{FileNameOf(book.Definition.Name)}-{period}.pdf");
    }

    private static int Queue(OpenBscDbContext db, StoredBriefingBook book, Period period, DateTime now, string why)
    {
        int queued = 0;
        foreach (string address in Split(book.Recipients))
        {
            db.Deliveries.Add(new StoredDelivery
            {
                OrganisationId = book.OrganisationId,
                Channel = "email",
                Target = address,
                Subject = Clip($"[OpenBsc] {book.Name} — {period}", 300),
                Payload = $"The briefing book \"{book.Name}\" for {period} is attached as a PDF.\n\n{why}\n\nYou receive this because you are a recipient of this briefing book.",
                Attachment = $"book:{book.Id}@{period}",
                Status = DeliveryStatus.Pending,
                NextAttemptAt = now,
                CreatedAt = now,
            });
            queued++;
        }

        return queued;
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string FileNameOf(string name) =>
        new([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);

    public static bool TryParseCron(string text, out CronExpression cron)
    {
        try
        {
            cron = CronExpression.Parse(text.Trim(), CronFormat.Standard);
            return true;
        }
        catch (CronFormatException)
        {
            cron = null!;
            return false;
        }
    }

    private static BookDefinition Normalise(BookDefinition d) => d with
    {
        Name = (d.Name ?? "").Trim(),
        Scorecards = [.. d.Scorecards.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)],
        Sections = [.. BookDefinition.AllSections.Where(s => d.Sections.Any(x => string.Equals(x.Trim(), s, StringComparison.OrdinalIgnoreCase))),
            .. d.Sections.Select(s => s.Trim()).Where(s => s.Length > 0 && !BookDefinition.AllSections.Contains(s, StringComparer.OrdinalIgnoreCase))],
        Recipients = [.. d.Recipients.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)],
        Schedule = string.IsNullOrWhiteSpace(d.Schedule) ? "none" : d.Schedule.Trim().ToLowerInvariant(),
        Cron = string.IsNullOrWhiteSpace(d.Cron) ? null : d.Cron.Trim(),
    };

    private static async Task<List<(string Field, string Message)>> ProblemsAsync(OpenBscDbContext db, Guid organisationId, long? id, BookDefinition d, CancellationToken cancellationToken)
    {
        var problems = new List<(string, string)>();
        if (d.Name.Length is 0 or > 200)
        {
            problems.Add(("name", "name: give the book a name of 1 to 200 characters (e.g. \"Monthly executive review\")."));
        }

        if (d.Scorecards.Count == 0)
        {
            problems.Add(("scorecards", "scorecards: choose at least one scorecard."));
        }
        else
        {
            var known = await db.Scorecards.AsNoTracking().IgnoreQueryFilters().Where(s => s.OrganisationId == organisationId && s.ArchivedAt == null).Select(s => s.Key).ToListAsync(cancellationToken);
            foreach (string key in d.Scorecards.Where(k => !known.Contains(k)))
            {
                problems.Add(("scorecards", $"scorecards: there is no scorecard '{key}' in this organisation."));
            }
        }

        if (d.Sections.Count == 0)
        {
            problems.Add(("sections", $"sections: choose at least one of {string.Join(", ", BookDefinition.AllSections)}."));
        }

        foreach (string section in d.Sections.Where(s => !BookDefinition.AllSections.Contains(s)))
        {
            problems.Add(("sections", $"sections: '{section}' is not a section; expected {string.Join(", ", BookDefinition.AllSections)}."));
        }

        foreach (string address in d.Recipients.Where(r => !MailAddress.TryCreate(r, out _)))
        {
            problems.Add(("recipients", $"recipients: '{address}' is not an e-mail address."));
        }

        if (!BookDefinition.Schedules.Contains(d.Schedule))
        {
            problems.Add(("schedule", $"schedule: '{d.Schedule}' is not a schedule; expected none, close (when a period is closed) or cron."));
        }
        else if (d.Schedule == "cron" && (d.Cron is null || !TryParseCron(d.Cron, out _)))
        {
            problems.Add(("cron", $"cron: '{d.Cron}' is not a cron expression; expected five fields: minute hour day-of-month month day-of-week (e.g. \"0 7 1 * *\" for 07:00 on the 1st)."));
        }

        if (d.Schedule is "close" or "cron" && d.Recipients.Count == 0)
        {
            problems.Add(("recipients", "recipients: a book sent on a schedule needs at least one recipient."));
        }

        string name = d.Name;
        var others = await db.BriefingBooks.AsNoTracking().Where(b => b.OrganisationId == organisationId && b.Id != (id ?? 0)).Select(b => b.Name).ToListAsync(cancellationToken);
        if (others.Any(o => string.Equals(o, name, StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add(("name", $"name: a book named '{name}' exists already; choose another name."));
        }

        return problems;
    }

    private static void Apply(StoredBriefingBook row, BookDefinition d)
    {
        row.Name = d.Name;
        row.Scorecards = string.Join(',', d.Scorecards);
        row.Sections = string.Join(',', d.Sections);
        row.Recipients = string.Join(',', d.Recipients);
        row.Schedule = d.Schedule;
        row.Cron = d.Schedule == "cron" ? d.Cron : null;
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static BookEntry ToEntry(StoredBriefingBook b) =>
        new(b.Id, new BookDefinition(b.Name, Split(b.Scorecards), Split(b.Sections), Split(b.Recipients), b.Schedule, b.Cron), b.Version, b.UpdatedAt, b.ScheduledThrough);
}
