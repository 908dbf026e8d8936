namespace CtSegLabel.Server.Errors;

/// <summary>
/// The imaging library names its own limits (<c>ReadOptions.MaxVoxels</c>); a client of the server can only change
/// the server's settings, so every error text leaving the server names those instead.
/// </summary>
public static class LimitNames
{
    private static readonly (string Library, string Setting)[] Names =
    [
        ("ReadOptions.MaxDecompressedBytes", "Server:MaxVolumeBytes"),
        ("ReadOptions.MaxVoxels", "Server:MaxVolumeVoxels"),
    ];

    public static string ForServer(string text)
    {
        foreach (var (library, setting) in Names)
            text = text.Replace(library, setting, StringComparison.Ordinal);
        return text;
    }
}
