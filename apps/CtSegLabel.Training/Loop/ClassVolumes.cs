using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Training.Data;

namespace CtSegLabel.Training.Loop;

/// <summary>
/// The organ volume statistics a trained checkpoint carries for small-object removal (thesis §3.7.2: components
/// under 20 % of the mean class volume in the training data are removed), in model-grid voxels: per organ channel the
/// mean voxel count over the training samples that hold it. Classes the training data does not hold keep the numbers
/// the initial checkpoint had (e.g. statistics of an earlier, larger dataset). Rib and vertebra thresholds are not
/// here: the pipeline keeps the thesis's per instance class.
/// </summary>
internal static class ClassVolumes
{
    public const double RemovalFraction = 0.2;

    public static IReadOnlyList<ClassVolumeStatistics> Measure(IReadOnlyList<CachedCase> training, ChannelMap channels,
        IReadOnlyList<ClassVolumeStatistics> initial)
    {
        var byValue = initial.ToDictionary(s => s.Value);
        foreach (var channel in channels.Channels)
        {
            if (channel.Organ is not { } organ) continue;
            var counts = training.Select(c => channel.Channel < c.Header.ChannelVoxels.Length ? c.Header.ChannelVoxels[channel.Channel] : 0)
                .Where(n => n > 0).ToList();
            if (counts.Count == 0) continue;
            double mean = counts.Average(n => (double)n);
            byValue[organ.Value] = new ClassVolumeStatistics(organ.Value, organ.Name, mean, RemovalFraction * mean);
        }
        return byValue.Values.OrderBy(s => s.Value).ToList();
    }
}
