using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>
/// Stage 2 (thesis §3.7): windows of BlockSlices slices along the model grid's slice axis (top of the body first),
/// each starting a stride of BlockSlices × (1 − overlap) below the previous one; the last is aligned to the bottom
/// so no slice is left out and no window reaches past the volume — except when the volume is shorter than one
/// window, which is then padded with air below the body.
/// </summary>
public static class SlidingWindows
{
    /// <summary>First slices of the windows over <paramref name="slices"/> slices, increasing.</summary>
    public static int[] Starts(int slices, int blockSlices, double overlap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slices, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSlices, 1);
        if (!(overlap >= 0 && overlap < 1)) throw new ArgumentOutOfRangeException(nameof(overlap), overlap, "must be in [0, 1)");
        int stride = Stride(blockSlices, overlap);
        var starts = new List<int>();
        int start = 0;
        for (; start + blockSlices < slices; start += stride) starts.Add(start);
        // The loop stops at the first window that would reach the bottom; aligning it to the bottom can only move it
        // up, never onto the previous start (that one ended above the bottom).
        starts.Add(Math.Max(0, slices - blockSlices));
        return starts.ToArray();
    }

    /// <summary>Slices from one window's start to the next one's (32 for 64 slices at 50 %).</summary>
    public static int Stride(int blockSlices, double overlap) => Math.Max(1, (int)Math.Round(blockSlices * (1 - overlap), MidpointRounding.AwayFromZero));

    /// <summary>Slices of a window starting at <paramref name="start"/> that lie inside the volume; the rest is padding.</summary>
    public static int RealSlices(int start, int blockSlices, int slices) => Math.Min(blockSlices, slices - start);

    /// <summary>
    /// The window starting at slice <paramref name="start"/> as a volume of its own: <paramref name="blockSlices"/>
    /// slices on the model grid (origin moved to its first slice), slices past the end of the model filled with
    /// <paramref name="padding"/>.
    /// </summary>
    public static Volume<float> Block(Volume<float> model, int start, int blockSlices, float padding)
    {
        var shape = model.Shape;
        if (start < 0 || start >= shape.Z) throw new ArgumentOutOfRangeException(nameof(start), start, $"outside 0..{shape.Z - 1}");
        var geometry = model.Geometry with
        {
            Shape = new Shape3(shape.X, shape.Y, blockSlices),
            Origin = model.Geometry.IndexToWorld(0, 0, start),
        };
        int plane = shape.X * shape.Y;
        int real = RealSlices(start, blockSlices, shape.Z);
        var data = GC.AllocateUninitializedArray<float>(plane * blockSlices);
        // Slices are contiguous, so a window is one block copy.
        Array.Copy(model.Data, (long)start * plane, data, 0, (long)real * plane);
        data.AsSpan(real * plane).Fill(padding);
        return new Volume<float>(geometry, data);
    }
}
