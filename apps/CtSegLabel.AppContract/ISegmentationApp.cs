namespace CtSegLabel.AppContract;

/// <summary>
/// A segmentation app as the server sees it: a name, its labels and the tasks it offers. The server
/// publishes this through MONAI Label's <c>/info/</c> and routes infer, train, active-learning and
/// scoring requests to the tasks by name. An app never sees HTTP: it gets volumes, JSON parameters
/// and a view of the datastore.
/// </summary>
public interface ISegmentationApp
{
    string Name { get; }

    string Description { get; }

    string Version { get; }

    /// <summary>The app's own label names in display order, or null to let the server publish the
    /// union of its models' labels (MONAI Label's rule).</summary>
    IReadOnlyList<string>? Labels { get; }

    IReadOnlyList<IInferTask> InferTasks { get; }

    IReadOnlyList<ITrainTask> TrainTasks { get; }

    IReadOnlyList<IStrategy> Strategies { get; }

    IReadOnlyList<IScoringMethod> ScoringMethods { get; }
}
