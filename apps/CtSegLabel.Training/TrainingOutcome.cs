namespace CtSegLabel.Training;

/// <summary>What a run left in its run directory.</summary>
/// <param name="BestCheckpoint">best.ctseg, or null when no validation has run.</param>
/// <param name="LastCheckpoint">last.ctseg: the weights when the run ended, stopped or not.</param>
/// <param name="BestEpoch">The epoch of <paramref name="BestDice"/>; 0 when none.</param>
/// <param name="EpochsRun">Epochs completed in the run directory, resumed ones included.</param>
/// <param name="Stopped">True when cancellation ended the run before <see cref="TrainingOptions.MaxEpochs"/> (early
/// stopping is a normal end).</param>
/// <param name="CaseIds">The cases trained on.</param>
/// <param name="ValidationIds">The cases validated on (the one case itself when there is only one).</param>
public sealed record TrainingOutcome(string? BestCheckpoint, string LastCheckpoint, double? BestDice, int BestEpoch,
    int EpochsRun, long Steps, bool Stopped, IReadOnlyList<EpochRecord> History, IReadOnlyList<string> CaseIds,
    IReadOnlyList<string> ValidationIds);

/// <summary>One finished epoch: the step count after it, its mean training loss, its validation Dice (null when it
/// did not validate) and the training time since the run began, resumed runs included.</summary>
public sealed record EpochRecord(int Epoch, long Step, double TrainLoss, double? ValidationDice, TimeSpan Elapsed);
