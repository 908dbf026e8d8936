namespace CtSegLabel.Fuzz.Running;

/// <summary>How one input ended. Accepted and Rejected (the parser's typed error) are the only good
/// endings; the rest are findings.</summary>
public enum OutcomeKind
{
    Accepted,
    Rejected,
    Crash,
    Hang,
    OverAllocation,
}

/// <summary>The ending of one input: its kind, a short signature that groups inputs ending the same way
/// (the fuzzer's feedback), and the full detail (message, stack) for a report.</summary>
public sealed record Outcome(OutcomeKind Kind, string Signature, string Detail, long AllocatedBytes)
{
    public bool IsFinding => Kind is OutcomeKind.Crash or OutcomeKind.Hang or OutcomeKind.OverAllocation;

    /// <summary>"kind:signature", the key of the outcome histogram and of the live corpus.</summary>
    public string Key => $"{Kind.ToString().ToLowerInvariant()}:{Signature}";
}
