namespace CtSegLabel.Server.Tasks;

/// <summary>The three kinds of background task, each with its own one-at-a-time runner.</summary>
public sealed class TaskRunners(ILoggerFactory loggers, TimeProvider clock)
{
    public BackgroundTaskRunner Train { get; } = new("Train", loggers.CreateLogger("CtSegLabel.Server.Tasks.Train"), clock);

    public BackgroundTaskRunner Scoring { get; } = new("Scoring", loggers.CreateLogger("CtSegLabel.Server.Tasks.Scoring"), clock);

    public BackgroundTaskRunner BatchInfer { get; } = new("Batch Infer", loggers.CreateLogger("CtSegLabel.Server.Tasks.BatchInfer"), clock);
}
