using CtSegLabel.AppContract;
using CtSegLabel.AppContract.Builtin;

namespace CtSegLabel.TestApp;

/// <summary>
/// A small but real app for the server's tests and the CI conformance run (never shipped): a model that
/// segments bone and lung by HU thresholds, a trainer that fits those thresholds to the submitted labels
/// by gradient descent, the standard strategies and Dice scoring.
/// </summary>
public sealed class ThresholdApp : ISegmentationApp
{
    public ThresholdApp(AppEnvironment environment)
    {
        Directory.CreateDirectory(environment.ModelsPath);
        string model = Path.Combine(environment.ModelsPath, ThresholdParameters.FileName);
        InferTasks = [new ThresholdBonesTask(model)];
        TrainTasks = [new ThresholdTrainer(model, Path.Combine(environment.ModelsPath, "train_stats.json"))];
    }

    public string Name => "CtSegLabel test app (HU thresholds)";

    public string Description => "Test-only app: bone/lung by Hounsfield thresholds, trained on submitted labels";

    public string Version => "1.0.0";

    public IReadOnlyList<string>? Labels => null;

    public IReadOnlyList<IInferTask> InferTasks { get; }

    public IReadOnlyList<ITrainTask> TrainTasks { get; }

    public IReadOnlyList<IStrategy> Strategies { get; } = [new RandomStrategy(), new FirstStrategy()];

    public IReadOnlyList<IScoringMethod> ScoringMethods { get; } = [new DiceScoring()];
}
