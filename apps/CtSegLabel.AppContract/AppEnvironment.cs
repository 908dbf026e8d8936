namespace CtSegLabel.AppContract;

/// <summary>Where an app may keep its files. Handed to the app's constructor by the host.</summary>
/// <param name="StudiesPath">The datastore folder (read through <see cref="IDatastoreView"/>, not directly).</param>
/// <param name="ModelsPath">The folder for model weights, training statistics and checkpoints; created by the host.</param>
public sealed record AppEnvironment(string StudiesPath, string ModelsPath);
