using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CtSegLabel.AppContract;

namespace CtSegLabel.Server.Routes;

/// <summary>One version in <c>/model/{model}/versions</c> answers (not a MONAI Label route: ours, snake_case like its JSON).</summary>
public sealed record ModelVersionDto(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    [property: JsonPropertyName("parent")] string? Parent,
    [property: JsonPropertyName("metrics")] JsonObject Metrics,
    [property: JsonPropertyName("current")] bool Current)
{
    public static ModelVersionDto From(ModelVersionInfo v) => new(v.Name, v.Created, v.Source, v.ModelVersion, v.Parent, v.Metrics, v.Current);
}

/// <summary>Answer of <c>GET /model/{model}/versions</c>: the versions newest first, and the current one's name
/// (null when the model has none).</summary>
public sealed record ModelVersionsDto(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("current")] string? Current,
    [property: JsonPropertyName("versions")] IReadOnlyList<ModelVersionDto> Versions);
