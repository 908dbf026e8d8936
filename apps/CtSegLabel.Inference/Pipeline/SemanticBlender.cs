using System.Numerics;
using System.Runtime.InteropServices;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>Receives one finished slice: its index, the Gaussian-weighted SUM of every covering window's probabilities
/// (channel-first within the slice: channel c of in-plane voxel p at <c>c·plane + p</c>) and the sum of the weights.
/// The blended probability is sums / weight; the buffer is reused after the call returns.</summary>
internal delegate void FinishedSlice(int slice, float[] sums, float weight);

/// <summary>
/// Stage 4 (thesis §3.7): class probabilities of overlapping windows blended with a Gaussian bell along z centred on
/// each window (<see cref="Imaging.Operators.GaussianImportance.Profile"/>). The bell only varies along z, so a slice's
/// weights are one number per window and the normalisation one number per slice.
/// <para>
/// Memory is bounded by the windows still open: a slice's sums are held only from the first window that covers it
/// until <see cref="Complete"/> is told no later window will — with windows sorted top to bottom, about one
/// window's span (64 slices × 37 channels × 128² floats = 155 MB) instead of the whole volume's channels. Finished
/// slice buffers are reused for the next ones.
/// </para>
/// </summary>
internal sealed class SemanticBlender
{
    private readonly int _plane, _slices, _channels;
    private readonly float[] _profile;
    private readonly float[]?[] _open;
    private readonly float[] _weight;
    private readonly Stack<float[]> _spare = new();
    private readonly FinishedSlice _finished;
    private int _completed;

    /// <param name="plane">Voxels per slice.</param>
    /// <param name="slices">Slices of the whole model grid.</param>
    /// <param name="channels">Semantic channels.</param>
    /// <param name="profile">The weight of each window slice (its length is the window depth).</param>
    public SemanticBlender(int plane, int slices, int channels, float[] profile, FinishedSlice finished)
    {
        _plane = plane;
        _slices = slices;
        _channels = channels;
        _profile = profile;
        _open = new float[slices][];
        _weight = new float[slices];
        _finished = finished;
    }

    /// <summary>Slices held open at the moment (for the memory bound's tests).</summary>
    public int OpenSlices => _open.Count(s => s is not null);

    /// <summary>Most slices held open at once so far.</summary>
    public int PeakOpenSlices { get; private set; }

    /// <summary>Adds a window's probabilities (channel-first over the whole window, padding included: channel c of
    /// window voxel v at <c>c·windowVoxels + v</c>). Slices past the end of the grid (padding) are ignored.</summary>
    public void Add(int start, float[] probabilities)
    {
        int depth = _profile.Length;
        long windowVoxels = (long)_plane * depth;
        if (probabilities.LongLength != windowVoxels * _channels)
            throw new ArgumentException($"expected {_channels} × {windowVoxels} probabilities, got {probabilities.LongLength}", nameof(probabilities));
        if (start < _completed)
            throw new InvalidOperationException($"window at slice {start} covers slice {_completed - 1}, which is already finished");
        int real = SlidingWindows.RealSlices(start, depth, _slices);
        for (int local = 0; local < real; local++)
        {
            int k = start + local;
            if (_open[k] is null)
            {
                var buffer = _spare.Count > 0 ? _spare.Pop() : new float[_plane * _channels];
                Array.Clear(buffer);
                _open[k] = buffer;
            }
            _weight[k] += _profile[local];
        }
        PeakOpenSlices = Math.Max(PeakOpenSlices, OpenSlices);
        Parallel.For(0, real, local =>
        {
            var sums = _open[start + local]!;
            float w = _profile[local];
            for (int c = 0; c < _channels; c++)
                MultiplyAdd(sums.AsSpan(c * _plane, _plane), probabilities.AsSpan((int)(c * windowVoxels + (long)local * _plane), _plane), w);
        });
    }

    /// <summary>Finishes every slice below <paramref name="before"/>: no window added later may cover them.</summary>
    public void Complete(int before)
    {
        before = Math.Min(before, _slices);
        if (before <= _completed) return;
        int from = _completed;
        for (int k = from; k < before; k++)
            if (_open[k] is null) throw new InvalidOperationException($"slice {k} is finished but no window covered it");
        Parallel.For(from, before, k => _finished(k, _open[k]!, _weight[k]));
        for (int k = from; k < before; k++)
        {
            _spare.Push(_open[k]!);
            _open[k] = null;
        }
        _completed = before;
    }

    private static void MultiplyAdd(Span<float> sums, ReadOnlySpan<float> values, float w)
    {
        int n = 0;
        if (Vector.IsHardwareAccelerated && sums.Length >= Vector<float>.Count)
        {
            var s = MemoryMarshal.Cast<float, Vector<float>>(sums);
            var v = MemoryMarshal.Cast<float, Vector<float>>(values);
            var wv = new Vector<float>(w);
            for (int b = 0; b < s.Length; b++) s[b] += v[b] * wv;
            n = s.Length * Vector<float>.Count;
        }
        for (; n < sums.Length; n++) sums[n] += values[n] * w;
    }
}
