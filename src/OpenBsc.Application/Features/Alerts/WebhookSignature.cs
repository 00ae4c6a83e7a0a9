using System.Security.Cryptography;
using System.Text;

namespace OpenBsc.Application.Features.Alerts;

/// <summary>
/// The signature of a webhook call, as Stripe and GitHub sign theirs: <c>X-OpenBsc-Signature: sha256=HEX</c>, the
/// HMAC-SHA256 with the shared secret of <c>TIMESTAMP + "." + BODY</c>, where TIMESTAMP is the
/// <c>X-OpenBsc-Timestamp</c> header (Unix seconds). Signing the timestamp lets a receiver refuse replays of old calls.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-OpenBsc-Signature";
    public const string TimestampHeader = "X-OpenBsc-Timestamp";
    public const string DeliveryHeader = "X-OpenBsc-Delivery";
    public const string EventHeader = "X-OpenBsc-Event";

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of <c>timestamp.body</c> keyed by <paramref name="secret"/> (UTF-8).</summary>
    public static string Sign(string secret, long timestamp, string body)
    {
        byte[] mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return "sha256=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// Whether <paramref name="signature"/> is right for the body and timestamp (compared in constant time) and the
    /// timestamp is within <paramref name="tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(string secret, string? timestamp, string body, string? signature, DateTimeOffset now, TimeSpan tolerance)
    {
        if (signature is null || !long.TryParse(timestamp, out long seconds) || Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, seconds, body)), Encoding.ASCII.GetBytes(signature));
    }

    /// <summary>A new shared secret: 32 random bytes, base64url.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
