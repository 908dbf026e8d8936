using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.CtApp;

/// <summary>The result parameters of a CT segmentation as MONAI Label clients read them, plus what says which
/// weights produced it: <c>model_version</c>, <c>checkpoint</c> (the version's file), <c>untrained: true</c> for
/// random weights, per-structure <c>statistics</c> when asked, and the pipeline's stage <c>latencies</c>
/// (the host adds reading, writing and the total).</summary>
public static class CtResultParams
{
    public static JsonObject Build(ModelVersion version, PipelineResult result, CtInferOptions options)
    {
        var json = new JsonObject
        {
            ["model_version"] = version.Metadata.ModelVersion,
            ["checkpoint"] = version.FileName,
        };
        if (!version.Metadata.Provenance.Trained) json["untrained"] = true;
        if (options.Statistics) json["statistics"] = Statistics(result.Statistics);
        json["latencies"] = new JsonObject
        {
            ["pre"] = Math.Round(result.Latencies.Pre, 2),
            ["infer"] = Math.Round(result.Latencies.Infer, 2),
            ["invert"] = 0.0, // the way back to the input grid is part of post
            ["post"] = Math.Round(result.Latencies.Post, 2),
        };
        return json;
    }

    /// <summary>Structure name → its label <c>value</c>, <c>volume_ml</c>, <c>mean_hu</c> (null for a structure with no
    /// voxel), in value order.</summary>
    public static JsonObject Statistics(IEnumerable<StructureStatistics> statistics)
    {
        var json = new JsonObject();
        foreach (var s in statistics.OrderBy(s => s.Value))
            json[s.Name] = new JsonObject
            {
                ["value"] = s.Value,
                ["volume_ml"] = Math.Round(s.VolumeMl, 3),
                ["mean_hu"] = s.Voxels == 0 || double.IsNaN(s.MeanHu) ? null : Math.Round(s.MeanHu, 2),
            };
        return json;
    }

    /// <summary>The result's own label table (instances are numbered per image).</summary>
    public static IReadOnlyList<ResultLabel> Labels(PipelineResult result) =>
        result.Labels.Labels.Select(l => new ResultLabel(l.Value, l.Name, l.Color)).ToList();
}
