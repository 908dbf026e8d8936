using static TorchSharp.torch;

namespace CtSegLabel.Training;

/// <summary>
/// The augmentation of one training block, applied on the prefetch thread before the block reaches the device.
/// Returns NEW tensors (the caller disposes them) and leaves its inputs untouched. <paramref name="image"/> is
/// (1, 1, D, H, W) float32; <paramref name="semantic"/> and <paramref name="instances"/> are (1, D, H, W) int64 and
/// must move with the image voxel for voxel. <paramref name="random"/> is the trainer's seeded generator, so a run
/// is repeatable.
/// </summary>
public delegate (Tensor Image, Tensor Semantic, Tensor Instances) BlockTransform(Tensor image, Tensor semantic, Tensor instances, Random random);
