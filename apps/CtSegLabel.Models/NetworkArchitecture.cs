using System.Text.Json;
using System.Text.Json.Serialization;

namespace CtSegLabel.Models;

/// <summary>An architecture and every size it was built with: enough to rebuild the network, and what a
/// checkpoint's metadata records. Serialised to JSON with "name" as the discriminator.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "name")]
[JsonDerivedType(typeof(SwinUnetrV2Architecture), SwinUnetrV2Architecture.ArchName)]
[JsonDerivedType(typeof(SliceTransformerArchitecture), SliceTransformerArchitecture.ArchName)]
public abstract record NetworkArchitecture
{
    public static readonly string[] Names = [SwinUnetrV2Architecture.ArchName, SliceTransformerArchitecture.ArchName];
    public static readonly string[] Configs = ["full", "tiny"];

    [JsonIgnore] public abstract string Name { get; }
    public abstract int InChannels { get; init; }
    public abstract int Classes { get; init; }

    /// <summary>Dimension of the instance decoder's voxel embeddings; 0 = no instance decoder.</summary>
    public abstract int EmbeddingDim { get; init; }

    /// <summary>Everything wrong with these sizes; empty when the network can be built.</summary>
    public abstract IReadOnlyList<string> Problems();

    public SegmentationNetwork Build()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new ArgumentException($"{Name}: {string.Join("; ", problems)}");
        return BuildValidated();
    }

    protected abstract SegmentationNetwork BuildValidated();

    /// <summary>A named configuration — "full" (the thesis's sizes), "tiny" (tests and smoke runs) — or
    /// a .json file holding an architecture as checkpoint metadata spells it.</summary>
    public static NetworkArchitecture Create(string name, string config, int? classes = null, int? embeddingDim = null)
    {
        if (config.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return WithOverrides(FromJsonFile(name, config), classes, embeddingDim);
        bool tiny = config switch
        {
            "full" => false,
            "tiny" => true,
            _ => throw new ArgumentException($"config '{config}' is not one of {string.Join(", ", Configs)} or a .json file"),
        };
        NetworkArchitecture arch = name switch
        {
            SwinUnetrV2Architecture.ArchName => tiny ? SwinUnetrV2Architecture.Tiny : SwinUnetrV2Architecture.Full,
            SliceTransformerArchitecture.ArchName => tiny ? SliceTransformerArchitecture.Tiny : SliceTransformerArchitecture.Full,
            _ => throw new ArgumentException($"architecture '{name}' is not one of {string.Join(", ", Names)}"),
        };
        return WithOverrides(arch, classes, embeddingDim);
    }

    private static NetworkArchitecture WithOverrides(NetworkArchitecture arch, int? classes, int? embeddingDim)
    {
        if (classes is int c) arch = arch with { Classes = c };
        if (embeddingDim is int e) arch = arch with { EmbeddingDim = e };
        return arch;
    }

    private static NetworkArchitecture FromJsonFile(string name, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no such file: {path}", path);
        NetworkArchitecture? arch;
        try { arch = JsonSerializer.Deserialize<NetworkArchitecture>(File.ReadAllText(path), Json); }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new ModelFormatException(path, "architecture", e.Message);
        }
        if (arch is null) throw new ModelFormatException(path, "architecture", "is empty");
        if (arch.Name != name) throw new ModelFormatException(path, "name", $"is {arch.Name}, not {name}");
        return arch;
    }

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>"field: this vs other" for every size that differs (both serialised the same way, so
    /// lists compare by value).</summary>
    public IReadOnlyList<string> Differences(NetworkArchitecture other)
    {
        if (other.Name != Name) return [$"architecture: {Name} vs {other.Name}"];
        var a = JsonSerializer.SerializeToElement(this, Json);
        var b = JsonSerializer.SerializeToElement(other, Json);
        var diffs = new List<string>();
        foreach (var p in a.EnumerateObject())
        {
            string theirs = b.TryGetProperty(p.Name, out var v) ? v.GetRawText() : "(absent)";
            if (Compact(p.Value.GetRawText()) != Compact(theirs)) diffs.Add($"{p.Name}: {Compact(p.Value.GetRawText())} vs {Compact(theirs)}");
        }
        return diffs;
    }

    private static string Compact(string json) => string.Concat(json.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>The problems of the sizes every architecture has (inputs, classes, embeddings); each architecture
    /// adds its own to this list.</summary>
    protected List<string> CommonProblems()
    {
        var p = new List<string>();
        Positive(p, "in_channels", InChannels);
        Positive(p, "classes", Classes);
        if (EmbeddingDim < 0) p.Add($"embedding_dim must be 0 (no instance decoder) or positive, got {EmbeddingDim}");
        return p;
    }

    protected static void Positive(List<string> problems, string name, double value)
    {
        if (!(value > 0)) problems.Add($"{name} must be positive, got {value}");
    }

    protected static void Rate(List<string> problems, string name, double value)
    {
        if (!(value >= 0 && value < 1)) problems.Add($"{name} must be in [0, 1), got {value}");
    }
}
