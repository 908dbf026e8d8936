using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CtSegLabel.LoadTesting;

/// <summary>What a load run measured and what went wrong; written as JSON and as the markdown table of docs/benchmarks.md.</summary>
public sealed record LoadReport
{
    public required LoadOptions Options { get; init; }
    public required string App { get; init; }
    public required string Machine { get; init; }
    public required IReadOnlyList<RouteSummary> Routes { get; init; }
    public required double WindowSeconds { get; init; }
    public required double WarmupInferSeconds { get; init; }
    public required long IdleRssBytes { get; init; }
    public required long WarmRssBytes { get; init; }
    public required long MaxSampledRssBytes { get; init; }
    public required long MeanSampledRssBytes { get; init; }
    public required int RssSamples { get; init; }

    /// <summary>Largest sampled RSS in each tenth of the load window, in order.</summary>
    public required IReadOnlyList<long> MaxRssByTenthBytes { get; init; }
    public required long PeakRssBytes { get; init; }
    public required double ServerCpuSeconds { get; init; }
    public required double ClientCpuSeconds { get; init; }
    public required int LabelsAcknowledged { get; init; }
    public required int LabelImages { get; init; }
    public required IReadOnlyList<string> Failures { get; init; }

    public bool Passed => Failures.Count == 0;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // Status keys such as "503+Retry-After" stay readable ('+' is escaped by the default, HTML-safe encoder).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToMarkdown()
    {
        static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("F0", CultureInfo.InvariantCulture);
        static string Ms(double ms) => ms >= 1000 ? FormattableString.Invariant($"{ms / 1000:F2} s") : FormattableString.Invariant($"{ms:F1} ms");
        var o = Options;
        var text = new StringBuilder();
        text.AppendLine(FormattableString.Invariant(
            $"{App} app; {o.InfoClients} /info/ clients, {o.InferClients} infer clients, {o.LabelClients} label clients for {o.Duration.TotalSeconds:F0} s (load window with drain {WindowSeconds:F1} s); MaxConcurrentInfers {o.MaxConcurrentInfers}, worker queue {o.WorkerQueue}; {o.Images} images {o.ImageSize}×{o.ImageSize}×{o.ImageSlices}; {Machine}"));
        text.AppendLine();
        text.AppendLine("| route | n | statuses | 2xx p50 | p90 | p99 | max | 2xx/s |");
        text.AppendLine("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in Routes)
            text.AppendLine(FormattableString.Invariant(
                $"| {r.Route} | {r.Count} | {string.Join(", ", r.Statuses.Select(s => $"{s.Key}: {s.Value}"))} | {Ms(r.P50Ms)} | {Ms(r.P90Ms)} | {Ms(r.P99Ms)} | {Ms(r.MaxMs)} | {r.OkPerSecond:F1} |"));
        text.AppendLine();
        string budget = o.MemoryBudgetBytes is { } b ? $"{Mb(b)} MB budget ({(PeakRssBytes <= b ? "within" : "EXCEEDED")})" : "no budget";
        text.AppendLine(FormattableString.Invariant(
            $"Server memory: idle {Mb(IdleRssBytes)} MB, after the warm-up infer ({WarmupInferSeconds:F2} s) {Mb(WarmRssBytes)} MB, under load mean {Mb(MeanSampledRssBytes)} / max sampled {Mb(MaxSampledRssBytes)} MB ({RssSamples} samples at 100 ms), peak {Mb(PeakRssBytes)} MB (VmHWM or the largest sample) vs {budget}."));
        text.AppendLine($"Largest sampled RSS in each tenth of the load window (MB): {string.Join(" / ", MaxRssByTenthBytes.Select(Mb))}.");
        text.AppendLine(FormattableString.Invariant(
            $"CPU during the load: server {ServerCpuSeconds:F1} s, load clients {ClientCpuSeconds:F1} s, over {WindowSeconds:F1} s wall on {Environment.ProcessorCount} cores."));
        text.AppendLine($"Labels: {LabelsAcknowledged} acknowledged on {LabelImages} images; the last of each image checked in datastore_v2.json and on disk (SHA-256).");
        text.AppendLine(Passed ? "Result: PASSED (no status other than the documented ones)." : $"Result: FAILED ({Failures.Count} problems):");
        foreach (string f in Failures) text.AppendLine($"- {f}");
        return text.ToString();
    }
}
