using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Inference;

/// <summary>A finished inference: result params and the label file in a private temporary folder,
/// removed when the outcome is disposed (after the answer was sent).</summary>
public sealed class InferOutcome(JsonObject resultParams, string filePath, string folder) : IDisposable
{
    public JsonObject Params { get; } = resultParams;

    public string FilePath { get; } = filePath;

    public string FileName => Path.GetFileName(FilePath);

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; the OS temp cleaner takes it.
        }
    }
}
