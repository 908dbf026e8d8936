namespace CtSegLabel.Imaging.Formats;

/// <summary>
/// The one exception every reader and writer raises for bad input: a truncated file, a wrong magic,
/// an unknown datatype, an impossible geometry, a size past a limit. The message always names the
/// file and the offending header field, so a user (or the CLI's exit code 2) can act on it.
/// </summary>
public sealed class VolumeFormatException : Exception
{
    public VolumeFormatException(string path, string field, string problem, Exception? inner = null)
        : base($"{Path.GetFileName(path)}: {field}: {problem}", inner)
    {
        FilePath = path;
        Field = field;
        Problem = problem;
    }

    public string FilePath { get; }
    public string Field { get; }
    public string Problem { get; }
}
