using static TorchSharp.torch;

namespace CtSegLabel.Models.Import;

/// <summary>Copies PyTorch weights into a network by parameter name, converting dtype and device.
/// A shape mismatch is always refused with the key's name; missing and unexpected keys are reported,
/// and refused too when strict.</summary>
public static class WeightImport
{
    /// <summary>Prefix torch.nn.DataParallel puts before every key.</summary>
    public const string DataParallelPrefix = "module.";

    public static ImportReport FromFile(nn.Module network, string path, bool strict)
    {
        var source = StateDictFile.Read(path);
        try { return Apply(network, source, path, strict); }
        finally { foreach (var t in source.Values) t.Dispose(); }
    }

    public static ImportReport Apply(nn.Module network, IReadOnlyDictionary<string, Tensor> source, string path, bool strict)
    {
        string? stripped = null;
        var file = new Dictionary<string, Tensor>(source, StringComparer.Ordinal);
        if (file.Count > 0 && file.Keys.All(k => k.StartsWith(DataParallelPrefix, StringComparison.Ordinal)))
        {
            stripped = DataParallelPrefix;
            file = file.ToDictionary(kv => kv.Key[DataParallelPrefix.Length..], kv => kv.Value, StringComparer.Ordinal);
        }

        var target = network.state_dict();
        var missing = new List<string>();
        var loaded = new List<string>();
        foreach (var (key, dst) in target)
        {
            if (!file.TryGetValue(key, out var src))
            {
                if (!IsDerived(key)) missing.Add(key);
                continue;
            }
            if (!src.shape.SequenceEqual(dst.shape))
                throw new ModelFormatException(path, key, $"shape {Shape(src)} in the file, {Shape(dst)} in the network");
            if (IsDerived(key))
            {
                using var same = src.to(dst.dtype, dst.device).eq(dst).all();
                if (!same.item<bool>())
                    throw new ModelFormatException(path, key, "differs from the index this window size implies");
            }
            loaded.Add(key);
        }
        var unexpected = file.Keys.Where(k => !target.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (strict && (missing.Count > 0 || unexpected.Count > 0))
        {
            string first = missing.Count > 0 ? missing[0] : unexpected[0];
            throw new ModelFormatException(path, first,
                $"keys do not match the network (missing from the file: {List(missing)}; not in the network: {List(unexpected)})");
        }

        using (no_grad())
        {
            foreach (var key in loaded)
                if (!IsDerived(key)) target[key].copy_(file[key]);
        }
        return new ImportReport(loaded, missing, unexpected, stripped);
    }

    /// <summary>Buffers the network computes from its sizes (MONAI saves them; they carry no learning).</summary>
    public static bool IsDerived(string key) => key.EndsWith("relative_position_index", StringComparison.Ordinal);

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";

    private static string List(List<string> keys) => keys.Count == 0 ? "none" : string.Join(", ", keys);
}
