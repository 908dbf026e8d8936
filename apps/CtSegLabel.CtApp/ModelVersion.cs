using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.CtApp;

/// <summary>One checkpoint file of a model: where it is, what its metadata says, and the file's stamp
/// (write time and length), which tells a replaced file from the one loaded before.</summary>
public sealed record ModelVersion(string Path, CheckpointMetadata Metadata, DateTime WriteTimeUtc, long Length)
{
    /// <summary>The file name, which names the version in a model folder's <c>current</c> file.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>Reads a checkpoint's metadata (not its weights) and stamps it.</summary>
    public static ModelVersion Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"no such checkpoint: {path}", path);
        return new ModelVersion(info.FullName, ModelCheckpoint.ReadMetadata(info.FullName), info.LastWriteTimeUtc, info.Length);
    }

    public bool SameFileAs(FileInfo file) => file.FullName == Path && file.LastWriteTimeUtc == WriteTimeUtc && file.Length == Length;
}
