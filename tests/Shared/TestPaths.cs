namespace CtSegLabel.TestSupport;

/// <summary>Where the repository, its fixtures and the shared real-CT data are.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Fixtures => Path.Combine(RepoRoot, "tests", "fixtures");

    /// <summary>../shared/data beside the repository: a real CT and its TotalSegmentator labels (see its README for licences).</summary>
    public static string SharedData { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    public static string ExampleCt => Path.Combine(SharedData, "example_ct_sm.nii.gz");

    public static string ExampleSeg => Path.Combine(SharedData, "example_seg.nii.gz");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CtSegLabel.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CtSegLabel.sln not found above " + AppContext.BaseDirectory);
    }
}
