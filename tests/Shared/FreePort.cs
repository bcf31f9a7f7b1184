using System.Net;
using System.Net.Sockets;

namespace Digits.Tests.Support;

/// <summary>A loopback port nothing listens on, for a server a test starts.</summary>
public static class FreePort
{
    /// <summary>A port the system just handed out and released.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
