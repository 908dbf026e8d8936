namespace CtSegLabel.TestSupport;

/// <summary>The process's resident memory as the kernel counts it: what native allocations (libtorch's tensors)
/// cost, which the managed heap's counters never see.</summary>
public static class ProcessMemory
{
    public static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return Environment.WorkingSet;
    }
}

/// <summary>Tests that read process-wide memory: xunit runs this collection by itself, after the parallel ones.</summary>
[Xunit.CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "process memory (runs alone)";
}
