using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;

namespace CtSegLabel.CtApp;

/// <summary>
/// What a user may choose per request — the keys of the CT models' <c>config</c> in <c>/info/</c>, which
/// Slicer shows and sends back (lists as their first item), and what <c>ctseg infer</c>'s options map to.
/// One parser for both, so the server and the CLI accept exactly the same values.
/// </summary>
public sealed record CtInferOptions
{
    public const string RibsKey = "ribs";
    public const string PrecisionKey = "precision";
    public const string RoiSubsetKey = "roi_subset";
    public const string StatisticsKey = "statistics";

    /// <summary>Spellings of <see cref="RibMode"/> on the wire and the command line; the first is the default.</summary>
    public static IReadOnlyList<(string Name, RibMode Mode)> RibModes { get; } =
        [("connected_components", RibMode.ConnectedComponents), ("clustering", RibMode.Clustering)];

    public static IReadOnlyList<string> Precisions { get; } = ["fp32", "mixed", "bf16"];

    public RibMode Ribs { get; init; } = RibMode.ConnectedComponents;

    /// <summary>Null: the device's default precision.</summary>
    public Precision? Precision { get; init; }

    /// <summary>Structure names to keep (channel names: organs, <c>rib_left</c>, <c>vertebrae_thoracic</c>, ...); null keeps all.</summary>
    public IReadOnlyList<string>? RoiSubset { get; init; }

    public bool Statistics { get; init; } = true;

    /// <summary>The <c>config</c> object the CT models publish.</summary>
    public static JsonObject Config() => new()
    {
        [RibsKey] = new JsonArray(RibModes.Select(r => (JsonNode?)r.Name).ToArray()),
        [PrecisionKey] = new JsonArray(Precisions.Select(p => (JsonNode?)p).ToArray()),
        [RoiSubsetKey] = "",
        [StatisticsKey] = true,
    };

    /// <summary>Reads the keys this app knows from request params (others are left to the host); a value of the
    /// wrong kind or outside the choices raises <see cref="InferParameterException"/> naming the key.</summary>
    public static CtInferOptions FromParams(JsonObject parameters)
    {
        var options = new CtInferOptions();
        if (Text(parameters, RibsKey) is { } ribs)
        {
            var mode = RibModes.FirstOrDefault(r => r.Name == ribs);
            if (mode.Name is null) throw new InferParameterException(RibsKey, $"must be one of {string.Join(", ", RibModes.Select(r => r.Name))} (got '{ribs}')");
            options = options with { Ribs = mode.Mode };
        }
        if (Text(parameters, PrecisionKey) is { } precision)
        {
            if (!Precisions.Contains(precision)) throw new InferParameterException(PrecisionKey, $"must be one of {string.Join(", ", Precisions)} (got '{precision}')");
            options = options with { Precision = ComputeDevice.ParsePrecision(precision) };
        }
        if (Text(parameters, RoiSubsetKey) is { } roi)
        {
            var names = roi.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (names.Length > 0) options = options with { RoiSubset = names.Distinct(StringComparer.Ordinal).ToList() };
        }
        if (parameters[StatisticsKey] is { } statistics)
        {
            options = options with
            {
                Statistics = statistics.GetValueKind() switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new InferParameterException(StatisticsKey, $"must be true or false (got {statistics.ToJsonString()})"),
                },
            };
        }
        return options;
    }

    private static string? Text(JsonObject parameters, string key) => parameters[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        var other => throw new InferParameterException(key, $"must be a string (got {other.ToJsonString()})"),
    };
}
