using System.Diagnostics;
using System.Security.Cryptography;
using CtSegLabel.Fuzz.Mutation;

namespace CtSegLabel.Fuzz.Running;

/// <summary>
/// The fuzz loop for one target. OUTCOME-GUIDED, not coverage-guided: a mutant joins the live corpus
/// when it ends with an outcome signature (accepted shape, or rejected field + problem, or a finding)
/// not seen before, so later mutations start from inputs that got somewhere new in the parser. There is
/// no instrumentation of branches; a new error message is the cheap stand-in for a new path.
/// </summary>
public sealed class FuzzRunner(IFuzzTarget target, FuzzSettings settings)
{
    public FuzzReport Run()
    {
        var report = new FuzzReport(target.Name);
        var clock = Stopwatch.StartNew();
        string scratch = Path.Combine(settings.ScratchRoot, $"ctseg-fuzz-{target.Name}-{Guid.NewGuid():N}");
        var executor = new InputExecutor(target, scratch, settings.Timeout);
        var rng = new Random(settings.Seed);
        var mutator = new Mutator(rng, target.Hints);
        var corpus = new List<byte[]>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? corpusDir = settings.OutputDir is null ? null : Path.Combine(settings.OutputDir, target.Name, "corpus");
        try
        {
            foreach (var seed in target.Seeds())
            {
                corpus.Add(seed.Bytes);
                Record(executor.Execute(seed.Bytes), seed.Bytes);
            }
            report.SeedCount = corpus.Count;
            while (clock.Elapsed < settings.Duration && report.InputsTried < settings.MaxInputs)
            {
                var parent = corpus[rng.Next(corpus.Count)];
                var mutant = mutator.Mutate(parent, corpus);
                var outcome = executor.Execute(mutant);
                if (Record(outcome, mutant)) corpus.Add(mutant);
            }
        }
        finally
        {
            TryDelete(scratch);
        }
        report.CorpusSize = corpus.Count;
        report.Elapsed = clock.Elapsed;
        return report;

        // Counts the outcome; true when its signature is new (the mutant is worth keeping).
        bool Record(Outcome outcome, byte[] input)
        {
            report.InputsTried++;
            report.Histogram[outcome.Key] = report.Histogram.GetValueOrDefault(outcome.Key) + 1;
            if (!seen.Add(outcome.Key)) return false;
            if (outcome.IsFinding)
            {
                var small = outcome.Kind == OutcomeKind.Hang ? input : Minimizer.Shrink(executor, input, outcome);
                // Report what the shrunk input does (its message and figures), not the original's.
                if (!ReferenceEquals(small, input) && executor.Execute(small) is { } again && again.Key == outcome.Key) outcome = again;
                string? saved = settings.OutputDir is null ? null : FindingStore.Save(settings.OutputDir, target.Name, outcome, small);
                report.Findings.Add(new Finding(outcome, small, saved));
                settings.Log?.Invoke($"[{target.Name}] FINDING {outcome.Key}: {FirstLine(outcome.Detail)}");
            }
            else if (corpusDir is not null && input.Length <= settings.MaxSavedCorpusBytes)
            {
                Directory.CreateDirectory(corpusDir);
                File.WriteAllBytes(Path.Combine(corpusDir, $"{FindingStore.FileSafe(outcome.Key)}-{Hash(input)}.bin"), input);
            }
            return true;
        }
    }

    internal static string Hash(byte[] input) => Convert.ToHexStringLower(SHA256.HashData(input))[..10];

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A hung parse may still hold a file open there; it is under the temp folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>How long and how hard to fuzz.</summary>
public sealed record FuzzSettings
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    public long MaxInputs { get; init; } = long.MaxValue;
    public int Seed { get; init; } = 1;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public string? OutputDir { get; init; }
    public string ScratchRoot { get; init; } = Path.GetTempPath();
    /// <summary>New-outcome inputs up to this size are written to OUT/target/corpus (fixture material).</summary>
    public int MaxSavedCorpusBytes { get; init; } = 16 * 1024;
    public Action<string>? Log { get; init; }
}
