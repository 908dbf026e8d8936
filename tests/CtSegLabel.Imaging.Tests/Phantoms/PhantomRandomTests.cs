using CtSegLabel.Imaging.Phantoms;

namespace CtSegLabel.Imaging.Tests.Phantoms;

public class PhantomRandomTests
{
    [Fact]
    public void SplitMixAndXoshiroMatchTheirReferenceOutputs()
    {
        // SplitMix64 from state 0 (the published first value), and xoshiro256** seeded by SplitMix64(42),
        // computed by an independent implementation of the reference algorithms.
        ulong state = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, PhantomRandom.SplitMix(ref state));
        Assert.Equal(0x6E789E6AA1B965F4UL, PhantomRandom.SplitMix(ref state));
        var r = new PhantomRandom(42);
        Assert.Equal(0x15780B2E0C2EC716UL, r.NextUInt64());
        Assert.Equal(0x6104D9866D113A7EUL, r.NextUInt64());
        Assert.Equal(0xAE17533239E499A1UL, r.NextUInt64());
    }

    [Fact]
    public void DerivedStreamsAreIndependentAndDistributionsAreRight()
    {
        var a = PhantomRandom.Derive(1, 0);
        var b = PhantomRandom.Derive(1, 1);
        Assert.NotEqual(a.NextUInt64(), b.NextUInt64());
        var r = PhantomRandom.Derive(99, 7);
        const int n = 200_000;
        double sum = 0, sum2 = 0, usum = 0;
        int[] buckets = new int[4];
        for (int k = 0; k < n; k++)
        {
            double x = r.Normal();
            sum += x;
            sum2 += x * x;
            double u = r.NextDouble();
            Assert.InRange(u, 0, 1 - 1e-17);
            usum += u;
            buckets[r.Int(0, 3)]++;
        }
        Assert.InRange(sum / n, -0.01, 0.01);
        Assert.InRange(sum2 / n, 0.98, 1.02);
        Assert.InRange(usum / n, 0.495, 0.505);
        Assert.All(buckets, c => Assert.InRange(c, n / 4 - 1500, n / 4 + 1500));
    }

    [Fact]
    public void NoiseQuantileTableIsAStandardNormal()
    {
        Assert.Equal(1.959964, CtNoise.InverseNormal(0.975), 5);
        Assert.Equal(-1.644854, CtNoise.InverseNormal(0.05), 5);
        Assert.Equal(-3.090232, CtNoise.InverseNormal(0.001), 5);
        var q = CtNoise.Quantiles;
        Assert.Equal(0, q.Average(), 6);
        Assert.InRange(q.Select(x => (double)x * x).Average(), 0.999, 1.0);
        // The added noise has the asked-for standard deviation after its smoothing.
        var hu = new float[128 * 128];
        CtNoise.Add(hu, new float[hu.Length], 128, 128, 20, PhantomRandom.Derive(3, 3));
        double mean = hu.Average(x => (double)x);
        double sd = Math.Sqrt(hu.Average(x => (x - mean) * (x - mean)));
        Assert.InRange(sd, 18.5, 21.5);
    }
}
