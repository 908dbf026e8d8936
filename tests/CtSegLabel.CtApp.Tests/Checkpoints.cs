using CtSegLabel.Cli;

namespace CtSegLabel.CtApp.Tests;

/// <summary>Tiny checkpoints written exactly as a user writes them: through <c>ctseg model init</c>.</summary>
internal static class Checkpoints
{
    /// <summary>A tiny SwinUNETR-V2 with the thesis's 37 CT channels and 32-slice windows of 32×32 (the smallest it takes).</summary>
    public static string InitTiny(string path, int seed = 1, string arch = "swinunetr-v2", int classes = 37)
    {
        string[] sizes = arch == "swinunetr-v2" ? ["--in-plane", "32", "--block-slices", "32"] : [];
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandRunner.Run(CtsegCommands.All,
            ["model", "init", "--arch", arch, "--config", "tiny", "--classes", classes.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), .. sizes, "--out", path], output, error);
        Assert.True(code == 0, $"ctseg model init failed ({code}): {error}");
        return path;
    }
}
