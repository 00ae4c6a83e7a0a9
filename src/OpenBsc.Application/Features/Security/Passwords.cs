using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using OpenBsc.Application.Data;

namespace OpenBsc.Application.Features.Security;

/// <summary>
/// Password rules per ASVS 5.0 (V6.2): at least 8 characters, up to 128 allowed (ASVS asks for at least 64), not one
/// of the 10,000 most common passwords, not the user name; no composition rules (they make passwords weaker in practice).
/// </summary>
public sealed class PasswordPolicy : IPasswordValidator<OpenBscUser>
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    private static readonly FrozenSet<string> Common = LoadCommon();

    public static bool IsCommon(string password) => Common.Contains(password.ToLowerInvariant());

    /// <summary>What is wrong with <paramref name="password"/>, or null when it is acceptable.</summary>
    public static string? Problem(string password, string? userName)
    {
        if (password.Length < MinLength)
        {
            return $"The password is too short: use at least {MinLength} characters (a few words make a good one).";
        }

        if (password.Length > MaxLength)
        {
            return $"The password is too long: use at most {MaxLength} characters.";
        }

        if (IsCommon(password))
        {
            return "This password is one of the most common passwords and is guessed first by attackers: choose another.";
        }

        return userName is not null && string.Equals(password, userName, StringComparison.OrdinalIgnoreCase)
            ? "The password must not be your user name."
            : null;
    }

    public Task<IdentityResult> ValidateAsync(UserManager<OpenBscUser> manager, OpenBscUser user, string? password) =>
        Task.FromResult(Problem(password ?? "", user.UserName) is { } problem
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordPolicy", Description = problem })
            : IdentityResult.Success);

    /// <summary>A one-time password: 100 random bits as four groups of five letters and digits (no look-alikes).</summary>
    public static string OneTime()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        var groups = Enumerable.Range(0, 4).Select(_ => new string([.. Enumerable.Range(0, 5).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)])]));
        return string.Join('-', groups);
    }

    private static FrozenSet<string> LoadCommon()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("OpenBsc.Security.common-passwords.txt")!;
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line.ToLowerInvariant());
            }
        }

        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
