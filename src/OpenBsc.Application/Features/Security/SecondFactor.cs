using Microsoft.AspNetCore.Identity;
using OpenBsc.Application.Data;

namespace OpenBsc.Application.Features.Security;

/// <summary>An authenticator being set up: the shared key (base32, as apps show it) and the otpauth URI for the QR code.</summary>
public sealed record AuthenticatorSetup(string Key, string Uri);

/// <summary>
/// Second factor for local accounts with an authenticator app (TOTP, RFC 6238, ASP.NET Core Identity's
/// authenticator provider): set up with a code from the app, recovery codes shown once, codes checked at sign-in
/// with the same lockout as passwords (5 wrong in a row lock the account for 15 minutes).
/// </summary>
public sealed class SecondFactor(UserManager<OpenBscUser> manager, IUserStore<OpenBscUser> store)
{
    public const int RecoveryCodes = 10;

    /// <summary>The key to set up (a new one when the user has none yet).</summary>
    public async Task<AuthenticatorSetup?> SetupAsync(Guid userId)
    {
        if (await manager.FindByIdAsync(userId.ToString()) is not { } user)
        {
            return null;
        }

        string? key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            // Through the store, not ResetAuthenticatorKeyAsync: that would change the security stamp and so end the
            // session of the user who merely opened the set-up page. The key counts only once a code proves it.
            key = manager.GenerateNewAuthenticatorKey();
            await ((IUserAuthenticatorKeyStore<OpenBscUser>)store).SetAuthenticatorKeyAsync(user, key, CancellationToken.None);
            await manager.UpdateAsync(user);
        }

        string label = Uri.EscapeDataString($"OpenBsc:{user.UserName}");
        return new AuthenticatorSetup(key, $"otpauth://totp/{label}?secret={key}&issuer=OpenBsc&digits=6");
    }

    /// <summary>Turns the second factor on when <paramref name="code"/> is the app's current code; returns the recovery codes (shown once) or the problem.</summary>
    public async Task<(IReadOnlyList<string>? RecoveryCodes, string? Problem)> EnableAsync(Guid userId, string code)
    {
        if (await manager.FindByIdAsync(userId.ToString()) is not { } user)
        {
            return (null, "Your account no longer exists.");
        }

        if (!await manager.VerifyTwoFactorTokenAsync(user, manager.Options.Tokens.AuthenticatorTokenProvider, Clean(code)))
        {
            return (null, "Code: that is not the code your app shows now (6 digits; check the phone's clock if it keeps failing).");
        }

        await manager.SetTwoFactorEnabledAsync(user, true);
        var codes = await manager.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodes);
        return ([.. codes!], null);
    }

    /// <summary>Turns the second factor off and forgets the key (a new set-up needs a new key).</summary>
    public async Task DisableAsync(Guid userId)
    {
        if (await manager.FindByIdAsync(userId.ToString()) is { } user)
        {
            await manager.SetTwoFactorEnabledAsync(user, false);
            await manager.ResetAuthenticatorKeyAsync(user);
        }
    }

    /// <summary>
    /// Checks a code at sign-in: the app's current code or an unused recovery code (used up by this). A wrong code
    /// counts as a failed sign-in (lockout). Returns null when right, else the problem.
    /// </summary>
    public async Task<string?> CheckAsync(OpenBscUser user, string code)
    {
        if (await manager.IsLockedOutAsync(user))
        {
            return "Too many failed sign-ins: this account is locked for 15 minutes (an administrator can reset it).";
        }

        string clean = Clean(code);
        bool right = clean.Length == 6 && clean.All(char.IsAsciiDigit)
            ? await manager.VerifyTwoFactorTokenAsync(user, manager.Options.Tokens.AuthenticatorTokenProvider, clean)
            : clean.Length is > 6 and <= 20 && (await manager.RedeemTwoFactorRecoveryCodeAsync(user, code.Trim())).Succeeded;
        if (right)
        {
            await manager.ResetAccessFailedCountAsync(user);
            return null;
        }

        await manager.AccessFailedAsync(user);
        return await manager.IsLockedOutAsync(user)
            ? "Too many failed sign-ins: this account is locked for 15 minutes (an administrator can reset it)."
            : "The code is not right: type the 6 digits your authenticator app shows now, or one of your recovery codes.";
    }

    private static string Clean(string? code) => (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();
}
