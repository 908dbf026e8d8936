using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.CtApp;

/// <summary>One checkpoint file of a model: where it is, what its metadata says, the file's stamp (write time and
/// length), which tells a replaced file from the one loaded before, and the version's record when a sidecar
/// (<see cref="VersionRecord.SidecarOf"/>) has one — a checkpoint copied in by hand has none.</summary>
public sealed record ModelVersion(string Path, CheckpointMetadata Metadata, DateTime WriteTimeUtc, long Length, VersionRecord? Record = null)
{
    /// <summary>The file name, which names the version in a model folder's <c>current</c> file.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>When the version appeared: its publication, else the creation of its weights.</summary>
    public DateTimeOffset CreatedUtc => Record?.CreatedUtc ?? Metadata.CreatedUtc;

    /// <summary>Where the weights came from: the record's source, else the checkpoint's provenance (<c>init</c>, <c>import</c>, <c>training</c>).</summary>
    public string Source => Record?.Source ?? Metadata.Provenance.Source;

    /// <summary>Reads a checkpoint's metadata (not its weights) and its sidecar, if any, and stamps it.</summary>
    public static ModelVersion Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"no such checkpoint: {path}", path);
        string sidecar = VersionRecord.SidecarOf(info.FullName);
        var record = File.Exists(sidecar) ? VersionRecord.Read(sidecar) : null;
        return new ModelVersion(info.FullName, ModelCheckpoint.ReadMetadata(info.FullName), info.LastWriteTimeUtc, info.Length, record);
    }

    public bool SameFileAs(FileInfo file) => file.FullName == Path && file.LastWriteTimeUtc == WriteTimeUtc && file.Length == Length;
}
