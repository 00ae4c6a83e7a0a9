using Microsoft.EntityFrameworkCore;
using OpenBsc.Application.Data;

namespace OpenBsc.Application.Features.Security;

/// <summary>A passkey as its owner sees it in the list (never its key).</summary>
public sealed record PasskeyRow(Guid Id, string Name, DateTime CreatedAt, DateTime? LastUsedAt);

/// <summary>What a sign-in needs of a stored passkey: whose it is and the key and counter to check the answer with.</summary>
public sealed record PasskeyCredential(Guid Id, Guid UserId, string Name, byte[] PublicKey, long SignCount);

/// <summary>Why a new passkey was not stored.</summary>
public enum PasskeyRefusal
{
    /// <summary>The name is empty or too long (<see cref="Passkeys.NameProblem"/>).</summary>
    Name,

    /// <summary>The account is disabled (or gone).</summary>
    Disabled,

    /// <summary>The credential is registered already.</summary>
    Exists,
}

/// <summary>
/// The passkeys people registered (WebAuthn credentials; the ceremonies themselves are the web host's): listed,
/// added, removed and marked used, each change audited (passkey.added, passkey.removed, passkey.used).
/// </summary>
public sealed class Passkeys(IDbContextFactory<OpenBscDbContext> contexts, TimeProvider clock)
{
    public const int MaxNameLength = 100;

    /// <summary>Why a name cannot be used, or null.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength
            ? $"Name: give the passkey a name of 1 to {MaxNameLength} characters (e.g. the device it is on) so you can tell your passkeys apart."
            : null;

    public async Task<IReadOnlyList<PasskeyRow>> ListAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Passkeys.AsNoTracking().Where(p => p.UserId == userId)
            .Select(p => new PasskeyRow(p.Id, p.Name, p.CreatedAt, p.LastUsedAt)).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(p => p.CreatedAt)];
    }

    /// <summary>The credential ids the user registered already (the browser is told not to make a second one on the same device).</summary>
    public async Task<IReadOnlyList<byte[]>> CredentialIdsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Passkeys.AsNoTracking().Where(p => p.UserId == userId).Select(p => p.CredentialId).ToListAsync(cancellationToken);
    }

    /// <summary>Whether a credential id is registered by anyone (a new passkey's id must be new).</summary>
    public async Task<bool> ExistsAsync(byte[] credentialId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Passkeys.AsNoTracking().AnyAsync(p => p.CredentialId == credentialId, cancellationToken);
    }

    /// <summary>Stores a verified new passkey of an active user; returns why not, or null.</summary>
    public async Task<PasskeyRefusal?> AddAsync(Guid userId, string name, byte[] credentialId, byte[] publicKey, long signCount, CancellationToken cancellationToken = default)
    {
        if (NameProblem(name) is not null)
        {
            return PasskeyRefusal.Name;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.DisabledAt == null).Select(u => new { u.OrganisationId }).FirstOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return PasskeyRefusal.Disabled;
        }

        if (await db.Passkeys.AnyAsync(p => p.CredentialId == credentialId, cancellationToken))
        {
            return PasskeyRefusal.Exists;
        }

        db.Passkeys.Add(new StoredPasskey
        {
            Id = Guid.NewGuid(),
            OrganisationId = user.OrganisationId,
            UserId = userId,
            Name = name.Trim(),
            CredentialId = credentialId,
            PublicKey = publicKey,
            SignCount = signCount,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Removes one of the user's own passkeys; false when the user has no such passkey.</summary>
    public async Task<bool> RemoveAsync(Guid userId, Guid passkeyId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var passkey = await db.Passkeys.FirstOrDefaultAsync(p => p.Id == passkeyId && p.UserId == userId, cancellationToken);
        if (passkey is null)
        {
            return false;
        }

        db.Passkeys.Remove(passkey);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The passkey with this credential id, whoever holds it; null when none is registered.</summary>
    public async Task<PasskeyCredential?> FindAsync(byte[] credentialId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Passkeys.AsNoTracking().Where(p => p.CredentialId == credentialId)
            .Select(p => new PasskeyCredential(p.Id, p.UserId, p.Name, p.PublicKey, p.SignCount)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Records a verified use: the new counter and the time. False when the passkey changed meanwhile (removed, or
    /// used with the same counter by a request that got there first: a replay racing the real answer).
    /// </summary>
    public async Task<bool> RecordUseAsync(PasskeyCredential used, long signCount, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var passkey = await db.Passkeys.FirstOrDefaultAsync(p => p.Id == used.Id, cancellationToken);
        if (passkey is null || passkey.SignCount != used.SignCount)
        {
            return false;
        }

        passkey.SignCount = signCount;
        passkey.LastUsedAt = clock.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }
}
