namespace CtSegLabel.AppContract;

/// <summary>A model or version name the app does not know. The server answers 404 with the message, which lists
/// what exists.</summary>
public sealed class ModelVersionNotFoundException(string model, string message) : Exception(message)
{
    public string Model { get; } = model;
}
