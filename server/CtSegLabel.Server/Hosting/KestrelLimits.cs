using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CtSegLabel.Server.Hosting;

/// <summary>
/// The connection-level limits, set deliberately rather than left to Kestrel's defaults, because several annotators share
/// one server on a hospital network and a single slow or broken client must not hold a connection slot forever.
/// </summary>
public static class KestrelLimits
{
    public static void Apply(KestrelServerLimits limits, ServerOptions options)
    {
        // Uploads of whole CT volumes are the largest bodies; the same limit answers 413 in UploadLimitMiddleware.
        limits.MaxRequestBodySize = options.MaxUploadBytes;
        // Slow loris: a client trickling its headers is cut off after this, whatever it sends.
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(options.RequestHeadersTimeoutSeconds);
        // Slicer keeps one connection per request; browsers on /docs keep them open. Idle ones go after this.
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(options.KeepAliveTimeoutSeconds);
        // The Python client can announce a body it never sends (protocol notes §9): a body slower than this rate
        // after the grace period ends the request, so no handler waits for it forever.
        limits.MinRequestBodyDataRate = new(options.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(options.MinRequestBodyGraceSeconds));
        // Answers (CT downloads) to a reader that stopped reading are dropped at the same rate.
        limits.MinResponseDataRate = new(options.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(options.MinRequestBodyGraceSeconds));
        // The protocol's requests carry a handful of short headers; ids travel in the query, bounded by the request line.
        limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersBytes;
        limits.MaxRequestHeaderCount = 100;
        limits.MaxRequestLineSize = 16 << 10;
    }
}
