using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using OpenBsc.Application.Data;

namespace OpenBsc.Application.Features.Alerts;

/// <summary>A delivery as the admin view lists it.</summary>
public sealed record DeliveryRow(long Id, string Channel, string Target, string Subject, string Status, int Attempts, DateTime NextAttemptAt, string? LastError, DateTime CreatedAt, DateTime? SentAt);

/// <summary>What one sending round did.</summary>
public sealed record SendSummary(int Sent, int Retrying, int Failed);

/// <summary>
/// Sends the outbox: claims each due delivery atomically (a conditional UPDATE, so two nodes never send the same
/// delivery), sends it, and records the outcome: sent; or pending again after the next wait of the retry schedule;
/// or failed, with the last error, after the last attempt. Runs in the background or from the CLI, never in a
/// user's request.
/// </summary>
public sealed class DeliverySender(IDbContextFactory<OpenBscDbContext> contexts, AlertSettings settings, Organisations.OrganisationSettings organisations, ReportingCycle.BriefingBooks books, TimeProvider clock) : IDisposable
{
    private const int Batch = 100;

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }) { Timeout = settings.SendTimeout };

    public void Dispose() => _http.Dispose();

    public async Task<SendSummary> SendDueAsync(CancellationToken cancellationToken = default)
    {
        int sent = 0, retrying = 0, failed = 0;
        var now = clock.GetUtcNow().UtcDateTime;
        List<long> due;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            due = await Due(db.Deliveries, now).OrderBy(d => d.Id).Select(d => d.Id).Take(Batch).ToListAsync(cancellationToken);
        }

        foreach (long id in due)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var claimedAt = clock.GetUtcNow().UtcDateTime;
            var leaseUntil = claimedAt + settings.Lease;
            // The claim: only one node's UPDATE matches a due row (SQLite serialises writers; PostgreSQL re-checks the
            // WHERE on the locked row), and the attempt is counted before sending, so a crash mid-send still counts.
            int claimed = await Due(db.Deliveries.Where(d => d.Id == id), claimedAt).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Sending)
                .SetProperty(d => d.LeaseUntil, leaseUntil)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            var delivery = await db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == id, cancellationToken);
            string? error = await TrySendAsync(db, delivery, cancellationToken);
            var done = clock.GetUtcNow().UtcDateTime;
            var row = db.Deliveries.Where(d => d.Id == id && d.Status == DeliveryStatus.Sending);
            if (error is null)
            {
                await row.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sent).SetProperty(d => d.SentAt, done)
                    .SetProperty(d => d.LeaseUntil, (DateTime?)null).SetProperty(d => d.LastError, (string?)null), cancellationToken);
                sent++;
            }
            else if (delivery.Attempts >= settings.MaxAttempts || error.StartsWith(NotConfigured, StringComparison.Ordinal) || error.StartsWith(Gone, StringComparison.Ordinal))
            {
                await row.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Failed).SetProperty(d => d.LastError, Clip(error))
                    .SetProperty(d => d.LeaseUntil, (DateTime?)null), cancellationToken);
                failed++;
            }
            else
            {
                var next = done + settings.Retries[delivery.Attempts - 1];
                await row.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.NextAttemptAt, next)
                    .SetProperty(d => d.LastError, Clip(error)).SetProperty(d => d.LeaseUntil, (DateTime?)null), cancellationToken);
                retrying++;
            }
        }

        return new SendSummary(sent, retrying, failed);
    }

    private const string NotConfigured = "SMTP is not configured";

    // What no retry can mend: the delivery fails at once.
    private const string Gone = "The attachment is gone";

    private static IQueryable<StoredDelivery> Due(IQueryable<StoredDelivery> rows, DateTime now) =>
        rows.Where(d => (d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now) || (d.Status == DeliveryStatus.Sending && d.LeaseUntil < now));

    private static string Clip(string error) => error.Length <= 2000 ? error : error[..1999] + "…";

    /// <summary>Sends one delivery; returns null when it was accepted, or what went wrong.</summary>
    private async Task<string?> TrySendAsync(OpenBscDbContext db, StoredDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            if (delivery.Channel == "email")
            {
                return await SendEmailAsync(delivery, cancellationToken);
            }

            string? secret = await db.Webhooks.AsNoTracking().Where(w => w.Id == delivery.WebhookId).Select(w => w.Secret).FirstOrDefaultAsync(cancellationToken);
            return secret is null ? "The webhook was deleted." : await PostWebhookAsync(delivery, secret, cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or HttpRequestException or TaskCanceledException or TimeoutException
            or SmtpCommandException or SmtpProtocolException or AuthenticationException or SslHandshakeException or InvalidOperationException or ParseException)
        {
            // A failed send is an expected outcome of talking to another server: recorded on the row, retried later.
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private async Task<string?> SendEmailAsync(StoredDelivery delivery, CancellationToken cancellationToken)
    {
        // The organisation's own SMTP server when it set one (organisation settings), else the server's.
        var smtp = await organisations.SmtpAsync(delivery.OrganisationId, cancellationToken) ?? settings.Smtp;
        if (smtp.Host is null)
        {
            return NotConfigured + " (set OpenBsc:Smtp:Host, or the organisation's SMTP server in its settings; see docs/alerts.md).";
        }

        var message = new MimeMessage();
        message.To.Add(MailboxAddress.Parse(delivery.Target));
        message.Subject = delivery.Subject;
        message.Headers.Add("X-OpenBsc-Delivery", delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (delivery.Attachment is { } attachment)
        {
            // Rendered now, not when queued: a retry sends the same book, and no PDF sits in the database meanwhile.
            if (await books.AttachmentAsync(delivery.OrganisationId, attachment, cancellationToken) is not { } file)
            {
                return $"{Gone}: {attachment} (the briefing book or one of its scorecards was deleted).";
            }

            var builder = new BodyBuilder { TextBody = delivery.Payload };
            builder.Attachments.Add(file.FileName, file.Content, new ContentType("application", "pdf"));
            message.Body = builder.ToMessageBody();
        }
        else
        {
            message.Body = new TextPart("plain") { Text = delivery.Payload };
        }

        await SmtpMail.SendAsync(smtp, message, settings.SendTimeout, cancellationToken);
        return null;
    }

    private async Task<string?> PostWebhookAsync(StoredDelivery delivery, string secret, CancellationToken cancellationToken)
    {
        // Each attempt is signed afresh: the timestamp is the attempt's, so a receiver's replay window holds for retries.
        long timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Target)
        {
            Content = new StringContent(delivery.Payload, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, delivery.Payload));
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.EventHeader, delivery.Subject);
        using var response = await _http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
    }

    /// <summary>The organisation's deliveries, newest first (failed ones only with <paramref name="status"/> = failed).</summary>
    public async Task<IReadOnlyList<DeliveryRow>> ListAsync(Guid organisationId, string? status, int take = 200, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.Deliveries.AsNoTracking().Where(d => d.OrganisationId == organisationId);
        if (!string.IsNullOrEmpty(status))
        {
            rows = rows.Where(d => d.Status == status);
        }

        return await rows.OrderByDescending(d => d.Id).Take(take)
            .Select(d => new DeliveryRow(d.Id, d.Channel, d.Target, d.Subject, d.Status, d.Attempts, d.NextAttemptAt, d.LastError, d.CreatedAt, d.SentAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Puts a failed delivery of the organisation back in the queue with a fresh set of attempts; false when there is no such failed delivery.</summary>
    public async Task<bool> RetryAsync(Guid organisationId, long id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Deliveries.Where(d => d.Id == id && d.OrganisationId == organisationId && d.Status == DeliveryStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.Attempts, 0).SetProperty(d => d.NextAttemptAt, now), cancellationToken) == 1;
    }
}

/// <summary>One plain-text e-mail through an SMTP server (the outbox's sends and the settings page's test message).</summary>
public static class SmtpMail
{
    /// <summary>Sends <paramref name="message"/> (its sender set here from <paramref name="smtp"/>).</summary>
    public static async Task SendAsync(SmtpSettings smtp, MimeMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        message.From.Clear();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        using var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        var security = smtp.Security switch
        {
            "none" => SecureSocketOptions.None,
            "starttls" => SecureSocketOptions.StartTls,
            "ssl" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        };
        await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("No SMTP server is set."), smtp.Port, security, cancellationToken);
        if (smtp.User is not null)
        {
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    /// <summary>
    /// Sends a test message now (not through the outbox: the administrator waits for the answer) and returns null
    /// when the server accepted it, or what went wrong in words.
    /// </summary>
    public static async Task<string?> TryTestAsync(SmtpSettings smtp, string to, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            var message = new MimeMessage { Subject = "[OpenBsc] Test message", Body = new TextPart("plain") { Text = "This is a test message from OpenBsc: the organisation's e-mail settings work." } };
            message.To.Add(MailboxAddress.Parse(to));
            await SendAsync(smtp, message, timeout, cancellationToken);
            return null;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TaskCanceledException or TimeoutException or OperationCanceledException
            or SmtpCommandException or SmtpProtocolException or AuthenticationException or SslHandshakeException or InvalidOperationException or ParseException or NotSupportedException)
        {
            return $"The SMTP server {smtp.Host}:{smtp.Port} did not take the message: {e.Message}";
        }
    }
}
