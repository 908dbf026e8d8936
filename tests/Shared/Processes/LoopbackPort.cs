using System.Net;
using System.Net.Sockets;

namespace CtSegLabel.TestSupport;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago: the OS picks it, the listener is closed at once and
/// the process started next binds it (a race other processes could win, but not in practice on a test machine).</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
