namespace CtSegLabel.AppContract;

/// <summary>A model that cannot run in the server's present state — no checkpoint yet, or one that cannot be
/// used — with a message that says how to fix it. The server answers 409 with that message: the request was
/// fine, the model store is not (yet).</summary>
public sealed class ModelUnavailableException(string model, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The infer task's name.</summary>
    public string Model { get; } = model;
}
