using CtSegLabel.AppContract;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.PluginAdapter.Wire;
using CtSegLabel.Server.Hosting;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Errors;

/// <summary>
/// Maps failures to answers a MONAI Label client understands: <see cref="ApiException"/> → its status
/// with <c>{"detail"}</c>; a bad input file → 422 naming file and field; a request the framework could
/// not bind, or a parameter the app refused → 422 in FastAPI's validation layout; a model without a
/// usable checkpoint → 409 with the app's how-to; an oversize body → 413; a full compute queue → 503 with Retry-After; anything else → 500 with
/// the error logged. Empty-bodied statuses (no route, wrong method) get a JSON body too.
/// </summary>
public sealed class ErrorHandlingMiddleware(RequestDelegate next, IOptions<ServerOptions> options, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            await HandleAsync(context, e);
            return;
        }

        if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentLength is null
            && context.Response.ContentType is null)
        {
            int status = context.Response.StatusCode;
            await ErrorWriter.WriteDetailAsync(context, status,
                status == StatusCodes.Status413PayloadTooLarge ? UploadLimitMiddleware.TooLarge(options.Value.MaxUploadBytes) : ErrorWriter.ReasonFor(status));
        }
    }

    private Task HandleAsync(HttpContext context, Exception e)
    {
        context.Response.Clear();
        switch (e)
        {
            case ApiException api:
                if (api.Status >= 500) logger.LogError("{Method} {Path}: {Detail}", context.Request.Method, context.Request.Path, api.Detail);
                return ErrorWriter.WriteDetailAsync(context, api.Status, api.Detail);
            case ComputeQueueFullException full:
                // Every worker is busy and the queue is full: the client should come back, not give up (RFC 9110 §10.2.3).
                logger.LogWarning("{Method} {Path}: {Message}", context.Request.Method, context.Request.Path, full.Message);
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(full.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ErrorWriter.WriteDetailAsync(context, StatusCodes.Status503ServiceUnavailable, full.Message);
            case ModelUnavailableException unavailable:
                logger.LogWarning("{Method} {Path}: {Message}", context.Request.Method, context.Request.Path, unavailable.Message);
                return ErrorWriter.WriteDetailAsync(context, StatusCodes.Status409Conflict, unavailable.Message);
            case UploadRejectedException bad:
                logger.LogWarning("{Method} {Path}: rejected upload: {Message}", context.Request.Method, context.Request.Path, bad.Message);
                return ErrorWriter.WriteValidationAsync(context, [new ValidationItemDto(["body", bad.Field], bad.Problem, "value_error.volume")]);
            case InferParameterException bad:
                return ErrorWriter.WriteValidationAsync(context, [new ValidationItemDto(["body", bad.Key], bad.Problem, "value_error")]);
            case VolumeFormatException bad:
                logger.LogWarning("{Method} {Path}: rejected input file: {Message}", context.Request.Method, context.Request.Path, bad.Message);
                return ErrorWriter.WriteDetailAsync(context, StatusCodes.Status422UnprocessableEntity, bad.Message);
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return ErrorWriter.WriteDetailAsync(context, StatusCodes.Status413PayloadTooLarge, UploadLimitMiddleware.TooLarge(options.Value.MaxUploadBytes));
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status400BadRequest:
                // Minimal-API binding failures (malformed JSON body, unparsable value): FastAPI says 422.
                return ErrorWriter.WriteValidationAsync(context, [new ValidationItemDto(["body"], bad.Message, "value_error")]);
            case BadHttpRequestException bad:
                return ErrorWriter.WriteDetailAsync(context, bad.StatusCode, bad.Message);
            case InvalidDataException bad when UploadLimitMiddleware.IsLimit(bad):
                return ErrorWriter.WriteDetailAsync(context, StatusCodes.Status413PayloadTooLarge, bad.Message);
            case ArgumentException bad when ThrownByHeaderParser(bad):
                // Found by fuzzing: the form reader lets the header parser's ArgumentNullException escape for
                // a part header like 'filename*' without a value; it is a malformed request, not a server fault.
                return ErrorWriter.WriteDetailAsync(context, StatusCodes.Status400BadRequest, $"Malformed multipart part header: {bad.Message}");
            default:
                logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
                return ErrorWriter.WriteDetailAsync(context, StatusCodes.Status500InternalServerError,
                    $"Internal Server Error: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Whether ASP.NET's HTTP header value parsers (Microsoft.Net.Http.Headers) threw it.</summary>
    internal static bool ThrownByHeaderParser(ArgumentException e) =>
        new System.Diagnostics.StackTrace(e, false).GetFrames().Any(f => f.GetMethod()?.DeclaringType?.Namespace == "Microsoft.Net.Http.Headers");
}
