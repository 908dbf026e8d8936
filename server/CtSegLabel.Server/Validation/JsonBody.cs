using System.Text.Json;
using System.Text.Json.Nodes;

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

    public static async Task<JsonBody> ReadAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        string text = await reader.ReadToEndAsync(context.RequestAborted);
        if (string.IsNullOrWhiteSpace(text)) return new JsonBody([], null);
        try
        {
            return JsonNode.Parse(text) switch
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
}
