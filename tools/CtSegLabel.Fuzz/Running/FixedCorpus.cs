using CtSegLabel.Fuzz.Seeds;
using CtSegLabel.Fuzz.Targets;

namespace CtSegLabel.Fuzz.Running;

/// <summary>The committed corpus tests/fixtures/fuzz/TARGET/*.bin (past findings and interesting
/// mutants), replayed by the test projects that own each parser.</summary>
public static class FixedCorpus
{
    /// <summary>Generous: a corpus input parses in milliseconds; only a hang comes near it.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    public static string Folder(string target) =>
        Path.Combine(SeedVolumes.FixturesFolder("fuzz") ?? throw new DirectoryNotFoundException("tests/fixtures/fuzz not found above " + AppContext.BaseDirectory), target);

    /// <summary>File names (not paths: they name xunit theory cases) of the target's corpus.</summary>
    public static IEnumerable<string> Names(string target) =>
        Directory.EnumerateFiles(Folder(target), "*.bin").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal);

    public static Outcome Replay(string target, string name) =>
        FuzzTargets.Replay(FuzzTargets.Create(target), File.ReadAllBytes(Path.Combine(Folder(target), name)), HangGuard);

    /// <summary>Inputs in the test suites' short fuzz run.</summary>
    public const int ShortRunInputs = 300;

    /// <summary>The short, seeded fuzz run each test project makes of the targets it owns.</summary>
    public static FuzzReport ShortRun(string target) => new FuzzRunner(FuzzTargets.Create(target), new FuzzSettings
    {
        MaxInputs = ShortRunInputs,
        Duration = TimeSpan.FromMinutes(5),
        Seed = 8,
        Timeout = HangGuard,
    }).Run();
}
