using OpenBsc.Application.Features.Security;

namespace OpenBsc.Web.Security;

/// <summary>
/// The messages the sign-in and password pages show after a redirect. The query carries a code, never the text:
/// an unknown code shows nothing, so no one can craft a link that makes the page say something of their choosing.
/// </summary>
public static class AccountMessages
{
    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        // One text for both: which of the two applies would tell whether the account exists.
        ["wrong"] = "The user name or password is not right. After five failed sign-ins an account is locked for 15 minutes (an administrator can unlock it sooner).",
        ["locked"] = "The user name or password is not right. After five failed sign-ins an account is locked for 15 minutes (an administrator can unlock it sooner).",
        ["differ"] = "The two new passwords differ: type the same one twice.",
        ["current"] = "The current password is not right.",
        ["same"] = "Choose a new password different from the current one.",
        ["short"] = $"The password is too short: use at least {PasswordPolicy.MinLength} characters (a few words make a good one).",
        ["long"] = $"The password is too long: use at most {PasswordPolicy.MaxLength} characters.",
        ["common"] = "This password is one of the most common passwords and is guessed first by attackers: choose another.",
        ["user-name"] = "The password must not be your user name.",
        ["not-changed"] = "The password was not changed: try another one.",
        ["local-off"] = "Your organisation signs in with single sign-on only: use the single sign-on button below.",
        ["sso-failed"] = "The single sign-on did not succeed: the identity provider's answer was refused (it came from another issuer or for another application, or took too long). Try again, or ask an administrator to check the single sign-on settings.",
        ["sso-off"] = "This organisation has no single sign-on any more: sign in with your password.",
        ["sso-no-email"] = "The identity provider did not give your e-mail address: ask an administrator to check the e-mail claim of the single sign-on settings.",
        ["sso-no-account"] = "The identity provider knows you, but you have no account in this organisation yet: ask an administrator to invite you.",
        ["sso-disabled"] = "Your account is disabled: ask an administrator of your organisation.",
        ["passkey-expired"] = "The passkey sign-in took more than 5 minutes or was already used: choose Sign in with a passkey again.",
        ["passkey-failed"] = "The passkey's answer could not be verified (it was not made for this site or this sign-in, or was used before): choose Sign in with a passkey again.",
        ["passkey-unknown"] = "This passkey is not registered here (it may have been removed): sign in with your password, or choose another passkey.",
        ["passkey-refused"] = "This passkey cannot sign in now: the account is disabled or locked. Ask an administrator of your organisation.",
        ["sso-other-organisation"] = "Your e-mail address belongs to an account of another organisation: use that organisation's sign-in.",
    };

    /// <summary>The text of a code; null for an unknown or missing code.</summary>
    public static string? Text(string? code) => code is null ? null : Texts.GetValueOrDefault(code);

    /// <summary>The code of a password problem's text (the texts of <see cref="Users"/> and <see cref="PasswordPolicy"/>).</summary>
    public static string Code(string problem) => Texts.FirstOrDefault(t => problem.Contains(t.Value, StringComparison.Ordinal)).Key ?? "not-changed";
}
