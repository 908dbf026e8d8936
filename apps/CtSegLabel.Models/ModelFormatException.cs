namespace CtSegLabel.Models;

/// <summary>A model or weight file that cannot be used: the message names the file and the field (a
/// metadata field or a tensor key) and says what is wrong with it.</summary>
public sealed class ModelFormatException(string path, string field, string problem)
    : Exception($"{path}: {field}: {problem}")
{
    public string Path { get; } = path;
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}
