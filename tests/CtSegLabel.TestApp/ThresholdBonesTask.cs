using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.TestApp;

/// <summary>The test app's model: HU thresholds (trained or default) applied by <see cref="ThresholdSegmenter"/>.</summary>
public sealed class ThresholdBonesTask(string modelPath) : IInferTask
{
    public const string TaskName = "threshold_bones";

    public string Name => TaskName;

    public InferType Type => InferType.Segmentation;

    public IReadOnlyDictionary<string, int> Labels { get; } = new Dictionary<string, int> { ["bone"] = ThresholdSegmenter.Bone, ["lung"] = ThresholdSegmenter.Lung };

    public int Dimension => 3;

    public string Description => "Bone (> threshold HU) and lung (< threshold HU inside the body) by Hounsfield thresholds fitted to submitted labels";

    public JsonObject Config => new() { ["device"] = new JsonArray("cpu") };

    public string? ModelPath => modelPath;

    public async Task<InferResult> InferAsync(InferRequest request, Volume image, CancellationToken cancellation)
    {
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
}
