using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests;

/// <summary>Small helpers for raw HTTP assertions.</summary>
public static class Http
{
    public static async Task<JsonNode?> JsonAsync(this HttpResponseMessage r)
    {
        Assert.NotNull(r.Content.Headers.ContentType);
        Assert.Equal("application/json", r.Content.Headers.ContentType!.MediaType);
        string text = await r.Content.ReadAsStringAsync();
        return JsonNode.Parse(text);
    }

    public static async Task<JsonObject> ObjectAsync(this HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK)
    {
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"expected {(int)expected}, got {(int)r.StatusCode}: {body}");
        return Assert.IsType<JsonObject>(await r.JsonAsync());
    }

    /// <summary>Asserts a FastAPI-style 422 naming the field at <paramref name="loc"/>.</summary>
    public static async Task<string> AssertValidationErrorAsync(this HttpResponseMessage r, params string[] loc)
    {
        var body = await r.ObjectAsync(HttpStatusCode.UnprocessableEntity);
        var items = Assert.IsType<JsonArray>(body["detail"]);
        var match = items.OfType<JsonObject>().FirstOrDefault(i =>
            i["loc"] is JsonArray l && l.Select(x => x!.GetValue<string>()).SequenceEqual(loc));
        Assert.True(match is not null, $"no 422 item at [{string.Join(", ", loc)}] in {body.ToJsonString()}");
        Assert.False(string.IsNullOrEmpty(match!["msg"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(match["type"]?.GetValue<string>()));
        return match["msg"]!.GetValue<string>();
    }

    /// <summary>Asserts <c>{"detail": "..."}</c> with the status, returning the detail.</summary>
    public static async Task<string> AssertDetailAsync(this HttpResponseMessage r, HttpStatusCode status)
    {
        var body = await r.ObjectAsync(status);
        return Assert.IsAssignableFrom<JsonValue>(body["detail"]).GetValue<string>();
    }

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");
}
