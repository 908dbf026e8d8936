namespace CtSegLabel.TestSupport;

/// <summary>A scratch folder deleted when the test ends. Compiled into each test project that needs it
/// (tests/Shared), so every suite cleans up the same way.</summary>
public sealed class TestDir : IDisposable
{
    public TestDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ctseg-test-" + Guid.NewGuid().ToString("N")[..12]);

    public string Sub(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    /// <summary>The path of a file in the folder (not created).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
