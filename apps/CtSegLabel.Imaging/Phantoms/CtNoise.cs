namespace CtSegLabel.Imaging.Phantoms;

/// <summary>
/// Scanner noise for one slice: Gaussian with standard deviation σ HU, lightly correlated between
/// neighbouring pixels as reconstructed CT noise is (white noise looks like salt, not like CT).
/// </summary>
public static class CtNoise
{
    /// <summary>The standard normal's quantiles at (m + ½)/65536, m = 0…65535: indexing it with 16
    /// uniform random bits draws a normal variate (truncated at ±4.3, quantised far below
    /// anything visible).</summary>
    internal static readonly float[] Quantiles = BuildQuantiles();

    // The [1 2 1]/4 kernel applied along x and then y keeps the mean and multiplies the standard
    // deviation of white noise by (1² + 2² + 1²)/16 = 0.375; dividing by it restores σ.
    private const float KernelGain = 0.375f;

    public static void Add(Span<float> hu, Span<float> scratch, int nx, int ny, double sigma, PhantomRandom random)
    {
        if (sigma <= 0) return;
        int n = nx * ny;
        var white = scratch[..n];
        // Four table-quantile normals per 64-bit draw: Box–Muller's logarithm and cosine for every
        // voxel cost more than all the anatomy together.
        var table = Quantiles;
        int idx = 0;
        for (; idx + 4 <= n; idx += 4)
        {
            ulong bits = random.NextUInt64();
            white[idx] = table[(int)(bits & 0xFFFF)];
            white[idx + 1] = table[(int)((bits >> 16) & 0xFFFF)];
            white[idx + 2] = table[(int)((bits >> 32) & 0xFFFF)];
            white[idx + 3] = table[(int)(bits >> 48)];
        }
        for (; idx < n; idx++) white[idx] = table[(int)(random.NextUInt64() >> 48)];

        float gain = (float)sigma / KernelGain;
        float[] rowBuffer = new float[nx];
        // Along x, in place, one row at a time.
        for (int j = 0; j < ny; j++)
        {
            var line = white.Slice(j * nx, nx);
            line.CopyTo(rowBuffer);
            for (int i = 0; i < nx; i++)
            {
                float left = rowBuffer[Math.Max(i - 1, 0)], right = rowBuffer[Math.Min(i + 1, nx - 1)];
                line[i] = 0.25f * (left + 2 * rowBuffer[i] + right);
            }
        }
        // Along y, adding the result to the image: whole rows at a time, so memory is read in order.
        for (int j = 0; j < ny; j++)
        {
            var up = white.Slice(Math.Max(j - 1, 0) * nx, nx);
            var mid = white.Slice(j * nx, nx);
            var down = white.Slice(Math.Min(j + 1, ny - 1) * nx, nx);
            var target = hu.Slice(j * nx, nx);
            float g = gain * 0.25f;
            for (int i = 0; i < nx; i++) target[i] += g * (up[i] + 2 * mid[i] + down[i]);
        }
    }

    private static float[] BuildQuantiles()
    {
        var q = new float[65536];
        for (int m = 0; m < q.Length; m++) q[m] = (float)InverseNormal((m + 0.5) / q.Length);
        return q;
    }

    /// <summary>Inverse of the standard normal distribution function by P. J. Acklam's rational
    /// approximation (relative error below 1.2e-9).</summary>
    internal static double InverseNormal(double p)
    {
        const double pLow = 0.02425;
        if (p < pLow) return Tail(Math.Sqrt(-2 * Math.Log(p)));
        if (p > 1 - pLow) return -Tail(Math.Sqrt(-2 * Math.Log(1 - p)));
        double q = p - 0.5, r = q * q;
        return (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
             / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1);

        static double Tail(double q) =>
            (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
            / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
    }
}
