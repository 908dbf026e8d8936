using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

/// <summary>
/// A predictor that knows the answer: for every voxel of a window it looks up, at the voxel's WORLD position (from the
/// window's own geometry), the ground-truth label of a phantom or a labelled CT, and answers 0.9 for that class's
/// channel with the rest shared by the others; its embeddings put each true rib or vertebra at its own point, 10 or
/// more apart (the clustering radius is 3), plus ±0.3 of deterministic noise. Because it reads the truth by world
/// position, whatever the pipeline does to the grid must be undone exactly for the result to match the truth.
/// It also checks the other direction: the window's intensities, mapped back to HU, must be the CT at the same world
/// positions (<see cref="MeanAbsHuError"/>), which fails if a window's geometry does not describe its voxels.
/// </summary>
public sealed class OraclePredictor : IWindowPredictor
{
    public const float TrueProbability = 0.9f;

    private readonly Volume<byte> _truth;
    private readonly Volume? _ct;
    private readonly PreprocessingParameters _preprocessing;
    private readonly int[] _channelOf = new int[256];
    private double _huErrorSum;
    private long _huErrorCount;

    public OraclePredictor(Volume<byte> truth, ChannelMap channels, int embeddingDim = 16, int preferredBatch = 1,
        Volume? ct = null, PreprocessingParameters? preprocessing = null)
    {
        _truth = truth;
        _ct = ct;
        _preprocessing = preprocessing ?? new PreprocessingParameters();
        Classes = channels.Count;
        EmbeddingDim = embeddingDim;
        PreferredBatch = preferredBatch;
        foreach (var c in channels.Channels)
        {
            if (c.Organ is { } organ) _channelOf[organ.Value] = c.Channel;
            else if (c.Group != InstanceGroup.None)
                foreach (var cls in CtClassTable.GroundTruth.Where(k => k.Group == c.Group)) _channelOf[cls.Value] = c.Channel;
        }
    }

    public int Classes { get; }
    public int EmbeddingDim { get; }
    public int PreferredBatch { get; }

    /// <summary>Geometry of every window received, in order.</summary>
    public List<ImageGeometry> Windows { get; } = [];

    /// <summary>The <c>embeddings</c> argument of every call.</summary>
    public List<bool> EmbeddingRequests { get; } = [];

    public List<int> BatchSizes { get; } = [];

    /// <summary>Mean |window intensity → HU − CT at that point| over the checked voxels inside the CT.</summary>
    public double MeanAbsHuError => _huErrorCount == 0 ? double.NaN : _huErrorSum / _huErrorCount;

    public IReadOnlyList<WindowPrediction> Predict(IReadOnlyList<Volume<float>> blocks, bool embeddings, CancellationToken cancellation)
    {
        EmbeddingRequests.Add(embeddings);
        BatchSizes.Add(blocks.Count);
        var result = new List<WindowPrediction>();
        foreach (var block in blocks)
        {
            Windows.Add(block.Geometry);
            var truthValues = TruthAt(block.Geometry, _truth, out var inside);
            if (_ct is not null) CheckIntensities(block, inside);
            result.Add(new WindowPrediction(Probabilities(truthValues), embeddings && EmbeddingDim > 0 ? Embeddings(truthValues) : null));
        }
        return result;
    }

    private float[] Probabilities(byte[] truth)
    {
        int voxels = truth.Length;
        var probabilities = new float[(long)Classes * voxels];
        float rest = (1 - TrueProbability) / (Classes - 1);
        Array.Fill(probabilities, rest);
        Parallel.For(0, voxels / 4096 + 1, part =>
        {
            int end = Math.Min(voxels, (part + 1) * 4096);
            for (int v = part * 4096; v < end; v++) probabilities[(long)_channelOf[truth[v]] * voxels + v] = TrueProbability;
        });
        return probabilities;
    }

    private float[] Embeddings(byte[] truth)
    {
        int voxels = truth.Length, dims = EmbeddingDim;
        var embeddings = new float[(long)dims * voxels];
        // True instance value t sits at 10·(1 + t / dims) on axis t mod dims: two instances are ≥ 10 apart.
        var axis = new int[256];
        var height = new float[256];
        Array.Fill(axis, -1);
        foreach (var cls in CtClassTable.GroundTruth.Where(k => k.IsInstance))
        {
            axis[cls.Value] = cls.Value % dims;
            height[cls.Value] = 10f * (1 + cls.Value / dims);
        }
        Parallel.For(0, dims, c =>
        {
            for (int v = 0; v < voxels; v++)
                embeddings[(long)c * voxels + v] = (axis[truth[v]] == c ? height[truth[v]] : 0f) + Noise(v, c);
        });
        return embeddings;
    }

    /// <summary>±0.3, a hash of the voxel and channel: the same every run.</summary>
    private static float Noise(int voxel, int channel)
    {
        uint h = (uint)voxel * 2654435761u ^ (uint)channel * 40503u;
        h ^= h >> 15; h *= 2246822519u; h ^= h >> 13;
        return (h & 0xFFFF) / 65535f * 0.6f - 0.3f;
    }

    /// <summary>The truth's label at each window voxel's world position (nearest voxel; 0 outside the truth).</summary>
    internal static byte[] TruthAt(ImageGeometry window, Volume<byte> truth, out bool[] inside)
    {
        var toTruth = truth.Geometry.IndexToWorldMatrix.Inverse();
        var step = toTruth * window.IndexToWorldMatrix;
        // Window centres often fall exactly between two truth voxels; the nudge settles such ties toward the same
        // physical voxel whatever the orientation of either grid (rounding noise would otherwise decide).
        var nudge = new Vec3(1e-4, 2e-4, 3e-4);
        var offset = toTruth * (window.Origin + nudge - truth.Geometry.Origin);
        var shape = window.Shape;
        var values = new byte[shape.VoxelCount];
        var isInside = new bool[shape.VoxelCount];
        var ts = truth.Shape;
        Parallel.For(0, shape.Z, k =>
        {
            for (int j = 0; j < shape.Y; j++)
                for (int i = 0; i < shape.X; i++)
                {
                    var t = offset + step * new Vec3(i, j, k);
                    int ti = (int)Math.Round(t.X), tj = (int)Math.Round(t.Y), tk = (int)Math.Round(t.Z);
                    if (!ts.Contains(ti, tj, tk)) continue;
                    long v = shape.Index(i, j, k);
                    values[v] = truth[ti, tj, tk];
                    isInside[v] = true;
                }
        });
        inside = isInside;
        return values;
    }

    private void CheckIntensities(Volume<float> block, bool[] inside)
    {
        var ct = _ct!;
        var toCt = ct.Geometry.IndexToWorldMatrix.Inverse();
        var step = toCt * block.Geometry.IndexToWorldMatrix;
        var offset = toCt * (block.Geometry.Origin + new Vec3(1e-4, 2e-4, 3e-4) - ct.Geometry.Origin);
        double range = _preprocessing.IntensityOneHu - _preprocessing.IntensityZeroHu;
        var shape = block.Shape;
        // Every 7th voxel is plenty to tell a right grid from a flipped or shifted one.
        for (long v = 0; v < block.Data.Length; v += 7)
        {
            if (!inside[v]) continue;
            int i = (int)(v % shape.X), j = (int)(v / shape.X % shape.Y), k = (int)(v / ((long)shape.X * shape.Y));
            var t = offset + step * new Vec3(i, j, k);
            int ci = (int)Math.Round(t.X), cj = (int)Math.Round(t.Y), ck = (int)Math.Round(t.Z);
            if (!ct.Shape.Contains(ci, cj, ck)) continue;
            double hu = ct.GetDouble(ct.Shape.Index(ci, cj, ck));
            _huErrorSum += Math.Abs(block.Data[v] * range + _preprocessing.IntensityZeroHu - hu);
            _huErrorCount++;
        }
    }
}
