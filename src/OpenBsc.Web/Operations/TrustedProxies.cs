using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace OpenBsc.Web.Operations;

/// <summary>
/// Behind a reverse proxy (docs/operations.md): <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed only
/// from the addresses or networks in <c>OpenBsc__Proxies</c> (comma-separated, e.g. <c>127.0.0.1,10.0.0.0/8</c>).
/// Without it they are ignored, so no client can claim another address (the sign-in limit counts per address) or
/// https. Bad entries stop the start, naming them.
/// </summary>
public static class TrustedProxies
{
    public const string Key = "OpenBsc:Proxies";

    /// <summary>The forwarded-headers options for the configured proxies, or null when none are configured.</summary>
    public static ForwardedHeadersOptions? Read(IConfiguration configuration)
    {
        string? setting = configuration[Key];
        if (string.IsNullOrWhiteSpace(setting))
        {
            return null;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = null };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (string entry in setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                throw new InvalidOperationException($"OpenBsc__Proxies: '{entry}' is not an IP address or network (expected e.g. 10.0.0.5 or 10.0.0.0/8).");
            }
        }

        return options;
    }
}
