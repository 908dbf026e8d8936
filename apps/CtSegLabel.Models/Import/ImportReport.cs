namespace CtSegLabel.Models.Import;

/// <summary>What a weight import did: keys loaded, the network's keys the file lacked (left as
/// initialised), the file's keys the network has no place for, and a prefix stripped from every key.</summary>
public sealed record ImportReport(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    string? StrippedPrefix);
