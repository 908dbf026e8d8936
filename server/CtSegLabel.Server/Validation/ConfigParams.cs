using System.Text.Json;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Validation;

/// <summary>
/// Checks client parameters against a task's published config: a key the config declares must come
/// with a value of the same kind (integer, number, boolean, string), and a key whose config is a list
/// of choices must be one of them. Keys the config does not declare pass (tasks take extra keys).
/// </summary>
public static class ConfigParams
{
    public static IEnumerable<(string Key, string Problem)> Problems(JsonObject config, JsonObject parameters)
    {
        foreach (var (key, value) in parameters)
        {
            if (!config.TryGetPropertyValue(key, out var declared) || declared is null || value is null) continue;
            string? problem = declared switch
            {
                JsonArray choices => ChoiceProblem(choices, value),
                JsonValue v => KindProblem(v, value),
                _ => null,
            };
            if (problem is not null) yield return (key, problem);
        }
    }

    /// <summary>The config's defaults as Slicer sends them: list entries collapsed to their first item.</summary>
    public static JsonObject FirstValues(JsonObject config)
    {
        var values = new JsonObject();
        foreach (var (key, value) in config)
            values[key] = value is JsonArray list ? list.FirstOrDefault()?.DeepClone() : value?.DeepClone();
        return values;
    }

    private static string? ChoiceProblem(JsonArray choices, JsonNode value)
    {
        var options = choices.Select(c => c is JsonValue cv && cv.TryGetValue(out string? s) ? s : c?.ToJsonString()).ToList();
        string given = value is JsonValue v && v.TryGetValue(out string? text) ? text : value.ToJsonString();
        return options.Contains(given, StringComparer.Ordinal) ? null : $"must be one of: {string.Join(", ", options)} (got '{given}')";
    }

    private static string? KindProblem(JsonValue declared, JsonNode value)
    {
        var want = declared.GetValueKind();
        var got = value.GetValueKind();
        return want switch
        {
            JsonValueKind.Number when IsInteger(declared) => got == JsonValueKind.Number && IsInteger(value) ? null : $"must be an integer (got {value.ToJsonString()})",
            JsonValueKind.Number => got == JsonValueKind.Number ? null : $"must be a number (got {value.ToJsonString()})",
            JsonValueKind.True or JsonValueKind.False => got is JsonValueKind.True or JsonValueKind.False ? null : $"must be true or false (got {value.ToJsonString()})",
            JsonValueKind.String => got == JsonValueKind.String ? null : $"must be a string (got {value.ToJsonString()})",
            _ => null,
        };
    }

    private static bool IsInteger(JsonNode node) =>
        node is JsonValue v && v.TryGetValue(out JsonElement e) ? e.TryGetInt64(out _) : node is JsonValue w && (w.TryGetValue(out int _) || w.TryGetValue(out long _));
}
