namespace CtSegLabel.Compute.Apps;

/// <summary>The configured app cannot be loaded; the message names the option and the file, and says why.</summary>
public sealed class AppLoadException(string message) : Exception(message);
