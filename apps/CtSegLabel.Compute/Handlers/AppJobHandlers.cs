using CtSegLabel.AppContract;
using CtSegLabel.Compute.Worker;

namespace CtSegLabel.Compute.Handlers;

/// <summary>The handlers a worker runs for an app: infer always; train and score only where the worker sees the
/// datastore they read (the server's own worker does; a remote `ctseg worker` does not).</summary>
public static class AppJobHandlers
{
    public static IReadOnlyList<IJobHandler> For(ISegmentationApp app, IDatastoreView? datastore) =>
        datastore is null
            ? [new InferJobHandler(app)]
            : [new InferJobHandler(app), new TrainJobHandler(app, datastore), new ScoreJobHandler(app, datastore)];
}
