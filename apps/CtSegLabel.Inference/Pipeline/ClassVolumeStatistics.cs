namespace CtSegLabel.Inference.Pipeline;

/// <summary>Volume statistics of one class in the training data, in voxels at the resampled size (thesis §3.7:
/// semantic components under 20 % of the mean class volume are removed).</summary>
public sealed record ClassVolumeStatistics(int Value, string Name, double MeanVoxels, double RemovalThresholdVoxels);
