namespace CtSegLabel.Training.Loop;

/// <summary>The files of a run directory.</summary>
internal sealed class RunFiles(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);
    public string Last => Path.Combine(Directory, "last.ctseg");
    public string Best => Path.Combine(Directory, "best.ctseg");
    public string Optimizer => Path.Combine(Directory, "optimizer.bin");
    public string State => Path.Combine(Directory, "state.json");
    public string CurveCsv => Path.Combine(Directory, "curve.csv");
    public string CurvePng => Path.Combine(Directory, "curve.png");
    public string Cache => Path.Combine(Directory, "cache");

    /// <summary>Removes the temporaries of checkpoint writes cut off by a kill (AtomicFile's <c>.NAME.GUID.tmp</c>): each
    /// is as large as a checkpoint or an optimizer state, so a run killed often would otherwise fill the disk. Only
    /// one session trains in a run directory, so none of them is still being written. Returns how many were removed.</summary>
    public int RemoveInterruptedWrites()
    {
        if (!System.IO.Directory.Exists(Directory)) return 0;
        int removed = 0;
        foreach (string file in System.IO.Directory.EnumerateFiles(Directory, ".*.tmp"))
        {
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (IOException)
            {
                // Only disk space is at stake; the next start tries again.
            }
        }
        return removed;
    }
}
