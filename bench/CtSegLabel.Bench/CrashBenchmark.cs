using System.Globalization;
using CtSegLabel.Server.Tests.Crash;

namespace CtSegLabel.Bench;

/// <summary>
/// The crash harness of the server tests run long: <c>crash --rounds N [--training true|false] [--seed S]
/// [--targeted 0.5] [--targets "checkpoint temporary,random moment"] [--phase-delay-ms 20] [--clients 4]</c>. Each round starts the built server process, loads it,
/// kills it with SIGKILL (at a seeded random moment, or — for the targeted share of rounds — the moment a chosen write
/// is seen in flight), restarts and verifies everything acknowledged. Prints one line per round and a summary table of
/// where the kills landed (read from the files each kill left). Needs the server, CLI and test app built
/// (<c>dotnet build tests/CtSegLabel.Server.Tests</c>).
/// </summary>
public static class CrashBenchmark
{
    public static int Run(string[] args)
    {
        var options = new CrashOptions { Rounds = 50, Log = Console.Out };
        for (int n = 0; n + 1 < args.Length; n += 2)
        {
            string value = args[n + 1];
            switch (args[n])
            {
                case "--rounds": options = options with { Rounds = Int(value) }; break;
                case "--seed": options = options with { Seed = Int(value) }; break;
                case "--training": options = options with { Training = bool.Parse(value) }; break;
                case "--targeted": options = options with { TargetedShare = double.Parse(value, CultureInfo.InvariantCulture) }; break;
                case "--phase-delay-ms": options = options with { PhaseDelayMs = Int(value) }; break;
                case "--clients": options = options with { Clients = Int(value) }; break;
                case "--max-kill-ms": options = options with { MaxKillMs = Int(value) }; break;
                case "--folder": options = options with { Folder = value }; break;
                case "--targets": options = options with { Targets = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) }; break;
                default: Console.Error.WriteLine($"unknown option {args[n]}"); return 2;
            }
        }
        var report = new CrashHarness(options).RunAsync().GetAwaiter().GetResult();
        Console.WriteLine();
        Console.WriteLine($"| rounds (kills) | seed | training | acknowledged labels | acknowledged info updates | training resumes checked | time |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {report.Rounds} | {report.Seed} | {options.Training} | {report.AcknowledgedLabels} | {report.AcknowledgedInfos} | {report.Resumes} (skipped {report.ResumeChecksSkipped}) | {report.Elapsed.TotalMinutes:F1} min |"));
        Console.WriteLine();
        Console.WriteLine("| kill target | rounds |");
        Console.WriteLine("|---|---|");
        foreach (var (target, count) in report.Targets.OrderBy(p => p.Key, StringComparer.Ordinal)) Console.WriteLine($"| {target} | {count} |");
        Console.WriteLine();
        Console.WriteLine("| where the kill landed (files it left) | kills |");
        Console.WriteLine("|---|---|");
        foreach (var (phase, count) in report.Phases.OrderByDescending(p => p.Value)) Console.WriteLine($"| {phase} | {count} |");
        Console.WriteLine();
        if (report.Problems.Count == 0)
        {
            Console.WriteLine("no problem: every acknowledged label and info survived every kill");
            try { Directory.Delete(options.Folder, recursive: true); }
            catch (IOException) { }
            return 0;
        }
        Console.WriteLine($"PROBLEMS (seed {report.Seed}; folder kept: {options.Folder}):");
        foreach (string problem in report.Problems) Console.WriteLine(problem);
        return 1;
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
