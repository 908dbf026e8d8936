using System.Text.Json;
using System.Text.Json.Nodes;

namespace CtSegLabel.Compute.Security;

/// <summary>Reads the small JSON key files, with errors that name the file and the field.</summary>
internal static class KeyFileJson
{
    public static JsonObject Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such key file", path);
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not JSON ({e.Message})");
        }
    }

    public static string Field(JsonObject json, string path, string name) =>
        json[name] is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s)
            ? s
            : throw new InvalidDataException($"{path}: field '{name}' is missing or not a string");
}
