using CtSegLabel.AppContract;
using CtSegLabel.AppContract.Builtin;

namespace CtSegLabel.Server.Apps;

/// <summary>
/// The app the server runs when none is configured: annotation workflow without a model — Slicer can
/// fetch images by strategy, submit labels and score model-vs-final labels, but there is nothing to
/// infer or train. A real app is loaded with <c>--app PATH.dll</c>.
/// </summary>
public sealed class DatastoreOnlyApp : ISegmentationApp
{
    public string Name => "CtSegLabel (datastore only)";

    public string Description => "Annotation datastore without models: next-sample strategies, label submission, Dice scoring. Start the server with --app to add models.";

    public string Version => typeof(DatastoreOnlyApp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public IReadOnlyList<string>? Labels => null;

    public IReadOnlyList<IInferTask> InferTasks => [];

    public IReadOnlyList<ITrainTask> TrainTasks => [];

    public IReadOnlyList<IStrategy> Strategies { get; } = [new RandomStrategy(), new FirstStrategy()];

    public IReadOnlyList<IScoringMethod> ScoringMethods { get; } = [new DiceScoring()];
}
