namespace CtSegLabel.Imaging.Phantoms;

/// <summary>
/// The phantoms' own pseudo-random generator: xoshiro256** seeded through SplitMix64. Phantoms are
/// ground truth that must come out byte-identical for a seed on every machine and every .NET
/// version, so the algorithm is fixed here rather than borrowed from System.Random, whose
/// algorithm is an implementation detail that has changed before.
/// </summary>
public struct PhantomRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public PhantomRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>An independent stream for a numbered part of a phantom (a slice, a patient index):
    /// the seeds are mixed, not added, so streams n and n+1 share nothing visible.</summary>
    public static PhantomRandom Derive(ulong seed, ulong stream)
    {
        ulong x = seed ^ (stream * 0xD1B54A32D192ED03UL);
        ulong mixed = SplitMix(ref x) ^ SplitMix(ref x);
        return new PhantomRandom(mixed);
    }

    public static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [min, max] (both inclusive).</summary>
    public int Int(int min, int max) => min + (int)((NextUInt64() >> 11) % (ulong)(max - min + 1));

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Standard normal by the Box–Muller transform (one of the pair; callers wanting speed use <see cref="NormalPair"/>).</summary>
    public double Normal() => NormalPair().A;

    public (double A, double B) NormalPair()
    {
        // 1 − u keeps the logarithm's argument in (0, 1].
        double u = 1.0 - NextDouble();
        double v = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u));
        double angle = 2.0 * Math.PI * v;
        return (r * Math.Cos(angle), r * Math.Sin(angle));
    }

    /// <summary>Normal with mean and standard deviation, cut at ±2.5 σ so no patient is absurd.</summary>
    public double Jitter(double mean, double sigma) => mean + sigma * Math.Clamp(Normal(), -2.5, 2.5);

    /// <summary>Index into a discrete distribution given by non-negative weights.</summary>
    public int Pick(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (double w in weights) total += w;
        double u = NextDouble() * total;
        for (int n = 0; n < weights.Length; n++)
        {
            u -= weights[n];
            if (u < 0) return n;
        }
        return weights.Length - 1;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
