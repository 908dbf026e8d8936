using System.Numerics;
using CtSegLabel.Imaging.Volumes;
using FileSegment = CtSegLabel.Imaging.Formats.SlicerSegmentMetadata.FileSegment;

namespace CtSegLabel.Imaging.Formats;

/// <summary>
/// Turns the labelmap layers of a .seg.nrrd into one label map with one value per segment.
/// <list type="bullet">
/// <item>Each segment keeps its Segment{i}_LabelValue unless an earlier segment (in another layer)
/// already has that value; then it gets the next value above every declared one, in segment order.</item>
/// <item>Where segments overlap (only possible across layers) the voxel goes to the segment listed last
/// (highest i), as when Slicer merges segments into one labelmap and later segments paint over earlier ones.</item>
/// <item>Voxel values no segment declares are dropped (0), as Slicer ignores them too.</item>
/// </list>
/// The output holds the smallest unsigned type for its values; all returned segments are in layer 0.
/// </summary>
internal static class SegmentationLayers
{
    private const int BlockVoxels = 1 << 16;

    public static Segmentation Read(NrrdDataReader reader, NrrdLayout layout, List<FileSegment> segments, string headerPath) => layout.Type switch
    {
        VoxelType.UInt8 => Read<byte>(reader, layout, segments, headerPath),
        VoxelType.Int8 => Read<sbyte>(reader, layout, segments, headerPath),
        VoxelType.Int16 => Read<short>(reader, layout, segments, headerPath),
        VoxelType.UInt16 => Read<ushort>(reader, layout, segments, headerPath),
        VoxelType.Int32 => Read<int>(reader, layout, segments, headerPath),
        VoxelType.UInt32 => Read<uint>(reader, layout, segments, headerPath),
        VoxelType.Float32 => Read<float>(reader, layout, segments, headerPath),
        VoxelType.Float64 => Read<double>(reader, layout, segments, headerPath),
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout.Type, null),
    };

    private static Segmentation Read<T>(NrrdDataReader reader, NrrdLayout layout, List<FileSegment> segments, string headerPath) where T : unmanaged, INumber<T>
    {
        int[] outValues = AssignValues(segments, headerPath);
        var data = new T[layout.ElementCount];
        VolumeChunks.ForEach(data, reader.Fill);

        var info = segments.Select((s, n) => new SegmentInfo(s.Id, s.Name, s.Color, outValues[n], 0)).ToList();
        int max = outValues.Length == 0 ? 0 : outValues.Max();
        Volume labels = max <= byte.MaxValue ? Flatten<T, byte>(data, layout, segments, outValues)
            : max <= ushort.MaxValue ? Flatten<T, ushort>(data, layout, segments, outValues)
            : Flatten<T, uint>(data, layout, segments, outValues);
        return new Segmentation(labels, info);
    }

    /// <summary>The value each segment gets in the flattened map (see the class summary).</summary>
    internal static int[] AssignValues(IReadOnlyList<FileSegment> segments, string path)
    {
        var values = new int[segments.Count];
        var used = new HashSet<int>();
        long next = segments.Count == 0 ? 1 : segments.Max(s => s.LabelValue) + 1L;
        for (int n = 0; n < segments.Count; n++)
        {
            if (used.Contains(segments[n].LabelValue))
            {
                if (next > int.MaxValue)
                    throw new VolumeFormatException(path, $"Segment{n}_LabelValue", "no label value is left above the declared ones to give this overlapping segment");
                values[n] = (int)next++;
            }
            else values[n] = segments[n].LabelValue;
            used.Add(values[n]);
        }
        return values;
    }

    private static Volume<TOut> Flatten<TIn, TOut>(TIn[] data, NrrdLayout layout, List<FileSegment> segments, int[] outValues)
        where TIn : unmanaged, INumber<TIn>
        where TOut : unmanaged, INumber<TOut>
    {
        var lookup = new LayerLookup(segments, (int)layout.ExtraSize, layout.ElementCount);
        var outTable = outValues.Select(TOut.CreateChecked).ToArray();
        int layers = (int)layout.ExtraSize;
        long voxels = layout.Geometry.Shape.VoxelCount;
        // Elements of axes below the layer axis vary faster than it: voxel v, layer l sits at
        // (v mod below) + below·(l + layers·(v div below)).
        long below = 1;
        if (layout.ExtraAxis >= 0)
            foreach (int a in layout.SpatialAxes)
                if (a < layout.ExtraAxis) below *= layout.Sizes[a];
        var output = new TOut[voxels];
        long blocks = (voxels + BlockVoxels - 1) / BlockVoxels;
        if (layers == 1)
        {
            // One layer: label maps are long runs of one value, so remember the last answer.
            Parallel.For(0, blocks, block =>
            {
                long end = Math.Min(voxels, (block + 1) * BlockVoxels);
                TIn previous = TIn.Zero;
                TOut mapped = TOut.Zero;
                for (long v = block * BlockVoxels; v < end; v++)
                {
                    TIn value = data[v];
                    if (value != previous)
                    {
                        previous = value;
                        int segment = TIn.IsZero(value) ? -1 : lookup.Find(0, value);
                        mapped = segment < 0 ? TOut.Zero : outTable[segment];
                    }
                    output[v] = mapped;
                }
            });
            return new Volume<TOut>(layout.Geometry, output);
        }
        Parallel.For(0, blocks, block =>
        {
            long end = Math.Min(voxels, (block + 1) * BlockVoxels);
            for (long v = block * BlockVoxels; v < end; v++)
            {
                long first = below == 1 ? v * layers : v % below + below * layers * (v / below);
                int best = -1;
                for (int l = 0; l < layers; l++)
                {
                    TIn value = data[first + below * l];
                    if (TIn.IsZero(value)) continue;
                    int segment = lookup.Find(l, value);
                    if (segment > best) best = segment;
                }
                output[v] = best < 0 ? TOut.Zero : outTable[best];
            }
        });
        return new Volume<TOut>(layout.Geometry, output);
    }

    /// <summary>File value → segment index, per layer: a table while layers × values stay small (and not
    /// larger than the data it serves), else a dictionary (a hostile header must not make us allocate
    /// layers × 65536 entries, nor a 16 MB table for a 2×2×2 file whose segment claims value 4 million).</summary>
    private sealed class LayerLookup
    {
        private const long DenseEntries = 1 << 22;
        private const long SmallTable = 1 << 16;
        private readonly int[][]? _dense;
        private readonly Dictionary<long, int>? _sparse;
        private readonly int _max;

        public LayerLookup(List<FileSegment> segments, int layers, long elements)
        {
            _max = segments.Count == 0 ? 0 : segments.Max(s => s.LabelValue);
            if ((long)layers * (_max + 1L) <= Math.Min(DenseEntries, Math.Max(SmallTable, elements)))
            {
                _dense = new int[layers][];
                for (int l = 0; l < layers; l++) Array.Fill(_dense[l] = new int[_max + 1], -1);
                foreach (var s in segments) _dense[s.Layer][s.LabelValue] = s.Index;
            }
            else
            {
                _sparse = new Dictionary<long, int>();
                foreach (var s in segments) _sparse[((long)s.Layer << 32) | (uint)s.LabelValue] = s.Index;
            }
        }

        public int Find<T>(int layer, T value) where T : unmanaged, INumber<T>
        {
            long key;
            if (typeof(T) == typeof(float) || typeof(T) == typeof(double))
            {
                double d = double.CreateTruncating(value);
                if (!(d >= 1 && d <= _max) || d != Math.Floor(d)) return -1;
                key = (long)d;
            }
            else
            {
                key = long.CreateTruncating(value);
                if (key < 1 || key > _max) return -1;
            }
            return _dense is not null ? _dense[layer][key]
                : _sparse!.TryGetValue(((long)layer << 32) | key, out int s) ? s : -1;
        }
    }
}
