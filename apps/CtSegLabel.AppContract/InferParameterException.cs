namespace CtSegLabel.AppContract;

/// <summary>A request parameter the task cannot honour although it has the right kind (e.g. an unknown
/// structure name in a list). The server answers 422 naming the parameter, as for any invalid parameter.</summary>
public sealed class InferParameterException(string key, string problem) : Exception($"{key}: {problem}")
{
    public string Key { get; } = key;

    public string Problem { get; } = problem;
}
