using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.CtApp;

/// <summary>
/// A <see cref="SegmentationNetwork"/> behind the pipeline's window seam: windows in as one batch, softmax
/// probabilities and embeddings out as plain float arrays, channel-first. Runs in eval and inference mode
/// (no autograd bookkeeping, the networks' in-place attention path); every batch lives in its own dispose
/// scope, so nothing but the returned arrays survives a call.
/// </summary>
public sealed class TorchWindowPredictor : IWindowPredictor, IDisposable
{
    private readonly SegmentationNetwork _network;
    private readonly ComputeDevice _device;
    private readonly long _windowVoxels;
    private readonly IDisposable? _lifetime;
    private bool _disposed;

    /// <param name="network">The network, already on <paramref name="device"/> in its precision.</param>
    /// <param name="windowVoxels">Voxels of one window, for the GPU batch size (see <see cref="CudaBatchSize"/>).</param>
    /// <param name="lifetime">What keeps the network alive (a model store lease), released on Dispose; the
    /// predictor never disposes the network itself, which other requests may share.</param>
    public TorchWindowPredictor(SegmentationNetwork network, ComputeDevice device, long windowVoxels = CudaBatchSize.ThesisWindowVoxels,
        IDisposable? lifetime = null)
    {
        _network = network;
        _device = device;
        _windowVoxels = windowVoxels;
        _lifetime = lifetime;
        _network.eval();
    }

    public int Classes => _network.Architecture.Classes;

    public int EmbeddingDim => _network.Architecture.EmbeddingDim;

    /// <summary>1 on a CPU (batching buys nothing there and multiplies peak memory); on CUDA as many windows as
    /// the GPU's free memory holds by <see cref="CudaBatchSize"/>.</summary>
    public int PreferredBatch => _device.IsCuda
        ? CudaBatchSize.For(_network.Architecture, _windowVoxels, GpuMemory.FreeBytes(_device.Device.index))
        : 1;

    public IReadOnlyList<WindowPrediction> Predict(IReadOnlyList<Volume<float>> blocks, bool embeddings, CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellation.ThrowIfCancellationRequested();
        if (blocks.Count == 0) return [];
        var shape = blocks[0].Shape;
        foreach (var block in blocks)
            if (block.Shape != shape) throw new ArgumentException($"windows of one batch must share a shape: {shape} and {block.Shape}", nameof(blocks));
        bool withEmbeddings = embeddings && EmbeddingDim > 0;

        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        long[] window = [1, shape.Z, shape.Y, shape.X]; // x fastest in the volume = the last tensor axis
        var input = blocks.Count == 1
            ? tensor(blocks[0].Data, window).unsqueeze(0)
            : stack(blocks.Select(b => tensor(b.Data, window)));
        var output = _network.forward(_device.Place(input), withEmbeddings);
        // Softmax in float32 whatever the network ran in: bf16 probabilities would blend coarsely across windows.
        var probabilities = output.Semantic.to_type(ScalarType.Float32).softmax(1).cpu();
        var embedding = withEmbeddings ? output.Embedding!.to_type(ScalarType.Float32).cpu() : null;

        var results = new WindowPrediction[blocks.Count];
        for (int b = 0; b < blocks.Count; b++)
            results[b] = new WindowPrediction(ToArray(probabilities[b]), embedding is null ? null : ToArray(embedding[b]));
        return results;
    }

    private static float[] ToArray(Tensor t) => t.contiguous().data<float>().ToArray();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _lifetime?.Dispose();
    }
}
