using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Server.Inference;

/// <summary>How a client wants the result file: <c>result_extension</c> (Slicer asks ".nrrd"; MONAI Label's
/// default is ".nii.gz"), <c>result_dtype</c> (default uint8) and <c>result_compress</c>.</summary>
public sealed record ResultFormat(string Extension, VoxelType DataType, int? CompressionLevel)
{
    public static readonly string[] Extensions = [".nii.gz", ".nii", ".nrrd", ".seg.nrrd"];

    public static readonly IReadOnlyDictionary<string, VoxelType> DataTypes = new Dictionary<string, VoxelType>(StringComparer.OrdinalIgnoreCase)
    {
        ["uint8"] = VoxelType.UInt8,
        ["int8"] = VoxelType.Int8,
        ["int16"] = VoxelType.Int16,
        ["uint16"] = VoxelType.UInt16,
        ["int32"] = VoxelType.Int32,
        ["uint32"] = VoxelType.UInt32,
        ["float32"] = VoxelType.Float32,
        ["float64"] = VoxelType.Float64,
    };

    /// <summary>Why the params' format keys are unusable, keyed by the offending key; empty when fine.</summary>
    public static IEnumerable<(string Key, string Problem)> Problems(JsonObject p)
    {
        if (p["result_extension"] is { } ext && (Text(ext) is not { } e || !Extensions.Contains(Normalise(e), StringComparer.OrdinalIgnoreCase)))
            yield return ("result_extension", $"must be one of {string.Join(", ", Extensions)}, got {ext.ToJsonString()}");
        if (p["result_dtype"] is { } dt && (Text(dt) is not { } d || !DataTypes.ContainsKey(d)))
            yield return ("result_dtype", $"must be one of {string.Join(", ", DataTypes.Keys)}, got {dt.ToJsonString()}");
        if (p["result_compress"] is { } rc && rc.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            yield return ("result_compress", $"must be true or false, got {rc.ToJsonString()}");
    }

    /// <summary>The format of validated params.</summary>
    public static ResultFormat From(JsonObject p)
    {
        string ext = Text(p["result_extension"]) is { } e ? Normalise(e).ToLowerInvariant() : ".nii.gz";
        var type = Text(p["result_dtype"]) is { } d && DataTypes.TryGetValue(d, out var t) ? t : VoxelType.UInt8;
        int? level = p["result_compress"]?.GetValueKind() switch
        {
            JsonValueKind.True => 6,
            JsonValueKind.False => 0,
            _ => null,
        };
        return new ResultFormat(ext, type, level);
    }

    private static string Normalise(string ext) => ext.StartsWith('.') ? ext : "." + ext;

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s) ? s : null;
}
