using CtSegLabel.Server.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using System.Text.Json;
using CtSegLabel.PluginAdapter.Wire;

namespace CtSegLabel.Server.Errors;

/// <summary>Writes error bodies. Every error is JSON with a Content-Type: the Slicer client parses an
/// answer without one as multipart and fails in an unrelated place.</summary>
public static class ErrorWriter
{
    public static Task WriteDetailAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (HttpMethods.IsHead(context.Request.Method)) return Task.CompletedTask;
        return context.Response.WriteAsync(JsonSerializer.Serialize(new ErrorDto(LimitNames.ForServer(detail)), WireJson.Options));
    }

    public static Task WriteValidationAsync(HttpContext context, IReadOnlyList<ValidationItemDto> items)
    {
        context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        context.Response.ContentType = "application/json";
        if (HttpMethods.IsHead(context.Request.Method)) return Task.CompletedTask;
        return context.Response.WriteAsync(JsonSerializer.Serialize(new ValidationErrorDto(items), WireJson.Options));
    }

    /// <summary>FastAPI's texts for statuses that have no body of their own (unknown route, wrong method...).</summary>
    public static string ReasonFor(int status) => status switch
    {
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } p ? p : $"HTTP {status}",
    };
}
