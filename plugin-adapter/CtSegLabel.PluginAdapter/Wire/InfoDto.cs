using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CtSegLabel.PluginAdapter.Wire;

/// <summary>
/// <c>GET /info/</c>. Every key is always present; there is deliberately no top-level <c>config</c>
/// (Slicer refuses a server whose info has a truthy one).
/// </summary>
public sealed record InfoDto(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("models")] IReadOnlyDictionary<string, ModelInfoDto> Models,
    [property: JsonPropertyName("trainers")] IReadOnlyDictionary<string, TrainerInfoDto> Trainers,
    [property: JsonPropertyName("strategies")] IReadOnlyDictionary<string, NamedTaskInfoDto> Strategies,
    [property: JsonPropertyName("scoring")] IReadOnlyDictionary<string, NamedTaskInfoDto> Scoring,
    [property: JsonPropertyName("train_stats")] IReadOnlyDictionary<string, JsonObject> TrainStats,
    [property: JsonPropertyName("datastore")] DatastoreSummaryDto Datastore)
{
    /// <summary>Our addition (MONAI Label has none; Slicer ignores it): the compute workers connected now.</summary>
    [JsonPropertyName("workers")]
    public IReadOnlyList<WorkerInfoDto> Workers { get; init; } = [];
}

/// <summary>One entry of <c>info.models</c>: Slicer indexes <c>type</c> and <c>description</c> directly.</summary>
public sealed record ModelInfoDto(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, int> Labels,
    [property: JsonPropertyName("dimension")] int Dimension,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("config")] JsonObject Config);

/// <summary>One entry of <c>info.trainers</c>.</summary>
public sealed record TrainerInfoDto(
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("config")] JsonObject Config);

/// <summary>One entry of <c>info.strategies</c> or <c>info.scoring</c>.</summary>
public sealed record NamedTaskInfoDto(
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("config")] JsonObject Config);

/// <summary><c>GET /datastore/?output=stats</c> and <c>info.datastore</c>.</summary>
public sealed record DatastoreSummaryDto(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("completed")] int Completed,
    [property: JsonPropertyName("label_tags")] IReadOnlyDictionary<string, int> LabelTags);
