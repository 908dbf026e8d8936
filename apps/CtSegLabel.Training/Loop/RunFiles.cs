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
}
