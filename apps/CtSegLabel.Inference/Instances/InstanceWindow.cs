using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Instances;

/// <summary>
/// One window's instance map (0 = none, 1..n) and the slice of the whole volume its first slice lies on.
/// Windows are given in sweep order, the first being where the sweep starts (the top of the body in the
/// thesis); a window's "top edge" is its first slice, the edge it shares with the windows before it. Slices
/// past the end of the whole volume are padding and are ignored.
/// </summary>
public sealed record InstanceWindow(int Start, Volume<int> Instances)
{
    public int Depth => Instances.Shape.Z;

    /// <summary>The whole-volume slices [From, To) this window covers, padding excluded.</summary>
    internal (int From, int To) Covered(int totalSlices) => (Start, Math.Min(Start + Depth, totalSlices));

    internal static void Validate(IReadOnlyList<InstanceWindow> windows, Shape3 whole)
    {
        for (int w = 0; w < windows.Count; w++)
        {
            var s = windows[w].Instances.Shape;
            if (s.X != whole.X || s.Y != whole.Y)
                throw new ArgumentException($"window {w} is {s}, the volume {whole}: in-plane sizes differ", nameof(windows));
            if (windows[w].Start < 0 || windows[w].Start >= whole.Z)
                throw new ArgumentException($"window {w} starts at slice {windows[w].Start}, outside 0..{whole.Z - 1}", nameof(windows));
            if (w > 0 && windows[w].Start <= windows[w - 1].Start)
                throw new ArgumentException($"window {w} does not start below window {w - 1}", nameof(windows));
        }
    }
}
