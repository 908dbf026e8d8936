using System.Text.Json;

namespace CtSegLabel.Server.Auth.Jwt;

/// <summary>MONAI Label's claim paths: <c>realm_access#roles</c> is the member <c>roles</c> of the object <c>realm_access</c>;
/// a path without <c>#</c> is a top-level claim (<c>roles</c>, <c>groups</c>).</summary>
public static class ClaimPath
{
    /// <summary>The strings at the path (an array of strings, or one string); none when the path does not exist.</summary>
    public static List<string> Strings(JsonElement claims, string path)
    {
        var node = claims;
        foreach (string step in path.Split('#'))
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(step, out var inner)) return [];
            node = inner;
        }
        return AsStrings(node).ToList();
    }

    public static IEnumerable<string> AsStrings(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!),
        _ => [],
    };
}
