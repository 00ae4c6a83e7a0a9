using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace OpenBsc.Web.Security;

/// <summary>
/// Remembers, per node, what each session cookie decrypts to, so a signed-in request does not pay data protection's
/// AES and HMAC and the claims' deserialisation every time (most of what a cached page cost: bench/README.md). Only
/// what the cookie says is remembered, never whether it is still good: the cookie handler still refuses an expired
/// ticket on every request (each caller gets its own copy, so the handler's sliding renewal, which rewrites the
/// ticket's expiry, cannot stretch a remembered one), and access control still compares the user's security stamp and
/// disabled state on every request, so sign-out everywhere, a reset, a disable or a role change ends the session at
/// the next request as before. A tampered or foreign cookie is a different text: never found here, refused by the
/// data protection as before, and not remembered. An entry is kept for <see cref="KeptFor"/> at most, so a data
/// protection key revoked in the key ring stops its cookies within that time.
/// </summary>
public sealed class RememberedSessions(ISecureDataFormat<AuthenticationTicket> inner, TimeProvider clock) : ISecureDataFormat<AuthenticationTicket>
{
    /// <summary>Cookies remembered at most (then all are forgotten at once: a cookie is ~1 KB).</summary>
    public const int MaxEntries = 4096;

    /// <summary>How long a decrypted cookie is remembered before it is decrypted again.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string Text, string? Purpose), (AuthenticationTicket Ticket, DateTimeOffset Until)> _tickets = new();

    /// <summary>Cookies remembered now (for tests).</summary>
    public int Count => _tickets.Count;

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText))
        {
            return inner.Unprotect(protectedText, purpose);
        }

        var now = clock.GetUtcNow();
        if (_tickets.TryGetValue((protectedText, purpose), out var known) && now < known.Until)
        {
            return Copy(known.Ticket);
        }

        var ticket = inner.Unprotect(protectedText, purpose);
        if (ticket is null)
        {
            return null;
        }

        if (_tickets.Count >= MaxEntries)
        {
            _tickets.Clear();
        }

        // The remembered ticket is a copy nobody else holds: the caller may change the one it gets.
        _tickets[(protectedText, purpose)] = (Copy(ticket), now + KeptFor);
        return ticket;
    }

    // A deep copy: the identities and their claims (ClaimsPrincipal.Clone would share the identities, so a claim added
    // to one request's user would show in the next), and the properties (expiry, items) the handler rewrites.
    private static AuthenticationTicket Copy(AuthenticationTicket ticket) =>
        new(new System.Security.Claims.ClaimsPrincipal(ticket.Principal.Identities.Select(i => i.Clone())), ticket.Properties.Clone(), ticket.AuthenticationScheme);
}

/// <summary>Puts <see cref="RememberedSessions"/> in front of the session cookie's own ticket format (the same keys and purposes, so cookies issued before stay valid).</summary>
internal sealed class RememberSessions(TimeProvider clock) : IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        // Runs after the cookie handler's own post-configuration, which made the data protection ticket format.
        if (name == IdentityConstants.ApplicationScheme && options.TicketDataFormat is not RememberedSessions)
        {
            options.TicketDataFormat = new RememberedSessions(options.TicketDataFormat, clock);
        }
    }
}
