using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Training;

/// <summary>
/// One image as the network trains on it, all three volumes on the model grid (orientation LPI, slice 0 the most
/// superior): the preprocessed intensities, the semantic channel of every voxel, and the instance id of every rib
/// and vertebra voxel.
/// </summary>
/// <param name="Instances">0 off the instance classes; otherwise the ground-truth class value of that rib or vertebra
/// (e.g. the value of rib_left_3), so ids are unique within the image across all four instance classes.</param>
/// <param name="Annotated">Per semantic channel: whether the image's annotation covers that class at all. Classes it
/// does not cover are masked out of the loss (thesis §3.6.1) rather than taught as background.</param>
public sealed record TrainingSample(Volume<float> Image, Volume<byte> Semantic, Volume<ushort> Instances, bool[] Annotated);
