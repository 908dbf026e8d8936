namespace CtSegLabel.Fuzz.Running;

/// <summary>What a run of one target did: inputs tried, the findings (one per signature), the outcome
/// histogram and how many inputs the live corpus grew to.</summary>
public sealed class FuzzReport(string target)
{
    public string Target { get; } = target;
    public long InputsTried { get; set; }
    public int CorpusSize { get; set; }

    /// <summary>How many of the corpus inputs were seeds (the rest are mutants that reached a new outcome).</summary>
    public int SeedCount { get; set; }
    public TimeSpan Elapsed { get; set; }
    public List<Finding> Findings { get; } = [];
    public Dictionary<string, long> Histogram { get; } = new(StringComparer.Ordinal);

    public void Print(TextWriter output, int top = 25)
    {
        output.WriteLine($"target {Target}: {InputsTried} inputs in {Elapsed.TotalSeconds:0.0} s ({InputsTried / Math.Max(Elapsed.TotalSeconds, 1e-3):0} /s), " +
                         $"live corpus {CorpusSize}, {Histogram.Count} distinct outcomes, {Findings.Count} findings");
        foreach (var f in Findings)
            output.WriteLine($"  FINDING {f.Outcome.Key}  ({f.Input.Length} bytes){(f.SavedAs is null ? "" : $" -> {f.SavedAs}")}");
        foreach (var kind in Enum.GetValues<OutcomeKind>())
        {
            string prefix = kind.ToString().ToLowerInvariant() + ":";
            long total = Histogram.Where(h => h.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(h => h.Value);
            if (total > 0) output.WriteLine($"  {kind,-14} {total,9}");
        }
        foreach (var (key, count) in Histogram.OrderByDescending(h => h.Value).Take(top))
            output.WriteLine($"    {count,9}  {key}");
        if (Histogram.Count > top) output.WriteLine($"    ... {Histogram.Count - top} more outcome signatures");
    }
}

/// <summary>A crash, hang or over-allocation, with the (shrunk) input that reproduces it.</summary>
public sealed record Finding(Outcome Outcome, byte[] Input, string? SavedAs);
