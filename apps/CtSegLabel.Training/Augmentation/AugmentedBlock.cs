using static TorchSharp.torch;

namespace CtSegLabel.Training.Augmentation;

/// <summary>An augmented training block: image (1, 1, D, H, W) float32, semantic channels and instance ids
/// (1, D, H, W) int64, on the inputs' device. The caller owns and disposes the tensors.</summary>
public sealed record AugmentedBlock(Tensor Image, Tensor Semantic, Tensor Instances) : IDisposable
{
    public void Dispose()
    {
        Image.Dispose();
        Semantic.Dispose();
        Instances.Dispose();
    }
}
