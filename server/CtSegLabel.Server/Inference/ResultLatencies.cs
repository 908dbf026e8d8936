using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Inference;

/// <summary>
/// The <c>latencies</c> of a result as MONAI Label reports them (<c>pre</c>, <c>infer</c>, <c>invert</c>, <c>post</c>,
/// <c>write</c>, <c>total</c>, <c>transform</c>; seconds). A task that times its own stages reports them and the host
/// completes the rest: reading the image is preprocessing (MONAI's LoadImage is its first pre-transform), so it is
/// added to the task's <c>pre</c>; writing and the total only the host can see. A task that reports nothing is
/// one <c>infer</c> stage.
/// </summary>
public static class ResultLatencies
{
    public static JsonObject Merge(JsonObject? reported, double read, double infer, double write, double total)
    {
        double Stage(string key, double fallback) =>
            reported?[key] is JsonValue v && v.TryGetValue(out double seconds) && double.IsFinite(seconds) ? seconds : fallback;

        bool timed = reported is not null;
        return new JsonObject
        {
            ["pre"] = Math.Round(read + Stage("pre", 0), 2),
            ["infer"] = Math.Round(timed ? Stage("infer", 0) : infer, 2),
            ["invert"] = Math.Round(Stage("invert", 0), 2),
            ["post"] = Math.Round(Stage("post", 0), 2),
            ["write"] = Math.Round(write, 2),
            ["total"] = Math.Round(total, 2),
            ["transform"] = reported?["transform"]?.DeepClone(),
        };
    }
}
