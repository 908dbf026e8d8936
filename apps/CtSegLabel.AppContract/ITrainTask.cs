using System.Text.Json.Nodes;

namespace CtSegLabel.AppContract;

/// <summary>A trainer: fits (or fine-tunes) a model on the datastore's labeled images.</summary>
public interface ITrainTask
{
    /// <summary>The trainer name used in <c>/train/{name}</c>.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Default parameters; list values are choices whose first item is the default.</summary>
    JsonObject Config { get; }

    /// <summary>The statistics of the latest (or running) training, <c>{}</c> before the first one.
    /// Slicer reads <c>best_metric</c> (a number), <c>epoch</c>, <c>total_epochs</c>, <c>total_time</c>.</summary>
    JsonObject Stats();

    /// <summary>Trains until done or cancelled. Progress lines go to <paramref name="progress"/> (they
    /// become the task's <c>details</c> and the log); the returned object is the task's result.
    /// Cancellation ends the run with <see cref="OperationCanceledException"/>.</summary>
    Task<JsonObject> TrainAsync(TrainRequest request, IDatastoreView datastore, IProgress<string> progress,
        CancellationToken cancellation);
}
