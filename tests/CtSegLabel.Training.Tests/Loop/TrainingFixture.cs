using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Tests.Loop;

/// <summary>Three small phantoms as a studies folder and a tiny untrained SwinUNETR-V2 checkpoint with the thesis's
/// channels on 32-slice, 64×64 blocks — written once for every test of a class.</summary>
public sealed class TrainingFixture : IDisposable
{
    private readonly TestDir _dir = new();

    public TrainingFixture()
    {
        Studies = _dir.Sub("studies");
        // 20 slices of 4 mm = 80 mm: about 27 model slices, so every block is padded and starts at slice 0.
        PhantomStudies.Write(Studies, 11, 3, new PhantomOptions { Size = 48, Slices = 20, Spacing = new Vec3(8, 8, 4) }).ToList();
        Cases = Directory.GetFiles(Path.Combine(Studies, "labels", "final")).Order(StringComparer.Ordinal)
            .Select(label => new TrainingCase(Path.GetFileName(label).Replace(".nii.gz", ""), Path.Combine(Studies, Path.GetFileName(label)), label))
            .ToList();
        InitialCheckpoint = _dir.File("init.ctseg");
        manual_seed(0);
        var arch = NetworkArchitecture.Create(SwinUnetrV2Architecture.ArchName, "tiny", ChannelMap.ThesisNames.Count);
        using var network = arch.Build();
        ModelCheckpoint.Save(InitialCheckpoint, network, new CheckpointMetadata
        {
            ModelVersion = "0.0.0-untrained",
            Architecture = arch,
            Preprocessing = new PreprocessingParameters { InPlaneSize = 64, BlockSlices = 32 },
            Labels = ChannelMap.ThesisNames.Select((n, i) => new LabelEntry(i, i, n)).ToList(),
            Provenance = new TrainingProvenance { Trained = false, Source = "init" },
        });
    }

    public string Studies { get; }
    public IReadOnlyList<TrainingCase> Cases { get; }
    public string InitialCheckpoint { get; }

    /// <summary>A fresh run directory under the fixture's folder.</summary>
    public string RunDirectory() => _dir.Sub("run-" + Guid.NewGuid().ToString("N")[..8]);

    public TrainingPlan Plan(string runDirectory, TrainingOptions options, IReadOnlyList<TrainingCase>? cases = null) =>
        new(cases ?? Cases, InitialCheckpoint, runDirectory, options, new ComputeDevice(CPU, Precision.Float32));

    public void Dispose() => _dir.Dispose();
}

/// <summary>Reports synchronously on the training thread, so a test can react to a report before the next block.</summary>
internal sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public List<TrainingProgress> Seen { get; } = [];

    public void Report(TrainingProgress value)
    {
        lock (Seen) Seen.Add(value);
        report(value);
    }
}
