namespace CtSegLabel.Server.Tests;

/// <summary>Where the repository and its fixtures are.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Fixtures => Path.Combine(RepoRoot, "tests", "fixtures");

    /// <summary>../shared/data beside the repository: a real CT and its TotalSegmentator labels (see its README).</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    public static string ExampleCt => Path.Combine(SharedData, "example_ct_sm.nii.gz");

    public static string ExampleSeg => Path.Combine(SharedData, "example_seg.nii.gz");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CtSegLabel.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CtSegLabel.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A scratch folder deleted when the test ends.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ctseg-srv-" + Guid.NewGuid().ToString("N")[..12]);

    public string Sub(string name)
    {
        string p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(p);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
