using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;

namespace OpenBsc.Application.Features.Security;

/// <summary>A token as listed (never its secret, which is shown once at creation).</summary>
public sealed record ApiTokenRow(Guid Id, string Name, string Scope, DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt);

/// <summary>A new token: the secret to give to the tool (shown once) and the stored row.</summary>
public sealed record NewApiToken(string Secret, ApiTokenRow Token);

/// <summary>The user and scope a presented token stands for.</summary>
public sealed record TokenIdentity(Guid UserId, string UserName, string SecurityStamp, string Scope);

/// <summary>
/// Personal API tokens: <c>obsc_</c> + 32 random bytes (base64url); only their SHA-256 is stored. Scoped <c>read</c>
/// (GET only) or <c>write</c>, with an expiry (at most a year), revocable; a disabled user's tokens stop at once.
/// </summary>
public sealed class ApiTokens(IDbContextFactory<OpenBscDbContext> contexts, TimeProvider clock)
{
    public const string Prefix = "obsc_";
    public const int MaxDays = 366;

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>What a user without a second factor is told when their organisation requires one and they ask for a new token.</summary>
    public const string SecondFactorFirst = "Your organisation requires a second factor: set one up (Account → Second factor) before creating an API token. The tokens you already have keep working.";

    /// <summary>Creates a token of the user, asked for from a password session (or by the command line).</summary>
    public async Task<(NewApiToken? Token, string? Problem)> CreateAsync(Guid userId, string name, string scope, int days, CancellationToken cancellationToken = default) =>
        await CreateAsync(userId, name, scope, days, factorsShown: false, cancellationToken);

    /// <summary>
    /// Creates a token of the user. When their organisation requires a second factor and they have none, no new token
    /// is made (the ones they have keep working: docs/security.md), unless <paramref name="factorsShown"/>: a session
    /// begun through the identity provider, which asks for its own factors, or with a passkey (two factors in one).
    /// </summary>
    public async Task<(NewApiToken? Token, string? Problem)> CreateAsync(Guid userId, string name, string scope, int days, bool factorsShown, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
        {
            return (null, "Name the token (1 to 100 characters), e.g. after the tool that uses it.");
        }

        if (scope is not ("read" or "write"))
        {
            return (null, $"'{scope}' is not a scope: use read (GET only) or write.");
        }

        if (days is < 1 or > MaxDays)
        {
            return (null, $"A token expires after 1 to {MaxDays} days; {days} is outside that.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.DisabledAt == null)
            .Select(u => new { u.OrganisationId, MustSetUpSecondFactor = !u.TwoFactorEnabled && db.Organisations.Any(o => o.Id == u.OrganisationId && o.RequireSecondFactor) })
            .FirstOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return (null, "Your account is disabled.");
        }

        if (user.MustSetUpSecondFactor && !factorsShown)
        {
            return (null, SecondFactorFirst);
        }

        string secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow().UtcDateTime;
        var token = new StoredApiToken { Id = Guid.NewGuid(), OrganisationId = user.OrganisationId, UserId = userId, Name = name, Hash = Hash(secret), Scope = scope, CreatedAt = now, ExpiresAt = now.AddDays(days) };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return (new NewApiToken(secret, Row(token)), null);
    }

    public async Task<IReadOnlyList<ApiTokenRow>> ListAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).ToListAsync(cancellationToken);
        return [.. tokens.OrderByDescending(t => t.CreatedAt).Select(Row)];
    }

    /// <summary>Revokes one of the user's own tokens; false when the user has no such token.</summary>
    public async Task<bool> RevokeAsync(Guid userId, Guid tokenId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, cancellationToken);
        if (token is null)
        {
            return false;
        }

        token.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Who a presented secret stands for: null when unknown, revoked, expired, or its user is disabled.</summary>
    public async Task<TokenIdentity?> AuthenticateAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return null;
        }

        string hash = Hash(secret);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.RevokedAt == null)
            .Join(db.Users.Where(u => u.DisabledAt == null), t => t.UserId, u => u.Id, (t, u) => new { t.ExpiresAt, t.Scope, u.Id, u.UserName, u.SecurityStamp })
            .FirstOrDefaultAsync(cancellationToken);
        return found is null || found.ExpiresAt <= now ? null : new TokenIdentity(found.Id, found.UserName ?? "", found.SecurityStamp ?? "", found.Scope);
    }

    private static ApiTokenRow Row(StoredApiToken t) => new(t.Id, t.Name, t.Scope, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt);
}
