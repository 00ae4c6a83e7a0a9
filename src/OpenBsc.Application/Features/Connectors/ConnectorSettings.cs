using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OpenBsc.Application.Features.Connectors;

/// <summary>
/// Limits of every source run and which networks HTTP sources may reach (<c>OpenBsc:Connectors:*</c>). By default an
/// HTTP source may not reach loopback, private, link-local (cloud metadata) or other internal addresses.
/// </summary>
public sealed record ConnectorSettings
{
    /// <summary>How long reading a source may take (connecting, the query or the download).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The most rows a run reads; a source answering more fails the run.</summary>
    public int MaxRows { get; init; } = 100_000;

    /// <summary>The most bytes a run reads (an HTTP response, or the text of a query's cells).</summary>
    public long MaxBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>How many redirects an HTTP source may follow (each one checked again).</summary>
    public int MaxRedirects { get; init; } = 5;

    /// <summary>Let HTTP sources reach loopback addresses (127.0.0.0/8, ::1): tests and single-machine set-ups.</summary>
    public bool AllowLoopback { get; init; }

    /// <summary>Let HTTP sources reach private and link-local networks (10/8, 172.16/12, 192.168/16, 169.254/16, fc00::/7, fe80::/10, 100.64/10).</summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>Whether the web host runs due sources in the background.</summary>
    public bool Background { get; init; } = true;

    /// <summary>How often a web node looks for due sources.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a node holds a source it runs: a node that dies mid-run lets another run it after this.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Reads <c>OpenBsc:Connectors:*</c> (TimeoutSeconds, MaxRows, MaxBytes, AllowLoopback, AllowPrivateNetworks,
    /// Background, IntervalSeconds, LeaseMinutes) from configuration or, with ':' written '__', the environment.
    /// </summary>
    /// <exception cref="FormatException">A setting is not a number or not true/false; the message names it.</exception>
    public static ConnectorSettings Read(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var defaults = new ConnectorSettings();
        string? Text(string key) => setting("OpenBsc:Connectors:" + key) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        double Number(string key, double fallback) => Text(key) is { } v
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d > 0 ? d : throw new FormatException($"OpenBsc:Connectors:{key}: '{v}' is not a number above 0.")
            : fallback;
        bool Flag(string key, bool fallback) => Text(key) is { } v
            ? bool.TryParse(v, out bool b) ? b : throw new FormatException($"OpenBsc:Connectors:{key}: '{v}' is not true or false.")
            : fallback;
        return new ConnectorSettings
        {
            Timeout = TimeSpan.FromSeconds(Number("TimeoutSeconds", defaults.Timeout.TotalSeconds)),
            MaxRows = (int)Math.Min(int.MaxValue, Number("MaxRows", defaults.MaxRows)),
            MaxBytes = (long)Number("MaxBytes", defaults.MaxBytes),
            AllowLoopback = Flag("AllowLoopback", false),
            AllowPrivateNetworks = Flag("AllowPrivateNetworks", false),
            Background = Flag("Background", true),
            Interval = TimeSpan.FromSeconds(Number("IntervalSeconds", defaults.Interval.TotalSeconds)),
            Lease = TimeSpan.FromMinutes(Number("LeaseMinutes", defaults.Lease.TotalMinutes)),
        };
    }

    /// <summary>Why an HTTP source may not reach <paramref name="address"/>, or null when it may.</summary>
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return AllowLoopback ? null : "a loopback address";
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return "an unspecified or broadcast address";
        }

        byte[] b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            if (b[0] == 169 && b[1] == 254)
            {
                return AllowPrivateNetworks ? null : "a link-local address (such as the cloud metadata service 169.254.169.254)";
            }

            if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && (b[1] & 0xC0) == 64) || b[0] == 0)
            {
                return AllowPrivateNetworks ? null : "a private network address";
            }

            return b[0] >= 224 ? "a multicast or reserved address" : null;
        }

        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return AllowPrivateNetworks ? null : "a link-local address";
        }

        if ((b[0] & 0xFE) == 0xFC)
        {
            return AllowPrivateNetworks ? null : "a private network address (including the metadata service fd00:ec2::254)";
        }

        return address.IsIPv6Multicast ? "a multicast address" : null;
    }
}

/// <summary>Why a source could not be read or its rows not used: a message for its owner, never holding the secret.</summary>
public sealed class ConnectorException(string message) : Exception(message);
