using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace CtSegLabel.Server.Tests.Limits;

/// <summary>
/// Clients that never finish a request (protocol notes §9: a GET/DELETE announcing a body it never sends; a slow-loris
/// header trickle) get an answer or a closed connection, and the server keeps answering everyone else meanwhile.
/// The time bounds are hang guards, not timing assertions: a stuck server fails them by minutes, not milliseconds.
/// </summary>
public class SlowClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string?> QuickTimeouts = new()
    {
        ["Server:RequestHeadersTimeoutSeconds"] = "2",
        ["Server:MinRequestBodyGraceSeconds"] = "2",
    };

    [Fact]
    public async Task Delete_announcing_a_body_it_never_sends_is_answered_and_does_not_hold_the_server()
    {
        await using var server = new KestrelServerHarness(QuickTimeouts);
        using var socket = await ConnectAsync(server);
        await SendAsync(socket, $"DELETE /train/ HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nContent-Length: 100\r\n\r\n");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        string answer = await ReadUntilClosedOrAsync(socket, "\r\n\r\n");
        output.WriteLine($"DELETE /train/ with a missing 100-byte body: {FirstLine(answer)} after {clock.ElapsedMilliseconds} ms");
        Assert.StartsWith("HTTP/1.1 200", answer);

        using var other = server.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/info/")).StatusCode);

        // The connection itself is then closed once the announced body fails to arrive (MinRequestBodyDataRate).
        string rest = await ReadUntilClosedOrAsync(socket, null);
        output.WriteLine($"connection closed after {clock.ElapsedMilliseconds} ms ({rest.Length} more bytes)");
    }

    [Fact]
    public async Task Slow_loris_headers_are_cut_off_while_other_clients_are_served()
    {
        await using var server = new KestrelServerHarness(QuickTimeouts);
        using var socket = await ConnectAsync(server);
        await SendAsync(socket, $"GET /info/ HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var trickle = new CancellationTokenSource();
        var loris = Task.Run(async () =>
        {
            // One header line a second, never the blank line that ends them.
            for (int n = 0; !trickle.IsCancellationRequested; n++)
            {
                try { await SendAsync(socket, $"X-Slow-{n}: {n}\r\n"); }
                catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException) { return; }
                await Task.Delay(1000, CancellationToken.None);
            }
        });

        using var other = server.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/info/")).StatusCode);

        string answer = await ReadUntilClosedOrAsync(socket, null);
        trickle.Cancel();
        await loris;
        output.WriteLine($"slow loris cut off after {clock.ElapsedMilliseconds} ms with: {FirstLine(answer)}");
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/info/")).StatusCode);
    }

    [Fact]
    public async Task Oversize_request_headers_are_refused_with_431()
    {
        await using var server = new KestrelServerHarness(new Dictionary<string, string?>());
        using var socket = await ConnectAsync(server);
        await SendAsync(socket, $"GET /info/ HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\nX-Big: {new string('a', 1 << 20)}\r\n\r\n");
        string answer = await ReadUntilClosedOrAsync(socket, "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 431", answer);
    }

    private static async Task<Socket> ConnectAsync(KestrelServerHarness server)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        return socket;
    }

    private static async Task SendAsync(Socket socket, string text) => await socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);

    /// <summary>Reads until <paramref name="until"/> has been seen or the server closes; fails after the hang guard.</summary>
    private static async Task<string> ReadUntilClosedOrAsync(Socket socket, string? until)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        var text = new StringBuilder();
        byte[] buffer = new byte[8192];
        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, guard.Token);
                if (n == 0) break;
                text.Append(Encoding.ASCII.GetString(buffer, 0, n));
                if (until is not null && text.ToString().Contains(until, StringComparison.Ordinal)) break;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the server neither answered nor closed the connection within {HangGuard.TotalSeconds} s (got: {text})");
        }
        catch (SocketException)
        {
            // Reset by the server: closed.
        }
        return text.ToString();
    }

    private static string FirstLine(string text) => text.Split("\r\n")[0];
}
