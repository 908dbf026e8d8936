using CtSegLabel.AppContract;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;

namespace CtSegLabel.CtApp;

/// <summary>The pipeline's settings for one request: what the checkpoint fixes (preprocessing, channel meanings,
/// training volumes) and what the user chose. Refuses a checkpoint the CT pipeline cannot interpret.</summary>
public static class CheckpointSettings
{
    /// <exception cref="ModelFormatException">The checkpoint's labels are not CT channel names, or its
    /// preprocessing makes windows its network cannot take.</exception>
    /// <exception cref="InferParameterException">A roi_subset name is none of the network's structures.</exception>
    public static PipelineSettings For(LoadedModel model, CtInferOptions options)
    {
        var version = model.Version;
        var metadata = version.Metadata;
        ChannelMap channels;
        try
        {
            channels = ChannelMap.FromNames(metadata.Labels.Select(l => l.Name).ToList());
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException(version.Path, "labels",
                $"not the channels of a CT network ({e.Message}). The CT app reads channels named after the CT class table " +
                $"('{ChannelMap.Background}', organs such as 'liver', and {string.Join(", ", ChannelMap.GroupNames.Values)}); " +
                $"`ctseg model init` and `ctseg model import` give a network of {ChannelMap.ThesisNames.Count} classes exactly those names");
        }

        var pre = metadata.Preprocessing;
        if (model.Network.CheckInput([1, 1, pre.BlockSlices, pre.InPlaneSize, pre.InPlaneSize]) is { } problem)
            throw new ModelFormatException(version.Path, "preprocessing",
                $"windows of {pre.BlockSlices}×{pre.InPlaneSize}×{pre.InPlaneSize} do not fit the network: {problem}");

        HashSet<string>? roi = null;
        if (options.RoiSubset is { } names)
        {
            var known = channels.Channels.Where(c => !c.IsBackground).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            var unknown = names.Where(n => !known.Contains(n)).ToList();
            if (unknown.Count > 0)
                throw new InferParameterException(CtInferOptions.RoiSubsetKey,
                    $"{string.Join(", ", unknown.Select(n => $"'{n}'"))} {(unknown.Count == 1 ? "is" : "are")} not a structure of this model; " +
                    $"it knows {string.Join(", ", known)}");
            roi = names.ToHashSet(StringComparer.Ordinal);
        }

        return new PipelineSettings
        {
            Preprocessing = pre,
            Channels = channels,
            ClassVolumes = metadata.ClassVolumes,
            Ribs = options.Ribs,
            RoiSubset = roi,
            Statistics = options.Statistics,
        };
    }
}
