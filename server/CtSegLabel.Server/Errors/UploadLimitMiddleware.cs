using CtSegLabel.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Errors;

/// <summary>Refuses a body whose announced length passes the configured limit before reading a byte of it
/// (413). Bodies without a length are cut off by Kestrel's MaxRequestBodySize at the same limit.
/// Forms are then read here, under the server's <see cref="FormLimits"/>, so that a form past a limit (10,000 parts,
/// a megabyte of part headers, an oversize params field) gets a 413 naming the limit and its setting — read later by the
/// endpoint's binding it would end as a bare status without a reason.</summary>
public sealed class UploadLimitMiddleware(RequestDelegate next, IOptions<ServerOptions> options, IOptions<FormOptions> formOptions)
{
    public async Task InvokeAsync(HttpContext context)
    {
        long limit = options.Value.MaxUploadBytes;
        if (context.Request.ContentLength is long length && length > limit)
        {
            // The client is still sending: close the connection afterwards rather than drain gigabytes.
            context.Response.Headers.Connection = "close";
            await ErrorWriter.WriteDetailAsync(context, StatusCodes.Status413PayloadTooLarge, TooLarge(limit, length));
            return;
        }
        if (context.Request.HasFormContentType && !await ReadFormAsync(context)) return;
        await next(context);
    }

    public static string TooLarge(long limit, long? length = null) =>
        $"Request body{(length is { } n ? $" of {n} bytes" : "")} is larger than the server's limit of {limit} bytes (Server:MaxUploadBytes)";

    /// <summary>Reads the form (the endpoint's binding then finds it read); false when an answer was written.</summary>
    private async Task<bool> ReadFormAsync(HttpContext context)
    {
        try
        {
            var form = await BoundedMultipartForm.ReadFormAsync(context, formOptions.Value, options.Value.MaxJsonBytes, context.RequestAborted);
            if (FieldProblem(form) is not { } problem) return true;
            await ErrorWriter.WriteDetailAsync(context, StatusCodes.Status413PayloadTooLarge, problem);
            return false;
        }
        catch (FormFieldTooLargeException e)
        {
            // The rest of the field is still on its way: close rather than drain it.
            context.Response.Headers.Connection = "close";
            await ErrorWriter.WriteDetailAsync(context, StatusCodes.Status413PayloadTooLarge,
                $"Request form refused: field '{e.Field}' holds more than the server's limit of {e.Limit} bytes (Server:MaxJsonBytes)");
            return false;
        }
        catch (InvalidDataException e) when (IsLimit(e))
        {
            context.Response.Headers.Connection = "close";
            await ErrorWriter.WriteDetailAsync(context, StatusCodes.Status413PayloadTooLarge, FormTooLarge(e.Message));
            return false;
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !context.RequestAborted.IsCancellationRequested)
        {
            await ErrorWriter.WriteDetailAsync(context, StatusCodes.Status400BadRequest, $"The request form could not be read: {e.Message}");
            return false;
        }
    }

    /// <summary>Field names, and the values of an urlencoded form as a whole (a multipart text field was bounded while
    /// it was read: <see cref="BoundedMultipartForm"/>).</summary>
    private string? FieldProblem(IFormCollection form)
    {
        int maxName = formOptions.Value.KeyLengthLimit, maxValue = options.Value.MaxJsonBytes;
        foreach (var (key, values) in form)
        {
            if (key.Length > maxName)
                return $"Request form refused: a field name of {key.Length} characters; at most {maxName} are accepted";
            if (values.Sum(v => (long)(v?.Length ?? 0)) is long length && length > maxValue)
                return $"Request form refused: field '{key}' holds {length} characters, more than the server's limit of {maxValue} (Server:MaxJsonBytes)";
        }
        foreach (var file in form.Files)
            if (file.Name.Length > maxName)
                return $"Request form refused: a file part name of {file.Name.Length} characters; at most {maxName} are accepted";
        return null;
    }

    /// <summary>The form reader reports its limits as InvalidDataException ("Form value count limit 64 exceeded.").</summary>
    internal static bool IsLimit(InvalidDataException e) =>
        e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) && e.Message.Contains("exceeded", StringComparison.OrdinalIgnoreCase);

    /// <summary>The reader's own message names the limit; this adds which setting or rule it comes from.</summary>
    private string FormTooLarge(string message)
    {
        var o = options.Value;
        string which = message switch
        {
            _ when message.Contains("value count", StringComparison.OrdinalIgnoreCase) =>
                $"a form may hold at most {o.MaxFormParts} parts (Server:MaxFormParts)",
            _ when message.Contains("value length", StringComparison.OrdinalIgnoreCase) =>
                $"a form field (params, info) may hold at most {o.MaxJsonBytes} bytes (Server:MaxJsonBytes)",
            _ when message.Contains("key length", StringComparison.OrdinalIgnoreCase) =>
                $"a form field name may be at most {formOptions.Value.KeyLengthLimit} characters",
            _ when message.Contains("body length", StringComparison.OrdinalIgnoreCase) => TooLarge(o.MaxUploadBytes),
            _ => $"a form part's headers may be at most {formOptions.Value.MultipartHeadersLengthLimit} bytes in {formOptions.Value.MultipartHeadersCountLimit} headers",
        };
        return $"Request form refused: {message.TrimEnd('.')}: {which}";
    }
}
