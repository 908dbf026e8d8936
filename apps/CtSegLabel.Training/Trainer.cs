using CtSegLabel.Training.Loop;

namespace CtSegLabel.Training;

/// <summary>
/// Trains a network of the method on annotated cases (thesis §3.6): one random block per training case per epoch
/// through a bounded prefetch queue, soft Dice + discriminative loss, AdamW with gradient accumulation, validation by
/// sliding windows, best/last checkpoints, resumable after a stop or a crash (docs/training.md, "The training loop").
/// </summary>
public static class Trainer
{
    /// <summary>Runs the plan on a thread of its own. Cancellation is not an error: the current block is abandoned,
    /// last.ctseg and state.json are written and the outcome says <see cref="TrainingOutcome.Stopped"/>.</summary>
    /// <exception cref="ArgumentException">The plan cannot run (no cases, bad options, no case with a body).</exception>
    /// <exception cref="Imaging.Formats.VolumeFormatException">An image or label file is invalid (names the file and field).</exception>
    /// <exception cref="Models.ModelFormatException">The initial checkpoint is invalid or not a CT network.</exception>
    public static Task<TrainingOutcome> RunAsync(TrainingPlan plan, IProgress<TrainingProgress>? progress, CancellationToken cancellation)
    {
        Validate(plan);
        return Task.Factory.StartNew(() =>
        {
            using var session = new TrainingSession(plan, progress, cancellation);
            return session.Run();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Whether <see cref="RunAsync"/> would continue a run in the plan's directory rather than start over: a
    /// state of this very plan with its last checkpoint and optimizer state. Lets a caller that would otherwise
    /// replace the initial checkpoint (a fine-tune starting from the newest version) keep the one the run began with.</summary>
    public static bool CanResume(TrainingPlan plan)
    {
        var files = new RunFiles(plan.RunDirectory);
        return plan.Options.Resume && File.Exists(plan.InitialCheckpoint) && File.Exists(files.Last) && File.Exists(files.Optimizer)
            && TrainingState.TryRead(files.State) is { } state && state.Fingerprint == TrainingState.FingerprintOf(plan);
    }

    private static void Validate(TrainingPlan plan)
    {
        var problems = plan.Options.Problems().ToList();
        if (plan.Cases.Count == 0) problems.Add("no training cases");
        var repeated = plan.Cases.GroupBy(c => c.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) problems.Add($"case id '{repeated.Key}' is given {repeated.Count()} times");
        if (string.IsNullOrWhiteSpace(plan.RunDirectory)) problems.Add("no run directory");
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(plan));
        if (!File.Exists(plan.InitialCheckpoint)) throw new FileNotFoundException($"no such checkpoint: {plan.InitialCheckpoint}", plan.InitialCheckpoint);
        foreach (var c in plan.Cases)
        {
            if (!File.Exists(c.ImagePath)) throw new FileNotFoundException($"case {c.Id}: no such image: {c.ImagePath}", c.ImagePath);
            if (!File.Exists(c.LabelPath)) throw new FileNotFoundException($"case {c.Id}: no such label: {c.LabelPath}", c.LabelPath);
        }
    }
}
