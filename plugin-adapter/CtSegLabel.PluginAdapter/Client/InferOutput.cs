using System.Text.Json.Nodes;

namespace CtSegLabel.PluginAdapter.Client;

/// <summary>What the Slicer client keeps of an infer answer: the params form field and the first file part.</summary>
public sealed record InferOutput(JsonObject Params, string FileName, byte[] File);

/// <summary>A downloaded file with the name the client derived from Content-Disposition.</summary>
public sealed record DownloadedFile(string FileName, byte[] Content);
