using System.Collections.Concurrent;

namespace CtSegLabel.LoadTesting;

/// <summary>
/// Every request's outcome per route: the status (or the exception that replaced it) and its latency, plus whether
/// that status is one the protocol documents for this load. Latencies are all kept and sorted at the end — exact
/// percentiles at the cost of 8 bytes a request, which a few minutes of loopback load affords.
/// </summary>
public sealed class RouteRecorder
{
    /// <summary>A 503 that carries Retry-After: the documented answer of a full compute queue.</summary>
    public const string QueueFull = "503+Retry-After";

    private readonly ConcurrentDictionary<string, ConcurrentBag<(string Status, double Ms, bool Expected)>> _routes = new();
    private readonly ConcurrentQueue<string> _unexpected = new();

    public void Record(string route, string status, TimeSpan latency, bool expected, string? detail = null)
    {
        _routes.GetOrAdd(route, _ => []).Add((status, latency.TotalMilliseconds, expected));
        // The first few bodies of each kind of surprise are enough to diagnose it; thousands would drown the report.
        if (!expected && _unexpected.Count < 50) _unexpected.Enqueue($"{route} → {status}: {detail}");
    }

    public IReadOnlyList<string> Unexpected => [.. _unexpected];

    public IReadOnlyList<RouteSummary> Summaries(TimeSpan window) =>
        [.. _routes.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => RouteSummary.Of(r.Key, [.. r.Value], window))];
}

/// <summary>One route's figures: count, statuses, latency percentiles (nearest rank) and throughput over the load window.
/// Latencies are those of the 2xx answers: a refusal (503 in a few ms) mixed in would make a queued infer look fast.</summary>
public sealed record RouteSummary(string Route, int Count, IReadOnlyDictionary<string, int> Statuses, int UnexpectedCount,
    double P50Ms, double P90Ms, double P99Ms, double MaxMs, double OkPerSecond)
{
    public static RouteSummary Of(string route, IReadOnlyList<(string Status, double Ms, bool Expected)> samples, TimeSpan window)
    {
        double[] sorted = [.. samples.Where(s => s.Status.StartsWith('2')).Select(s => s.Ms).Order()];
        double Rank(double q) => sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        var statuses = samples.GroupBy(s => s.Status).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        return new RouteSummary(route, samples.Count, statuses, samples.Count(s => !s.Expected),
            Rank(0.50), Rank(0.90), Rank(0.99), sorted.Length == 0 ? 0 : sorted[^1], sorted.Length / Math.Max(1e-9, window.TotalSeconds));
    }
}
