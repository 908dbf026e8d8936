namespace CtSegLabel.LoadTesting;

/// <summary>One load run: what server to start, how many simulated users of each kind, for how long.</summary>
public sealed record LoadOptions
{
    /// <summary>The server's built assembly (<c>CtSegLabel.Server.dll</c>), started with <c>dotnet</c>.</summary>
    public required string ServerDll { get; init; }

    /// <summary>An app assembly for <c>--app</c>; null runs the CT app on <see cref="ModelsFolder"/>.</summary>
    public string? AppDll { get; init; }

    /// <summary>The server's models folder (for the CT app: a tiny checkpoint prepared by the caller).</summary>
    public required string ModelsFolder { get; init; }

    /// <summary>The infer model the infer clients post to.</summary>
    public required string InferModel { get; init; }

    /// <summary>Where studies, logs and label files go; the run leaves it for the caller to delete.</summary>
    public required string WorkFolder { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    public int InfoClients { get; init; } = 100;
    public int InferClients { get; init; } = 8;
    public int LabelClients { get; init; } = 8;
    public int MaxConcurrentInfers { get; init; } = 1;
    public int WorkerQueue { get; init; } = 4;

    /// <summary>Images seeded into the studies folder; each label client owns a disjoint share of them (see
    /// <see cref="LabelLedger"/>), so at least one per label client.</summary>
    public int Images { get; init; } = 16;

    /// <summary>Phantom size (in-plane voxels) and slices of the seeded images.</summary>
    public int ImageSize { get; init; } = 64;
    public int ImageSlices { get; init; } = 30;

    /// <summary>The run fails when the server's peak resident memory (VmHWM, or a larger sample) exceeds this; null: no budget.</summary>
    public long? MemoryBudgetBytes { get; init; }
}
