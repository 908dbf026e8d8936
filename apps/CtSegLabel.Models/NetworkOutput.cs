using static TorchSharp.torch;

namespace CtSegLabel.Models;

/// <summary>What a segmentation network returns for a (B, C, D, H, W) block: semantic logits
/// (B, classes, D, H, W) and, when the network has an instance decoder, voxel embeddings
/// (B, embedding dim, D, H, W). Disposing it frees both.</summary>
public sealed class NetworkOutput(Tensor semantic, Tensor? embedding) : IDisposable
{
    public Tensor Semantic { get; } = semantic;
    public Tensor? Embedding { get; } = embedding;

    public void Dispose()
    {
        Semantic.Dispose();
        Embedding?.Dispose();
    }
}
