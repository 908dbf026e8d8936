namespace CtSegLabel.Server.Hosting;

/// <summary>A setting the server cannot start with. The message names the option and what is wrong with it;
/// <c>Program</c> prints it and exits with status 2 instead of a stack trace.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
