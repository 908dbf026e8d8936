using System.Numerics;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>
/// Thesis §3.2 step 3: the linear map −700 HU → 0, 1400 HU → 1, to float32.
/// <para>
/// Clipping is OFF by default. The thesis describes only a linear rescaling, chosen so that "the relevant
/// voxels" (the major tissues, about −700…1400 HU) land in [0, 1]; it never mentions clipping, and MONAI's
/// ScaleIntensityRange, the usual way to write this step, does not clip unless asked (clip=False). Without
/// clipping air stays distinguishable from lung (−1000 HU → −0.14) and dense bone or metal keep their
/// contrast above 1. A model trained with clipping should pass <c>clip: true</c>.
/// </para>
/// </summary>
public static class IntensityScaling
{
    public const double LowHu = -700;
    public const double HighHu = 1400;

    /// <summary>(value − lowHu) / (highHu − lowHu), clipped to [0, 1] when <paramref name="clip"/> is set.</summary>
    public static Volume<float> Apply<T>(Volume<T> hu, double lowHu = LowHu, double highHu = HighHu, bool clip = false)
        where T : unmanaged, INumber<T>
    {
        if (!(highHu > lowHu) || double.IsInfinity(highHu - lowHu))
            throw new ArgumentOutOfRangeException(nameof(highHu), highHu, $"the high value must be above the low value {lowHu}");
        // Computed in double and rounded once, so −700 and 1400 map to exactly 0 and 1.
        double range = highHu - lowHu;
        var output = Volume<float>.Uninitialized(hu.Geometry);
        var src = hu.Data;
        var dst = output.Data;
        const int chunk = 1 << 16;
        Parallel.For(0, (src.Length + chunk - 1) / chunk, c =>
        {
            int end = Math.Min(src.Length, (c + 1) * chunk);
            if (clip)
                for (int n = c * chunk; n < end; n++)
                    dst[n] = Math.Clamp((float)((double.CreateTruncating(src[n]) - lowHu) / range), 0f, 1f);
            else
                for (int n = c * chunk; n < end; n++)
                    dst[n] = (float)((double.CreateTruncating(src[n]) - lowHu) / range);
        });
        return output;
    }
}
