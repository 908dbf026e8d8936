using System.Numerics;
using System.Runtime.InteropServices;

namespace CtSegLabel.Inference.Instances;

/// <summary>Settings of <see cref="EmbeddingClustering"/>.</summary>
/// <param name="Radius">δ: embeddings within this Euclidean distance of a centre belong to it (thesis: 3, twice
/// the variance margin δ_v = 1.5 of the discriminative loss, so a well-trained cluster fits inside).</param>
/// <param name="Tolerance">The centre has converged when one update moves it less than this.</param>
/// <param name="MaxIterations">Cap on centre updates per cluster (the thesis's "maximum number of iterations").</param>
/// <param name="Seed">Seed of the random choice of starting embeddings: equal seeds give equal results.</param>
public sealed record ClusteringOptions(float Radius = 3f, float Tolerance = 1e-3f, int MaxIterations = 100, int Seed = 0);

/// <summary>
/// The thesis's fixed-radius mean-shift variant (§3.5): pick a random unassigned embedding as centre; replace the
/// centre by the mean of the unassigned embeddings within δ until it moves less than ε (or the iteration cap);
/// every unassigned embedding within δ of the final centre becomes one new instance and leaves the pool; repeat
/// until the pool is empty. Each pass over the pool is a vectorised distance test in fixed-size chunks whose
/// partial sums are added in chunk order, so the result does not depend on how many threads ran.
/// </summary>
public static class EmbeddingClustering
{
    private const int Chunk = 4096;

    /// <summary>Clusters <paramref name="embeddings"/> (row-major: point p's vector is
    /// <c>embeddings[p*dims .. p*dims+dims)</c>) and returns an instance id 1..K per point, numbered in the order the
    /// clusters were found.</summary>
    public static int[] Cluster(float[] embeddings, int dims, ClusteringOptions? options = null)
    {
        options ??= new ClusteringOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(dims, 1);
        if (embeddings.Length % dims != 0)
            throw new ArgumentException($"{embeddings.Length} values are not a whole number of {dims}-vectors", nameof(embeddings));
        if (!(options.Radius > 0)) throw new ArgumentOutOfRangeException(nameof(options), "radius must be positive");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 0);
        return Run(embeddings, dims, options);
    }

    private static int[] Run(float[] points, int dims, ClusteringOptions options)
    {
        int n = points.Length / dims;
        var labels = new int[n];
        if (n == 0) return labels;
        float r2 = options.Radius * options.Radius;
        float tol2 = options.Tolerance * options.Tolerance;
        var random = new Random(options.Seed);

        // The pool of unassigned points, kept compact so later clusters scan only what is left.
        var pool = new int[n];
        for (int p = 0; p < n; p++) pool[p] = p;
        int poolCount = n;
        var centre = new float[dims];
        var mean = new float[dims];
        int instance = 0;

        while (poolCount > 0)
        {
            int start = pool[random.Next(poolCount)];
            points.AsSpan(start * dims, dims).CopyTo(centre);
            for (int it = 0; it < options.MaxIterations; it++)
            {
                if (MeanWithin(points, dims, pool, poolCount, centre, r2, mean) == 0) break;
                float moved2 = SquaredDistance(centre, mean);
                mean.AsSpan().CopyTo(centre);
                if (moved2 < tol2) break;
            }

            instance++;
            int kept = 0, taken = 0;
            for (int q = 0; q < poolCount; q++)
            {
                int p = pool[q];
                if (SquaredDistance(points.AsSpan(p * dims, dims), centre) <= r2) { labels[p] = instance; taken++; }
                else pool[kept++] = p;
            }
            // A mean can drift into a gap where nothing is within δ; the start point then forms its own instance,
            // so every round removes at least one point and the loop ends.
            if (taken == 0)
            {
                labels[start] = instance;
                kept = Array.IndexOf(pool, start, 0, kept) is var q and >= 0 ? Remove(pool, q, kept) : kept;
            }
            poolCount = kept;
        }
        return labels;
    }

    private static int Remove(int[] pool, int q, int count)
    {
        pool[q] = pool[count - 1];
        return count - 1;
    }

    /// <summary>Writes the mean of the pooled points within √r2 of <paramref name="centre"/> into
    /// <paramref name="mean"/> and returns how many there were.</summary>
    private static long MeanWithin(float[] points, int dims, int[] pool, int poolCount, float[] centre, float r2, float[] mean)
    {
        int chunks = (poolCount + Chunk - 1) / Chunk;
        var sums = new double[chunks * dims];
        var counts = new long[chunks];
        void Sum(int c)
        {
            var sum = new float[dims];
            int end = Math.Min(poolCount, (c + 1) * Chunk);
            long count = 0;
            for (int q = c * Chunk; q < end; q++)
            {
                var v = points.AsSpan(pool[q] * dims, dims);
                if (SquaredDistance(v, centre) > r2) continue;
                Add(sum, v);
                count++;
            }
            for (int d = 0; d < dims; d++) sums[c * dims + d] = sum[d];
            counts[c] = count;
        }
        if (chunks == 1) Sum(0); else Parallel.For(0, chunks, Sum);

        long total = 0;
        Array.Clear(mean);
        var acc = new double[dims];
        for (int c = 0; c < chunks; c++)
        {
            total += counts[c];
            for (int d = 0; d < dims; d++) acc[d] += sums[c * dims + d];
        }
        if (total == 0) return 0;
        for (int d = 0; d < dims; d++) mean[d] = (float)(acc[d] / total);
        return total;
    }

    internal static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int d = 0;
        float s = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            var acc = Vector<float>.Zero;
            for (int v = 0; v < va.Length; v++)
            {
                var diff = va[v] - vb[v];
                acc += diff * diff;
            }
            s = Vector.Sum(acc);
            d = va.Length * Vector<float>.Count;
        }
        for (; d < a.Length; d++)
        {
            float diff = a[d] - b[d];
            s += diff * diff;
        }
        return s;
    }

    private static void Add(float[] sum, ReadOnlySpan<float> v)
    {
        int d = 0;
        if (Vector.IsHardwareAccelerated && v.Length >= Vector<float>.Count)
        {
            var vs = MemoryMarshal.Cast<float, Vector<float>>(sum.AsSpan());
            var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
            for (int k = 0; k < vv.Length; k++) vs[k] += vv[k];
            d = vv.Length * Vector<float>.Count;
        }
        for (; d < v.Length; d++) sum[d] += v[d];
    }
}
