using System.Net;
using System.Net.Sockets;

namespace CollabVlm.EndToEnd.Tests;

/// <summary>A TCP port that was free a moment ago (the OS picks it; another process could still take it before we do).</summary>
public static class FreePort
{
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
