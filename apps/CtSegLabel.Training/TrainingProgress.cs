namespace CtSegLabel.Training;

/// <summary>Where a run stands, reported after every optimizer step, every validation and every epoch.</summary>
/// <param name="Step">Optimizer steps so far, resumed ones included.</param>
/// <param name="Loss">The mean training loss of the current epoch's blocks so far.</param>
/// <param name="Eta">Remaining epochs × the mean epoch time of this call; null before an epoch has finished.</param>
/// <param name="Message">One log line saying what happened.</param>
public sealed record TrainingProgress(int Epoch, int TotalEpochs, long Step, double Loss, double? LastDice,
    double? BestDice, TimeSpan Elapsed, TimeSpan? Eta, string Message);
