using System.Text.Json.Serialization;

namespace CtSegLabel.PluginAdapter.Wire;

/// <summary>Answer of an image upload: the id the image got.</summary>
public sealed record UploadImageAnswer([property: JsonPropertyName("image")] string Image);

/// <summary>Answer of a label submission (Slicer shows it to the user as formatted JSON).</summary>
public sealed record SaveLabelAnswer(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("label")] string Label);

/// <summary>One entry of <c>GET /datastore/?output=train</c>: absolute server paths.</summary>
public sealed record TrainPairDto(
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("label")] string Label);

/// <summary>Answer of <c>GET /model/info/{model}</c>. <c>version</c> (an addition to MONAI Label's answer, absent for
/// apps without versions) names the current version's file.</summary>
public sealed record ModelFileInfoDto(
    [property: JsonPropertyName("checksum")] string Checksum,
    [property: JsonPropertyName("modified_time")] long ModifiedTime,
    [property: JsonPropertyName("train_stats"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] System.Text.Json.Nodes.JsonObject? TrainStats,
    [property: JsonPropertyName("version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Version = null);
