using System.Text;
using System.Text.Json;
using CtSegLabel.Imaging.Formats;
using static TorchSharp.torch;

namespace CtSegLabel.Models.Checkpoints;

/// <summary>A checkpoint file: the magic line "CTSEG-CHECKPOINT 1\n", the metadata as UTF-8 JSON
/// preceded by its byte length (8 bytes, little-endian), then the weights in TorchSharp's module.save
/// format. One file, written atomically, so a reader never sees weights without their metadata.</summary>
public static class ModelCheckpoint
{
    public const string Extension = ".ctseg";
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("CTSEG-CHECKPOINT 1\n");
    private const long MaxMetadataBytes = 64 << 20;

    public static JsonSerializerOptions Json => NetworkArchitecture.Json;

    /// <summary>Writes the network and its metadata; the tensor list and the architecture in the metadata
    /// are taken from the network itself, so they cannot disagree with the weights.</summary>
    public static CheckpointMetadata Save(string path, SegmentationNetwork network, CheckpointMetadata metadata)
    {
        var labelsProblem = LabelProblem(metadata.Labels, network.Architecture.Classes);
        if (labelsProblem is not null) throw new ArgumentException(labelsProblem, nameof(metadata));
        var complete = metadata with
        {
            Architecture = network.Architecture,
            Tensors = network.state_dict().Select(kv => new TensorEntry(kv.Key, kv.Value.dtype.ToString(), kv.Value.shape)).ToList(),
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(complete, Json);
        AtomicFile.Write(path, stream =>
        {
            WriteHeader(stream, json);
            // TorchSharp's Stream overload closes the stream; the writer overload leaves it to us.
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            network.save(writer);
            writer.Flush();
        });
        return complete;
    }

    /// <summary>Reads only the metadata (cheap: no weights are read).</summary>
    public static CheckpointMetadata ReadMetadata(string path)
    {
        using var stream = OpenChecked(path);
        return ReadMetadata(stream, path);
    }

    /// <summary>Rebuilds the network the metadata describes and loads its weights on the CPU. With
    /// <paramref name="expected"/>, refuses a checkpoint of another architecture or other sizes, naming
    /// every differing field.</summary>
    public static (SegmentationNetwork Network, CheckpointMetadata Metadata) Load(string path, NetworkArchitecture? expected = null)
    {
        using var stream = OpenChecked(path);
        var metadata = ReadMetadata(stream, path);
        if (expected is not null)
        {
            var diffs = expected.Differences(metadata.Architecture);
            if (diffs.Count > 0)
                throw new ModelFormatException(path, "architecture", $"the checkpoint is not the expected network ({string.Join("; ", diffs)})");
        }
        var network = metadata.Architecture.Build();
        try
        {
            CheckTensors(path, network, metadata.Tensors);
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            network.load(reader, strict: true);
            return (network, metadata);
        }
        catch (Exception e) when (e is not ModelFormatException)
        {
            network.Dispose();
            throw new ModelFormatException(path, "weights", $"cannot be read ({e.Message})");
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Copies a checkpoint to <paramref name="target"/> (atomically) with its metadata changed by
    /// <paramref name="change"/> and its weights byte for byte — no network is built. The architecture and tensor
    /// list cannot be changed this way: they describe the weights.</summary>
    public static CheckpointMetadata CopyWithMetadata(string source, string target, Func<CheckpointMetadata, CheckpointMetadata> change)
    {
        using var stream = OpenChecked(source);
        var metadata = ReadMetadata(stream, source);
        var changed = change(metadata) with { Architecture = metadata.Architecture, Tensors = metadata.Tensors };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(changed, Json);
        AtomicFile.Write(target, output =>
        {
            WriteHeader(output, json);
            stream.CopyTo(output, 1 << 20);
        });
        return changed;
    }

    /// <summary>The magic line, the metadata's byte length (8 bytes, little-endian), the metadata.</summary>
    private static void WriteHeader(Stream stream, byte[] json)
    {
        stream.Write(Magic);
        Span<byte> length = stackalloc byte[8];
        BitConverter.TryWriteBytes(length, (long)json.Length);
        if (!BitConverter.IsLittleEndian) length.Reverse();
        stream.Write(length);
        stream.Write(json);
    }

    private static FileStream OpenChecked(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no such file: {path}", path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
    }

    private static CheckpointMetadata ReadMetadata(Stream stream, string path)
    {
        var magic = new byte[Magic.Length];
        if (stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) != magic.Length || !magic.AsSpan().SequenceEqual(Magic))
            throw new ModelFormatException(path, "format", "not a ctseg checkpoint (the file does not start with \"CTSEG-CHECKPOINT 1\")");
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) != 8)
            throw new ModelFormatException(path, "metadata", "file ends inside the header");
        if (!BitConverter.IsLittleEndian) lengthBytes.Reverse();
        long length = BitConverter.ToInt64(lengthBytes);
        if (length <= 0 || length > MaxMetadataBytes || length > stream.Length - stream.Position)
            throw new ModelFormatException(path, "metadata", $"length {length} is impossible for this file");
        var json = new byte[length];
        stream.ReadExactly(json);

        CheckpointMetadata? metadata;
        try { metadata = JsonSerializer.Deserialize<CheckpointMetadata>(json, Json); }
        catch (JsonException e) { throw new ModelFormatException(path, "metadata" + (e.Path is { } p ? " " + p : ""), e.Message); }
        catch (NotSupportedException e) { throw new ModelFormatException(path, "metadata.architecture", e.Message); }
        if (metadata is null) throw new ModelFormatException(path, "metadata", "is empty");
        if (metadata.FormatVersion != CheckpointMetadata.CurrentFormatVersion)
            throw new ModelFormatException(path, "format_version", $"{metadata.FormatVersion} is not supported (this build reads {CheckpointMetadata.CurrentFormatVersion})");
        var problems = metadata.Architecture.Problems();
        if (problems.Count > 0) throw new ModelFormatException(path, "architecture", string.Join("; ", problems));
        var labelsProblem = LabelProblem(metadata.Labels, metadata.Architecture.Classes);
        if (labelsProblem is not null) throw new ModelFormatException(path, "labels", labelsProblem);
        return metadata;
    }

    private static string? LabelProblem(IReadOnlyList<LabelEntry> labels, int classes)
    {
        if (labels.Count != classes) return $"{labels.Count} labels for {classes} output classes";
        for (int i = 0; i < labels.Count; i++)
            if (labels[i].Channel != i) return $"label {i} ('{labels[i].Name}') is for channel {labels[i].Channel}, labels must be listed in channel order";
        var duplicate = labels.GroupBy(l => l.Value).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? null : $"label value {duplicate.Key} is used by more than one channel";
    }

    /// <summary>Names every tensor the file lists that the network lacks, every one it lacks, and every
    /// shape that differs — before any weight is read.</summary>
    private static void CheckTensors(string path, SegmentationNetwork network, IReadOnlyList<TensorEntry> saved)
    {
        var expected = network.state_dict();
        var listed = saved.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, tensor) in expected)
        {
            if (!listed.TryGetValue(name, out var entry)) problems.Add($"{name} missing from the file");
            else if (!entry.Shape.SequenceEqual(tensor.shape))
                problems.Add($"{name} has shape [{string.Join(", ", entry.Shape)}] in the file, [{string.Join(", ", tensor.shape)}] in the network");
        }
        problems.AddRange(listed.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"{k} is not in the network"));
        if (problems.Count > 0)
            throw new ModelFormatException(path, "tensors", string.Join("; ", problems));
    }
}
