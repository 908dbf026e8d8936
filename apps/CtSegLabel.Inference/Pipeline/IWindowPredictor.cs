using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>
/// The network as the pipeline sees it: preprocessed windows in, class probabilities and embeddings out.
/// Keeping the network behind this seam leaves the whole pipeline torch-free (and testable with any
/// predictor); the TorchSharp implementation lives with the CT app.
/// </summary>
public interface IWindowPredictor
{
    /// <summary>Semantic output channels, background (channel 0) included.</summary>
    int Classes { get; }

    /// <summary>Embedding channels of the instance decoder; 0 when the network has none.</summary>
    int EmbeddingDim { get; }

    /// <summary>How many windows one <see cref="Predict"/> call should get: 1 on a CPU, more on a GPU with
    /// memory to spare (batching buys throughput there, nothing on a CPU).</summary>
    int PreferredBatch { get; }

    /// <summary>Runs the network on <paramref name="blocks"/>, each a preprocessed window of the same shape
    /// (x, y fastest; z = the window's slices), on the window's own grid.</summary>
    /// <param name="embeddings">Whether the instance decoder's output is wanted: windows holding no voxel of an
    /// instance class need none, and skipping that decoder saves a third of the work.</param>
    IReadOnlyList<WindowPrediction> Predict(IReadOnlyList<Volume<float>> blocks, bool embeddings, CancellationToken cancellation);
}

/// <summary>One window's outputs, channel-first as the network emits them: channel c of voxel v at
/// <c>c * voxels + v</c>, v the window's linear index.</summary>
/// <param name="Probabilities">Softmax over the <see cref="IWindowPredictor.Classes"/> channels.</param>
/// <param name="Embeddings"><see cref="IWindowPredictor.EmbeddingDim"/> channels, or null when not asked for.</param>
public sealed record WindowPrediction(float[] Probabilities, float[]? Embeddings);
