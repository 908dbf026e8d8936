using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.TestApp;

/// <summary>
/// The test app's model: HU thresholds (trained or default) applied by <see cref="ThresholdSegmenter"/>. The optional
/// parameter <c>sleep_seconds</c> (a number, default 0) makes it wait that long, cancellably, before segmenting: it
/// exists to make a slow model for the compute-worker tests (a worker killed mid-job, cancellation, a full queue).
/// </summary>
public sealed class ThresholdBonesTask(string modelPath) : IInferTask
{
    public const string TaskName = "threshold_bones";

    public const string SleepSecondsKey = "sleep_seconds";

    public string Name => TaskName;

    public InferType Type => InferType.Segmentation;

    public IReadOnlyDictionary<string, int> Labels { get; } = new Dictionary<string, int> { ["bone"] = ThresholdSegmenter.Bone, ["lung"] = ThresholdSegmenter.Lung };

    public int Dimension => 3;

    public string Description => "Bone (> threshold HU) and lung (< threshold HU inside the body) by Hounsfield thresholds fitted to submitted labels";

    public JsonObject Config => new() { ["device"] = new JsonArray("cpu") };

    public string? ModelPath => modelPath;

    public async Task<InferResult> InferAsync(InferRequest request, Volume image, CancellationToken cancellation)
    {
        double sleep = SleepSeconds(request.Params);
        if (sleep > 0) await Task.Delay(TimeSpan.FromSeconds(sleep), cancellation);
        var p = ThresholdParameters.Load(modelPath);
        var labels = await Task.Run(() => ThresholdSegmenter.Segment(image, p, cancellation), cancellation);
        long bone = 0, lung = 0;
        foreach (byte v in labels.Data)
        {
            if (v == ThresholdSegmenter.Bone) bone++;
            else if (v == ThresholdSegmenter.Lung) lung++;
        }
        return new InferResult(labels, new JsonObject
        {
            ["thresholds"] = new JsonObject { ["bone_min_hu"] = p.BoneMinHu, ["lung_max_hu"] = p.LungMaxHu, ["trained_epoch"] = p.TrainedEpoch },
            ["voxels"] = new JsonObject { ["bone"] = bone, ["lung"] = lung },
        });
    }

    private static double SleepSeconds(JsonObject parameters) => parameters[SleepSecondsKey] switch
    {
        null => 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number
            && double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) is >= 0 and <= 3600 and var seconds => seconds,
        var other => throw new InferParameterException(SleepSecondsKey, $"must be a number of seconds in [0, 3600], got {other.ToJsonString()}"),
    };
}
