using CtSegLabel.Models.Checkpoints;
using TorchSharp;

namespace CtSegLabel.CtApp;

/// <summary>Fresh weights for a training that must not start from the current version (<c>pretrained: false</c>): the
/// same network and channel meanings, randomly initialised, so the result still fits the model's folder.</summary>
public static class InitialWeights
{
    public static string Fresh(string like, string path, int seed)
    {
        var metadata = ModelCheckpoint.ReadMetadata(like);
        torch.manual_seed(seed);
        using var network = metadata.Architecture.Build();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        ModelCheckpoint.Save(path, network, metadata with
        {
            ModelVersion = "0.0.0-untrained",
            Provenance = new TrainingProvenance { Trained = false, Source = "init", Seed = seed, Notes = $"fresh weights shaped like {Path.GetFileName(like)}" },
            CreatedUtc = DateTimeOffset.UtcNow,
        });
        return path;
    }
}
