using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Hosting;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Validation;

/// <summary>
/// An optional JSON-object request body (active learning, train, scoring, batch infer). Read by hand so
/// that an absent body is <c>{}</c> whatever the Content-Type, and malformed JSON becomes a 422 naming
/// the body (via the request's validator) instead of the framework's bare 400.
/// </summary>
public sealed class JsonBody
{
    private JsonBody(JsonObject value, string? problem)
    {
        Value = value;
        Problem = problem;
    }

    public JsonObject Value { get; }

    /// <summary>Why the body is not a JSON object, or null.</summary>
    public string? Problem { get; }

    public static JsonBody Of(JsonObject value) => new(value, null);

    /// <summary>Reads at most <c>Server:MaxJsonBytes</c>; a larger body is 413 naming the limit before more is read.</summary>
    public static async Task<JsonBody> ReadAsync(HttpContext context)
    {
        int limit = context.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.MaxJsonBytes;
        if (context.Request.ContentLength > limit) throw TooLarge(limit);
        var buffer = new MemoryStream();
        byte[] chunk = new byte[16 << 10];
        int n;
        while ((n = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + n > limit) throw TooLarge(limit);
            buffer.Write(chunk, 0, n);
        }
        if (buffer.Length == 0) return new JsonBody([], null);
        string text;
        try
        {
            text = Strict.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            return new JsonBody([], "is not valid UTF-8 text");
        }
        if (string.IsNullOrWhiteSpace(text)) return new JsonBody([], null);
        try
        {
            return JsonNode.Parse(text, documentOptions: JsonText.DocumentOptions) switch
            {
                JsonObject o => new JsonBody(o, null),
                null => new JsonBody([], null), // a literal null means "no parameters"
                var other => new JsonBody([], $"must be a JSON object, got {other.GetValueKind()}"),
            };
        }
        catch (JsonException e)
        {
            return new JsonBody([], $"is not valid JSON: {e.Message}");
        }
    }

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static ApiException TooLarge(int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, $"request body: JSON larger than the server's limit of {limit} bytes (Server:MaxJsonBytes)");
}
