using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.CtApp;

/// <summary>The CT app's versions, as the server's admin routes and uploads reach them: the model store's
/// versions of each model's subfolder.</summary>
public sealed partial class CtSegmentationApp : IModelVersions
{
    public IReadOnlyList<ModelVersionInfo> ListVersions(string model)
    {
        ArchitectureOf(model);
        return Readable(model, () =>
        {
            string? current = CurrentOrNull(model);
            return Store.Versions(model).Select(v => Describe(v, v.Path == current)).ToList();
        });
    }

    public ModelVersionInfo SetCurrent(string model, string version)
    {
        ArchitectureOf(model);
        return Readable(model, () => Describe(Store.Rollback(model, version), current: true));
    }

    /// <summary>Publishes <paramref name="file"/> as the next version. It must be a checkpoint of the model's
    /// architecture; what only inference can tell (CT channel names, window sizes) is checked when it runs, as for
    /// any version.</summary>
    public ModelVersionInfo AddVersion(string model, string file, string source)
    {
        string architecture = ArchitectureOf(model);
        try
        {
            var metadata = ModelCheckpoint.ReadMetadata(file);
            if (metadata.Architecture.Name != architecture)
                throw new VolumeFormatException(file, "architecture",
                    $"is {metadata.Architecture.Name}, but the model '{model}' runs {architecture} checkpoints");
            var published = Store.Publish(model, file, new VersionRecord { Source = source });
            return Describe(published, current: true);
        }
        catch (ModelFormatException e)
        {
            throw new VolumeFormatException(e.Path, e.Field, e.Problem, e);
        }
    }

    private static string ArchitectureOf(string model) =>
        Models.FirstOrDefault(m => m.Name == model).Architecture
        ?? throw new ModelVersionNotFoundException(model,
            $"Model '{model}' not found; the CT app has {string.Join(", ", Models.Select(m => m.Name))}");

    /// <summary>The current version's path, or null when there is none or the <c>current</c> file is broken — the
    /// listing is how an administrator finds a version to repair it with.</summary>
    private string? CurrentOrNull(string model)
    {
        try { return Store.Current(model)?.Path; }
        catch (ModelFormatException) { return null; }
    }

    /// <summary>A checkpoint or sidecar in the folder that cannot be read is the store's state, not the request's
    /// fault: 409 with the file named, as <c>/infer</c> answers.</summary>
    private T Readable<T>(string model, Func<T> read)
    {
        try { return read(); }
        catch (ModelFormatException e) { throw new ModelUnavailableException(model, ModelInstructions.Unusable(model, Store.FolderOf(model), e.Message), e); }
    }

    private static ModelVersionInfo Describe(ModelVersion version, bool current) =>
        new(version.FileName, version.CreatedUtc, version.Source, version.Metadata.ModelVersion, version.Record?.Parent,
            version.Record?.Metrics.DeepClone().AsObject() ?? [], current);
}
