namespace CtSegLabel.CtApp;

/// <summary>What a user is told when a model cannot run: the exact commands that put a checkpoint where the
/// server looks for it.</summary>
public static class ModelInstructions
{
    public static string NoCheckpoint(string model, string architecture, string folder) =>
        $"Model '{model}' has no checkpoint yet (no *.ctseg in {folder}). Import trained weights with " +
        $"`ctseg model import weights.pt --arch {architecture} --out {Path.Combine(folder, "<version>.ctseg")}`, " +
        "or submit labels and train it. To try the server without weights, " +
        $"`ctseg model init --arch {architecture} --out {Path.Combine(folder, "untrained.ctseg")}` writes random weights; " +
        "their results are meaningless and say \"untrained\".";

    public static string Unusable(string model, string folder, string problem) =>
        $"Model '{model}' cannot run its checkpoint: {problem}. Replace or remove that file in {folder} " +
        $"(or name another version in {Path.Combine(folder, ModelStore.CurrentFileName)}).";
}
