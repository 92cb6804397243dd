using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CollabVlm.NodeDefaults;

/// <summary>An address the node's HTTP host can listen on: an IP address (0.0.0.0 = every interface) or <c>localhost</c>.</summary>
public static class ListenAddress
{
    public static bool IsValid(string hostname) => hostname == "localhost" || IPAddress.TryParse(hostname, out _);

    /// <summary>True for 0.0.0.0 and ::, which no peer can use to reach this node.</summary>
    public static bool IsUnspecified(string hostname) =>
        IPAddress.TryParse(hostname, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any));

    /// <summary>Adds a Kestrel listener on <paramref name="hostname"/> (checked with <see cref="IsValid"/>) and <paramref name="port"/>.</summary>
    public static void Listen(KestrelServerOptions kestrel, string hostname, int port)
    {
        if (hostname == "localhost") kestrel.ListenLocalhost(port);
        else kestrel.Listen(IPAddress.Parse(hostname), port);
    }
}
