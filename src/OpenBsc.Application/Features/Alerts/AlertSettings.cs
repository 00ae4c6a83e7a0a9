using System.Globalization;

namespace OpenBsc.Application.Features.Alerts;

/// <summary>The SMTP server e-mails go through (<c>OpenBsc:Smtp:*</c>); no host means e-mail is not configured.</summary>
public sealed record SmtpSettings
{
    public string? Host { get; init; }

    public int Port { get; init; } = 25;

    public string From { get; init; } = "openbsc@localhost";

    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary><c>auto</c> (STARTTLS when offered), <c>starttls</c> (required), <c>ssl</c> (TLS from the first byte, port 465) or <c>none</c>.</summary>
    public string Security { get; init; } = "auto";
}

/// <summary>
/// How alerts run: the SMTP server, the retry schedule of deliveries, how often a node checks, the digest day.
/// Read from configuration (web host) or the environment (CLI) with the same keys.
/// </summary>
public sealed record AlertSettings
{
    public SmtpSettings Smtp { get; init; } = new();

    /// <summary>Waits between attempts of a delivery: after the last one fails, the delivery is recorded failed.</summary>
    public IReadOnlyList<TimeSpan> Retries { get; init; } = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(6)];

    /// <summary>Whether the web host runs the alert pass in the background (off: run <c>openbsc alerts run</c> from cron).</summary>
    public bool Background { get; init; } = true;

    /// <summary>How often a web node runs the alert pass.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The weekly digest goes out on the first pass of this day (once per user and ISO week).</summary>
    public DayOfWeek DigestDay { get; init; } = DayOfWeek.Monday;

    /// <summary>The address of the web app, for links in e-mails and webhooks (e.g. https://bsc.example.org); relative links without it.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>How long one e-mail or webhook call may take before it counts as failed.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a node holds a claimed delivery: a node that dies mid-send lets another retry after this.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(5);

    public int MaxAttempts => Retries.Count + 1;

    /// <summary>
    /// Reads <c>OpenBsc:Smtp:Host|Port|From|User|Password|Security</c> and <c>OpenBsc:Alerts:Background|IntervalSeconds|
    /// RetryMinutes|DigestDay|BaseUrl|SendTimeoutSeconds</c> through <paramref name="setting"/> (a configuration lookup).
    /// Throws <see cref="FormatException"/> naming the key of a bad value.
    /// </summary>
    public static AlertSettings Read(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var defaults = new AlertSettings();
        string? Text(string key) => setting(key) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        double Number(string key, double fallback) => Text(key) is { } v
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d >= 0 ? d : throw new FormatException($"{key}: '{v}' is not a number ≥ 0.")
            : fallback;
        var retries = defaults.Retries;
        if (Text("OpenBsc:Alerts:RetryMinutes") is { } list)
        {
            retries = [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m =>
                double.TryParse(m, NumberStyles.Float, CultureInfo.InvariantCulture, out double minutes) && minutes >= 0 ? TimeSpan.FromMinutes(minutes)
                : throw new FormatException($"OpenBsc:Alerts:RetryMinutes: '{m}' is not a number of minutes (expected e.g. 1,5,30,120,360)."))];
        }

        var day = defaults.DigestDay;
        if (Text("OpenBsc:Alerts:DigestDay") is { } d && !Enum.TryParse(d, ignoreCase: true, out day))
        {
            throw new FormatException($"OpenBsc:Alerts:DigestDay: '{d}' is not a day of the week (expected e.g. Monday).");
        }

        return new AlertSettings
        {
            Smtp = new SmtpSettings
            {
                Host = Text("OpenBsc:Smtp:Host"),
                Port = (int)Number("OpenBsc:Smtp:Port", 25),
                From = Text("OpenBsc:Smtp:From") ?? defaults.Smtp.From,
                User = Text("OpenBsc:Smtp:User"),
                Password = setting("OpenBsc:Smtp:Password"),
                Security = (Text("OpenBsc:Smtp:Security") ?? "auto").ToLowerInvariant() is var s && s is "auto" or "starttls" or "ssl" or "none" ? s
                    : throw new FormatException($"OpenBsc:Smtp:Security: '{s}' is not one of auto, starttls, ssl, none."),
            },
            Retries = retries,
            Background = !string.Equals(Text("OpenBsc:Alerts:Background"), "false", StringComparison.OrdinalIgnoreCase),
            Interval = TimeSpan.FromSeconds(Math.Max(1, Number("OpenBsc:Alerts:IntervalSeconds", defaults.Interval.TotalSeconds))),
            DigestDay = day,
            BaseUrl = Text("OpenBsc:Alerts:BaseUrl")?.TrimEnd('/'),
            SendTimeout = TimeSpan.FromSeconds(Math.Max(1, Number("OpenBsc:Alerts:SendTimeoutSeconds", defaults.SendTimeout.TotalSeconds))),
        };
    }
}
