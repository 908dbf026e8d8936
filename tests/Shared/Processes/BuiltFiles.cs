namespace CtSegLabel.TestSupport;

/// <summary>The server, the CLI and the test app built beside the running assembly's configuration (Debug or Release).
/// Tests that start them as processes reference their projects, so they are built before the tests run; the
/// benchmarks that share those harnesses find them the same way.</summary>
public static class BuiltFiles
{
    private static readonly string Configuration =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Root { get; } = FindRoot();

    public static string ServerDll => Output("server/CtSegLabel.Server", "CtSegLabel.Server.dll");

    public static string CtsegDll => Output("apps/CtSegLabel.Cli", "ctseg.dll");

    public static string TestAppDll => Output("tests/CtSegLabel.TestApp", "CtSegLabel.TestApp.dll");

    private static string Output(string project, string file) =>
        Path.Combine(Root, project, "bin", Configuration, "net10.0", file) is var path && File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{project} is not built ({path}): dotnet build {project}");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CtSegLabel.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("CtSegLabel.sln not found above " + AppContext.BaseDirectory);
    }
}
