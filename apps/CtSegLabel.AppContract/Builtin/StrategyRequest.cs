using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CtSegLabel.AppContract.Builtin;

/// <summary>Reading the parts of a next-sample request and of image info that strategies share.</summary>
internal static class StrategyRequest
{
    /// <summary>The tag that makes an image "labeled": <c>label_tag</c> if the client sent a non-empty one, else final.</summary>
    public static string LabelTag(JsonObject request) =>
        request["label_tag"] is JsonValue v && v.TryGetValue(out string? tag) && !string.IsNullOrWhiteSpace(tag)
            ? tag
            : IDatastoreView.FinalTag;

    /// <summary>Epoch seconds of <c>info.strategy.&lt;name&gt;.ts</c>, 0 when never handed out.</summary>
    public static long LastHandedOut(JsonObject imageInfo, string strategy)
    {
        if (imageInfo["strategy"] is not JsonObject all || all[strategy] is not JsonObject mine) return 0;
        return Number(mine["ts"]) is { } seconds ? (long)seconds : 0;
    }

    /// <summary>A JSON number as a finite double, else null. Read through its JSON text because a value the server
    /// set in memory holds a long or an int, and <c>JsonValue.TryGetValue&lt;double&gt;</c> answers false for those
    /// (only values parsed from the file hold a JSON element that converts).</summary>
    public static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
            ? d
            : null;
}
