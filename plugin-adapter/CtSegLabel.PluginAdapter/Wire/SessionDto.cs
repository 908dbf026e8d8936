using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CtSegLabel.PluginAdapter.Wire;

/// <summary>A session: an image uploaded for interactive inference without entering the datastore.</summary>
public sealed record SessionInfoDto(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("meta")] JsonObject Meta,
    [property: JsonPropertyName("create_ts")] long CreateTs,
    [property: JsonPropertyName("last_access_ts")] long LastAccessTs,
    [property: JsonPropertyName("expiry")] long Expiry);

/// <summary>Answer of <c>PUT /session/</c>.</summary>
public sealed record CreateSessionDto(
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("session_info")] SessionInfoDto SessionInfo);
