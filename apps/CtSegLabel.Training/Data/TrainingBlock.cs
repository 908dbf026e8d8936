using static TorchSharp.torch;

namespace CtSegLabel.Training.Data;

/// <summary>One block on the CPU, ready for the device: image (1, 1, D, H, W) float32, semantic and instances
/// (1, D, H, W) int64. A case shorter than a block is padded with air below its last slice; only its first
/// <see cref="RealSlices"/> slices enter the loss (the trainer crops the network's output to them), so the padding
/// teaches nothing. Disposing it frees the tensors.</summary>
internal sealed class TrainingBlock(string caseId, Tensor image, Tensor semantic, Tensor instances, bool[] annotated, int realSlices) : IDisposable
{
    public string CaseId { get; } = caseId;
    public Tensor Image { get; private set; } = image;
    public Tensor Semantic { get; private set; } = semantic;
    public Tensor Instances { get; private set; } = instances;

    /// <summary>Per channel: whether the case's annotation covers it.</summary>
    public bool[] Annotated { get; } = annotated;

    public int RealSlices { get; } = realSlices;

    /// <summary>Replaces the tensors by an augmentation's result, freeing the old ones.</summary>
    public void Replace((Tensor Image, Tensor Semantic, Tensor Instances) augmented)
    {
        var (i, s, n) = augmented;
        if (!ReferenceEquals(i, Image)) Image.Dispose();
        if (!ReferenceEquals(s, Semantic)) Semantic.Dispose();
        if (!ReferenceEquals(n, Instances)) Instances.Dispose();
        (Image, Semantic, Instances) = (i, s, n);
    }

    public void Dispose()
    {
        Image.Dispose();
        Semantic.Dispose();
        Instances.Dispose();
    }
}
