using System.Globalization;
using CtSegLabel.Fuzz.Running;
using CtSegLabel.Fuzz.Targets;

namespace CtSegLabel.Fuzz;

/// <summary>The command line (an explicit class: a top-level Program would clash with the server's
/// public Program in test projects that reference both).</summary>
/// <remarks>
/// Usage: --target nifti|nrrd|seg|multipart-infer|multipart-form|all [--seconds N] [--inputs N] [--seed S]
///        [--out DIR] [--timeout-ms N] [--ct PATH] [--replay FILE|DIR]
/// Exit code: 0 no findings, 1 findings, 2 usage error.
/// </remarks>
internal static class FuzzCommand
{
    private static int Main(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int n = 0; n < args.Length; n++)
        {
            if (!args[n].StartsWith("--", StringComparison.Ordinal) || n + 1 >= args.Length)
            {
                Console.Error.WriteLine($"expected '--name value', got '{args[n]}'");
                return 2;
            }
            options[args[n][2..]] = args[++n];
        }
        string targetArg = options.GetValueOrDefault("target", "all");
        string[] names = targetArg == "all" ? FuzzTargets.Names : [targetArg];
        if (names.Any(n => !FuzzTargets.Names.Contains(n)))
        {
            Console.Error.WriteLine($"unknown target '{targetArg}'; targets: {string.Join(", ", FuzzTargets.Names)}, all");
            return 2;
        }
        var timeout = TimeSpan.FromMilliseconds(double.Parse(options.GetValueOrDefault("timeout-ms", "5000"), CultureInfo.InvariantCulture));
        string defaultCt = Path.Combine(Path.DirectorySeparatorChar + "work", "shared", "data", "example_ct_sm.nii.gz");
        string? ct = options.GetValueOrDefault("ct", defaultCt);

        if (options.TryGetValue("replay", out string? replay))
        {
            if (names.Length != 1)
            {
                Console.Error.WriteLine("--replay needs one --target");
                return 2;
            }
            var target = FuzzTargets.Create(names[0], ct);
            var files = Directory.Exists(replay) ? Directory.EnumerateFiles(replay, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".txt", StringComparison.Ordinal)).Order().ToList() : [replay];
            int findings = 0;
            foreach (string file in files)
            {
                var outcome = FuzzTargets.Replay(target, File.ReadAllBytes(file), timeout);
                if (outcome.IsFinding) findings++;
                Console.WriteLine($"{(outcome.IsFinding ? "FINDING" : "ok     ")} {outcome.Key}  {file}");
                if (outcome.IsFinding) Console.WriteLine(outcome.Detail);
            }
            Console.WriteLine($"{files.Count} inputs replayed, {findings} findings");
            return findings == 0 ? 0 : 1;
        }

        double seconds = double.Parse(options.GetValueOrDefault("seconds", "60"), CultureInfo.InvariantCulture);
        var settings = new FuzzSettings
        {
            // "all" shares the time between the targets.
            Duration = TimeSpan.FromSeconds(seconds / names.Length),
            MaxInputs = long.Parse(options.GetValueOrDefault("inputs", long.MaxValue.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
            Seed = int.Parse(options.GetValueOrDefault("seed", "1"), CultureInfo.InvariantCulture),
            Timeout = timeout,
            OutputDir = options.GetValueOrDefault("out"),
            Log = Console.WriteLine,
        };
        long total = 0, totalFindings = 0;
        foreach (string name in names)
        {
            var report = new FuzzRunner(FuzzTargets.Create(name, ct), settings).Run();
            report.Print(Console.Out);
            total += report.InputsTried;
            totalFindings += report.Findings.Count;
        }
        if (names.Length > 1) Console.WriteLine($"all targets: {total} inputs, {totalFindings} findings");
        return totalFindings == 0 ? 0 : 1;
    }
}
