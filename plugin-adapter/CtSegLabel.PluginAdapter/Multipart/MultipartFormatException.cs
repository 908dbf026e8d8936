namespace CtSegLabel.PluginAdapter.Multipart;

/// <summary>
/// A multipart body the parser cannot split: no boundary, a missing delimiter or blank line. Derives
/// from <see cref="FormatException"/> so existing callers keep working, but is its own type so a caller
/// (and the fuzzer) can tell "malformed body" from a FormatException thrown by a bug elsewhere.
/// </summary>
public sealed class MultipartFormatException(string problem) : FormatException(problem);
