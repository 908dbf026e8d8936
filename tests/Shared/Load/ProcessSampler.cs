using System.Globalization;

namespace CtSegLabel.LoadTesting;

/// <summary>
/// Another process's memory and CPU as the kernel counts them (<c>/proc/PID/status</c>, <c>/proc/PID/stat</c>):
/// resident memory sampled every 100 ms while the load runs, and at the end the kernel's own high-water mark
/// (<c>VmHWM</c>), which also catches a peak between two samples. Native memory (libtorch) is included, which the
/// managed heap's counters never see.
/// </summary>
public sealed class ProcessSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _maxSampled;
    private long _sum;
    private int _samples;
    private int _disposed;
    private readonly List<(double Seconds, long Bytes)> _timeline = [];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public ProcessSampler(int pid)
    {
        _pid = pid;
        _loop = Task.Run(SampleAsync);
    }

    /// <summary>Largest sampled VmRSS.</summary>
    public long MaxSampledBytes => Interlocked.Read(ref _maxSampled);

    public long MeanSampledBytes => _samples == 0 ? 0 : Interlocked.Read(ref _sum) / _samples;

    public int Samples => _samples;

    /// <summary>
    /// The largest sample in each of <paramref name="parts"/> equal parts of the sampling time: whether memory
    /// levels off under a steady load or keeps growing, which one peak figure cannot tell.
    /// </summary>
    public IReadOnlyList<long> MaxByPart(int parts)
    {
        lock (_timeline)
        {
            if (_timeline.Count == 0) return [];
            double end = _timeline[^1].Seconds + 1e-9;
            var max = new long[parts];
            foreach (var (seconds, bytes) in _timeline)
            {
                int part = Math.Min(parts - 1, (int)(seconds / end * parts));
                max[part] = Math.Max(max[part], bytes);
            }
            return max;
        }
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                if (Status(_pid, "VmRSS:") is not long rss) return; // the process is gone
                if (rss > _maxSampled) Interlocked.Exchange(ref _maxSampled, rss);
                Interlocked.Add(ref _sum, rss);
                Interlocked.Increment(ref _samples);
                lock (_timeline) _timeline.Add((_clock.Elapsed.TotalSeconds, rss));
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A <c>/proc/PID/status</c> field in bytes (the kernel writes them in kB); null once the process is gone.</summary>
    public static long? Status(int pid, string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>User + system CPU time of the process so far (<c>utime</c> and <c>stime</c> of <c>/proc/PID/stat</c>, in
    /// clock ticks of 1/100 s, USER_HZ on Linux).</summary>
    public static TimeSpan CpuTime(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name in parentheses may hold spaces: the fields are counted after its closing parenthesis.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>Stops sampling; safe to call again (the run stops it before reading the figures, then disposes it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
