using System.Collections;
using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Tests;

/// <summary>The repository, its model fixtures (tests/fixtures/models, written by
/// tools/reference/export_parity_fixture.py) and a scratch folder per test.</summary>
public static class ModelTestFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Fixtures => Path.Combine(RepoRoot, "tests", "fixtures", "models");

    public static string Fixture(string name) => Path.Combine(Fixtures, name);

    /// <summary>The architecture a fixture was exported with, as the checkpoint metadata spells it.</summary>
    public static NetworkArchitecture Architecture(string stem) =>
        JsonSerializer.Deserialize<NetworkArchitecture>(File.ReadAllText(Fixture(stem + ".json")), NetworkArchitecture.Json)!;

    /// <summary>The input and reference outputs a fixture holds ("input", "semantic", "embedding").</summary>
    public static Dictionary<string, Tensor> InputsAndOutputs(string stem)
    {
        Hashtable table = PyTorchUnpickler.UnpickleStateDict(Fixture(stem + "_io.pt"));
        return table.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CtSegLabel.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CtSegLabel.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A scratch folder deleted when the test ends.</summary>
public sealed class ScratchDir : IDisposable
{
    public ScratchDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ctseg-models-" + Guid.NewGuid().ToString("N")[..12]);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
