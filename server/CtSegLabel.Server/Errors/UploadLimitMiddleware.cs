using CtSegLabel.Server.Hosting;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Errors;

/// <summary>Refuses a body whose announced length passes the configured limit before reading a byte of it
/// (413). Bodies without a length are cut off by Kestrel's MaxRequestBodySize at the same limit.</summary>
public sealed class UploadLimitMiddleware(RequestDelegate next, IOptions<ServerOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        long limit = options.Value.MaxUploadBytes;
        if (context.Request.ContentLength is long length && length > limit)
        {
            // The client is still sending: close the connection afterwards rather than drain gigabytes.
            context.Response.Headers.Connection = "close";
            return ErrorWriter.WriteDetailAsync(context, StatusCodes.Status413PayloadTooLarge, TooLarge(limit, length));
        }
        return next(context);
    }

    public static string TooLarge(long limit, long? length = null) =>
        $"Request body{(length is { } n ? $" of {n} bytes" : "")} is larger than the server's limit of {limit} bytes (Server:MaxUploadBytes)";
}
