namespace CtSegLabel.Server.Tests.Load;

/// <summary>The server and test app built beside this test assembly's configuration (the test project references both,
/// so they are built before the tests run).</summary>
internal static class BuiltServer
{
    private static readonly string Configuration =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string ServerDll => Output("server/CtSegLabel.Server", "CtSegLabel.Server.dll");
    public static string TestAppDll => Output("tests/CtSegLabel.TestApp", "CtSegLabel.TestApp.dll");

    private static string Output(string project, string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "CtSegLabel.sln"))) continue;
            string path = Path.Combine(dir.FullName, project, "bin", Configuration, "net10.0", file);
            return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built ({path})");
        }
        throw new DirectoryNotFoundException("CtSegLabel.sln not found above the test assembly");
    }
}
