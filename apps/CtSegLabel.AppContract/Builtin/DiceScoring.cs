using System.Globalization;
using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.AppContract.Builtin;

/// <summary>
/// Dice between the model's output (tag <c>y_pred</c>, default original) and the submitted label (tag
/// <c>y</c>, default final), per label value and averaged, for every image that has both. The score is
/// recorded in the image info under <c>dice</c>; images whose maps differ in shape are reported and skipped.
/// </summary>
public sealed class DiceScoring : IScoringMethod
{
    public string Name => "dice";

    public string Description => "Compute Dice between the model's label (original) and the submitted label (final)";

    public JsonObject Config => [];

    public async Task<JsonObject> ScoreAsync(JsonObject request, IDatastoreView datastore, IProgress<string> progress,
        CancellationToken cancellation)
    {
        string y = Tag(request, "y", IDatastoreView.FinalTag);
        string yPred = Tag(request, "y_pred", IDatastoreView.OriginalTag);
        var result = new JsonObject();
        var candidates = datastore.LabeledImages(y).Intersect(datastore.LabeledImages(yPred), StringComparer.Ordinal).ToList();
        progress.Report($"Dice {yPred} vs {y}: {candidates.Count} image(s) have both labels");

        foreach (string id in candidates)
        {
            cancellation.ThrowIfCancellationRequested();
            string? truthPath = datastore.LabelPath(id, y), predPath = datastore.LabelPath(id, yPred);
            if (truthPath is null || predPath is null) continue; // removed while scoring
            var truth = VolumeFile.Read(truthPath);
            var pred = VolumeFile.Read(predPath);
            if (truth.Shape != pred.Shape)
            {
                progress.Report($"{id}: skipped, {y} label is {truth.Shape} but {yPred} label is {pred.Shape}");
                continue;
            }

            var perLabel = LabelOverlap.DicePerLabel(pred, truth);
            double mean = perLabel.Count == 0 ? 1.0 : perLabel.Values.Average();
            var labels = new JsonObject();
            foreach (var (value, dice) in perLabel.OrderBy(p => p.Key))
                labels[value.ToString(CultureInfo.InvariantCulture)] = Math.Round(dice, 6);

            await datastore.UpdateImageInfoAsync(id, new JsonObject
            {
                ["dice"] = new JsonObject
                {
                    ["mean"] = Math.Round(mean, 6),
                    ["labels"] = labels,
                    ["y"] = y,
                    ["y_pred"] = yPred,
                    ["ts"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                },
            }, cancellation);
            result[id] = Math.Round(mean, 6);
            progress.Report($"{id}: mean Dice {mean:F4} over {perLabel.Count} label(s)");
        }
        return result;
    }

    private static string Tag(JsonObject request, string key, string fallback) =>
        request[key] is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s) ? s : fallback;
}
