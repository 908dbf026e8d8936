using System.Collections;
using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Tests;

/// <summary>The model fixtures (tests/fixtures/models, written by tools/reference/export_parity_fixture.py).</summary>
public static class ModelTestFiles
{
    public static string Fixtures => Path.Combine(TestPaths.Fixtures, "models");

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
}
