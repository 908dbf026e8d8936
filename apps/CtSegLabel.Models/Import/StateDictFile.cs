using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Import;

/// <summary>Reads a PyTorch state_dict from disk: a `torch.save` zip file (.pt, .pth, .bin, .ckpt) —
/// bare, or wrapped in a dict under "state_dict" or "model" as training scripts save it — or a
/// .safetensors file. Non-tensor entries (epoch counters, optimiser settings) are dropped.</summary>
public static class StateDictFile
{
    public static readonly string[] WrapperKeys = ["state_dict", "model", "network", "net"];

    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no such file: {path}", path);
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                return Safetensors.LoadStateDict(path);
            var table = PyTorchUnpickler.UnpickleStateDict(path);
            return Tensors(Unwrap(table));
        }
        catch (Exception e) when (e is not (OutOfMemoryException or ModelFormatException or FileNotFoundException))
        {
            // The pickle reader signals a legacy (non-zip) file, a whole pickled model or a damaged
            // archive with assorted exception types; all mean the same thing to the user.
            throw new ModelFormatException(path, "state_dict", $"not a readable PyTorch state_dict or safetensors file ({e.Message})");
        }
    }

    private static Hashtable Unwrap(Hashtable table)
    {
        foreach (var key in WrapperKeys)
            if (table[key] is Hashtable inner) return inner;
        return table;
    }

    private static Dictionary<string, Tensor> Tensors(Hashtable table)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in table)
            if (e.Key is string key && e.Value is Tensor t) result[key] = t;
        return result;
    }
}
