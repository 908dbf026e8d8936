using CtSegLabel.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.CtApp.Tests;

public class TorchWindowPredictorTests
{
    private static readonly ComputeDevice Cpu = ComputeDevice.Choose("cpu", "fp32");
    private static readonly long Voxels = TinyWindows.Shape.X * (long)TinyWindows.Shape.Y * TinyWindows.Shape.Z;

    [Fact]
    public void Probabilities_are_a_softmax_per_voxel_and_embeddings_come_only_when_asked()
    {
        using var network = TinyWindows.Network();
        using var predictor = new TorchWindowPredictor(network, Cpu);
        Assert.Equal(37, predictor.Classes);
        Assert.Equal(network.Architecture.EmbeddingDim, predictor.EmbeddingDim);
        Assert.Equal(1, predictor.PreferredBatch);

        var with = Assert.Single(predictor.Predict([TinyWindows.Window(1)], embeddings: true, CancellationToken.None));
        var without = Assert.Single(predictor.Predict([TinyWindows.Window(1)], embeddings: false, CancellationToken.None));

        Assert.Equal(37 * Voxels, with.Probabilities.Length);
        Assert.Equal(predictor.EmbeddingDim * Voxels, with.Embeddings!.Length);
        Assert.Null(without.Embeddings);
        for (long v = 0; v < Voxels; v += 97)
        {
            double sum = 0;
            for (int c = 0; c < 37; c++)
            {
                float p = with.Probabilities[c * Voxels + v];
                Assert.InRange(p, 0f, 1f);
                sum += p;
            }
            Assert.Equal(1.0, sum, 4);
        }
        // Skipping the instance decoder leaves the semantic output exactly as it was.
        Assert.Equal(with.Probabilities, without.Probabilities);
    }

    [Fact]
    public void Outputs_are_channel_first_on_the_windows_own_voxel_order()
    {
        using var network = TinyWindows.Network();
        using var predictor = new TorchWindowPredictor(network, Cpu);
        var window = TinyWindows.Window(2);
        var prediction = predictor.Predict([window], embeddings: true, CancellationToken.None)[0];

        // The same window indexed by hand: tensor axes (z, y, x), voxel (i, j, k) of the volume.
        var s = TinyWindows.Shape;
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var data = new float[Voxels];
        for (int k = 0; k < s.Z; k++)
            for (int j = 0; j < s.Y; j++)
                for (int i = 0; i < s.X; i++)
                    data[((long)k * s.Y + j) * s.X + i] = window[i, j, k];
        var input = tensor(data, [1L, 1, s.Z, s.Y, s.X]);
        var output = network.forward(input, withEmbeddings: true);
        var probabilities = output.Semantic.softmax(1);
        foreach (var (i, j, k, c) in new[] { (0, 0, 0, 0), (63, 1, 2, 5), (7, 50, 31, 36), (40, 20, 10, 17) })
        {
            long v = s.Index(i, j, k);
            Assert.Equal(probabilities[0, c, k, j, i].item<float>(), prediction.Probabilities[c * Voxels + v], 1e-6);
            Assert.Equal(output.Embedding![0, c % 4, k, j, i].item<float>(), prediction.Embeddings![c % 4 * Voxels + v], 1e-6);
        }
    }

    [Fact]
    public void A_batch_gives_each_window_what_it_gets_alone()
    {
        using var network = TinyWindows.Network();
        using var predictor = new TorchWindowPredictor(network, Cpu);
        var a = TinyWindows.Window(3);
        var b = TinyWindows.Window(4);
        var batch = predictor.Predict([a, b], embeddings: true, CancellationToken.None);
        var alone = predictor.Predict([b], embeddings: true, CancellationToken.None)[0];
        Assert.Equal(2, batch.Count);
        Assert.NotEqual(batch[0].Probabilities, batch[1].Probabilities);
        for (long n = 0; n < alone.Probabilities.Length; n += 31) Assert.Equal(alone.Probabilities[n], batch[1].Probabilities[n], 1e-5);
        for (long n = 0; n < alone.Embeddings!.Length; n += 31) Assert.Equal(alone.Embeddings[n], batch[1].Embeddings![n], 1e-4);
    }

    [Fact]
    public void Bad_batches_cancellation_and_disposal()
    {
        using var network = TinyWindows.Network();
        var lifetime = new Released();
        var predictor = new TorchWindowPredictor(network, Cpu, lifetime: lifetime);
        Assert.Empty(predictor.Predict([], embeddings: false, CancellationToken.None));

        var other = new Imaging.Volumes.Volume<float>(new Imaging.Volumes.ImageGeometry(new(64, 64, 64), new(1, 1, 1), new(0, 0, 0), Imaging.Volumes.Mat3.Identity));
        Assert.Contains("share a shape", Assert.Throws<ArgumentException>(() => predictor.Predict([TinyWindows.Window(1), other], false, CancellationToken.None)).Message);
        Assert.Throws<OperationCanceledException>(() => predictor.Predict([TinyWindows.Window(1)], false, new CancellationToken(canceled: true)));

        predictor.Dispose();
        predictor.Dispose();
        Assert.Equal(1, lifetime.Count);
        Assert.Throws<ObjectDisposedException>(() => predictor.Predict([TinyWindows.Window(1)], false, CancellationToken.None));
        // The network is the lease holder's, not the predictor's: it still runs.
        using var again = new TorchWindowPredictor(network, Cpu);
        Assert.Single(again.Predict([TinyWindows.Window(1)], false, CancellationToken.None));
    }

    private sealed class Released : IDisposable
    {
        public int Count { get; private set; }
        public void Dispose() => Count++;
    }
}
