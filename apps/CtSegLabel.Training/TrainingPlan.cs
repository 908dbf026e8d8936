using CtSegLabel.Models;

namespace CtSegLabel.Training;

/// <summary>One training run.</summary>
/// <param name="InitialCheckpoint">A .ctseg file: it fixes the architecture, the preprocessing (block and in-plane
/// size) and the channel names; training starts from its weights.</param>
/// <param name="RunDirectory">Where checkpoints, optimizer state, the sample cache, state.json and the curve go. A run
/// found there for the same plan is resumed (<see cref="TrainingOptions.Resume"/>).</param>
/// <param name="Augment">Applied to every training block on the prefetch thread; null = none.</param>
public sealed record TrainingPlan(IReadOnlyList<TrainingCase> Cases, string InitialCheckpoint, string RunDirectory,
    TrainingOptions Options, ComputeDevice Device, BlockTransform? Augment = null);
