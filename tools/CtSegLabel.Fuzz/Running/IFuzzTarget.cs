using CtSegLabel.Fuzz.Mutation;

namespace CtSegLabel.Fuzz.Running;

/// <summary>One parser under test: its seeds, where its inputs are worth mutating, how one input is run,
/// and which exception is its typed "bad input" answer.</summary>
public interface IFuzzTarget
{
    string Name { get; }

    MutationHints Hints { get; }

    /// <summary>Real, valid inputs (files our writers produce, bodies our encoders produce).</summary>
    IReadOnlyList<Seed> Seeds();

    /// <summary>Parses the input (files go under <paramref name="scratch"/>); returns a short description
    /// of what was accepted. Any exception escapes: the runner classifies it with <see cref="RejectionOf"/>.</summary>
    string Run(byte[] input, string scratch);

    /// <summary>The signature of a typed rejection (field + kind of problem), or null when the exception is
    /// not the parser's typed error, i.e. a crash.</summary>
    string? RejectionOf(Exception e);

    /// <summary>The most bytes one input may allocate before it counts as over-allocation.</summary>
    long AllocationAllowance(byte[] input);
}

/// <summary>A named starting input.</summary>
public sealed record Seed(string Name, byte[] Bytes);
