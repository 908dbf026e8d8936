using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Models.Checkpoints;

/// <summary>Everything a checkpoint carries besides the weights: what network, what its outputs mean,
/// how inputs must be prepared, what post-processing needs, and where the weights came from.</summary>
public sealed record CheckpointMetadata
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Version of these weights, e.g. "0.3.0" or "0.0.0-untrained".</summary>
    public required string ModelVersion { get; init; }

    public required NetworkArchitecture Architecture { get; init; }

    /// <summary>One entry per semantic output channel, in channel order (channel 0 = background).</summary>
    public required IReadOnlyList<LabelEntry> Labels { get; init; }

    public PreprocessingParameters Preprocessing { get; init; } = new();

    /// <summary>Per-class volume statistics for small-object removal (thesis §3.7).</summary>
    public IReadOnlyList<ClassVolumeStatistics> ClassVolumes { get; init; } = [];

    public required TrainingProvenance Provenance { get; init; }

    /// <summary>Name, dtype and shape of every saved tensor, checked against the network before loading.</summary>
    public IReadOnlyList<TensorEntry> Tensors { get; init; } = [];

    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Version of the ctseg build that wrote the file.</summary>
    public string Writer { get; init; } = typeof(CheckpointMetadata).Assembly.GetName().Version?.ToString() ?? "unknown";
}

/// <summary>A semantic output channel: its index, the label value written to segmentations, the class name.</summary>
public sealed record LabelEntry(int Channel, int Value, string Name);

/// <summary>Where the weights came from.</summary>
public sealed record TrainingProvenance
{
    /// <summary>False for randomly initialised weights (timing and tests only).</summary>
    public required bool Trained { get; init; }

    /// <summary>"init", "import" or "training".</summary>
    public required string Source { get; init; }

    public int? Seed { get; init; }
    public string? ImportedFrom { get; init; }
    public IReadOnlyList<string> ImportMissingKeys { get; init; } = [];
    public IReadOnlyList<string> ImportUnexpectedKeys { get; init; } = [];
    public string? Dataset { get; init; }
    public int? Epochs { get; init; }
    public string? Notes { get; init; }
}

/// <summary>One saved tensor.</summary>
public sealed record TensorEntry(string Name, string DType, long[] Shape);
