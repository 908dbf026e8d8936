namespace CtSegLabel.AppContract;

/// <summary>
/// Optional for an app: its models keep every trained or uploaded set of weights as a version, one of which is
/// current (the one <c>/infer</c> runs and <c>GET /model/{name}</c> downloads). The server offers listing and
/// rollback (<c>/model/{name}/versions</c>) only for apps that implement this, and stores an upload
/// (<c>PUT /model/{name}</c>) as a new version instead of overwriting the current file.
/// </summary>
public interface IModelVersions
{
    /// <summary>Every version of <paramref name="model"/>, newest first; empty when it has none.</summary>
    /// <exception cref="ModelVersionNotFoundException">The app has no such model.</exception>
    IReadOnlyList<ModelVersionInfo> ListVersions(string model);

    /// <summary>Makes <paramref name="version"/> (a name <see cref="ListVersions"/> gave) the current one, from the
    /// next request on; requests already running finish on the version they started with.</summary>
    /// <exception cref="ModelVersionNotFoundException">No such model or version; the message lists the versions.</exception>
    ModelVersionInfo SetCurrent(string model, string version);

    /// <summary>Copies <paramref name="file"/> in as a new version of <paramref name="model"/> and makes it current.</summary>
    /// <param name="source">Where the weights came from, recorded with the version (the server says <c>upload</c>).</param>
    /// <exception cref="ModelVersionNotFoundException">The app has no such model.</exception>
    /// <exception cref="Imaging.Formats.VolumeFormatException">The file is not weights this model can serve (names the file and the field).</exception>
    ModelVersionInfo AddVersion(string model, string file, string source);
}
