using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Training.Data;

/// <summary>A case as the trainer uses it: its sample file in the cache and that file's header.</summary>
internal sealed record CachedCase(TrainingCase Case, string Path, SampleHeader Header);

/// <summary>
/// The run directory's disk cache of preprocessed samples (cache/&lt;id&gt;.sample): each CT is read, cropped and
/// resampled once, and later epochs — and resumed runs — read only the blocks they need. A sample is rebuilt when
/// what it was made from changes: the image or label file (path, size, modification time), the preprocessing, the
/// channels or the annotation's names. Nothing of the dataset stays in memory.
/// </summary>
internal sealed class SampleCache(string directory, PreprocessingParameters preprocessing, ChannelMap channels)
{
    public string Directory { get; } = directory;

    /// <summary>The cached sample of <paramref name="trainingCase"/>, built first when missing or stale; null when the
    /// image holds no body (nothing above the body threshold).</summary>
    public CachedCase? Get(TrainingCase trainingCase)
    {
        string fingerprint = Fingerprint(trainingCase);
        string path = Path.Combine(Directory, FileName(trainingCase.Id));
        if (SampleFile.TryReadHeader(path) is { } cached && cached.Fingerprint == fingerprint)
            return new CachedCase(trainingCase, path, cached);

        var image = VolumeFile.Read(trainingCase.ImagePath);
        var labels = VolumeFile.Read(trainingCase.LabelPath);
        if (labels.Shape != image.Shape)
            throw new VolumeFormatException(trainingCase.LabelPath, "shape", $"{labels.Shape} differs from the image's {image.Shape}");
        var annotated = TrainingTargets.AnnotatedClasses(labels, trainingCase.LabelNames);
        var sample = TrainingTargets.Build(image, labels, preprocessing, channels, annotated);
        if (sample is null) return null;
        System.IO.Directory.CreateDirectory(Directory);
        SampleFile.Write(path, sample, fingerprint);
        return new CachedCase(trainingCase, path, SampleFile.TryReadHeader(path)
            ?? throw new IOException($"the sample just written to {path} cannot be read back"));
    }

    private string Fingerprint(TrainingCase c)
    {
        var parts = new List<string> { Describe(c.ImagePath), Describe(c.LabelPath), JsonSerializer.Serialize(preprocessing),
            string.Join(",", channels.Channels.Select(ch => ch.Name)), c.LabelNames is null ? "-" : string.Join(",", c.LabelNames) };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", parts))));
    }

    private static string Describe(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"no such file: {path}", path);
        return $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
    }

    /// <summary>The id itself when it is a safe file name, else a hash of it (ids come from users' file names).</summary>
    private static string FileName(string id) =>
        (id.Length is > 0 and <= 100 && id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.') && id[0] != '.'
            ? id
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32]) + ".sample";
}
