using CtSegLabel.Fuzz.Running;

namespace CtSegLabel.Fuzz.Targets;

/// <summary>The targets by their command-line names.</summary>
public static class FuzzTargets
{
    public static readonly string[] Names = ["nifti", "nrrd", "seg", "multipart-infer", "multipart-form"];

    public static IFuzzTarget Create(string name, string? realCt = null) => name switch
    {
        "nifti" => new NiftiTarget(realCt),
        "nrrd" => new NrrdTarget(realCt),
        "seg" => new SegNrrdTarget(),
        "multipart-infer" => new MultipartInferTarget(),
        "multipart-form" => new MultipartFormTarget(),
        _ => throw new ArgumentException($"unknown target '{name}'; targets: {string.Join(", ", Names)}, all", nameof(name)),
    };

    /// <summary>Replays one saved input: its outcome (a finding or not).</summary>
    public static Outcome Replay(IFuzzTarget target, byte[] input, TimeSpan timeout)
    {
        string scratch = Path.Combine(Path.GetTempPath(), $"ctseg-fuzz-replay-{Guid.NewGuid():N}");
        try
        {
            return new InputExecutor(target, scratch, timeout).Execute(input);
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); }
            catch (IOException) { /* a hung replay may hold it */ }
        }
    }
}
