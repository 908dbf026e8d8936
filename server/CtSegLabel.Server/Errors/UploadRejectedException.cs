namespace CtSegLabel.Server.Errors;

/// <summary>A file part the server read and refused (too large once inflated, a gzip bomb, not a readable volume):
/// 422 in FastAPI's validation layout at <c>["body", field]</c>, so the client learns WHICH part and why.</summary>
public sealed class UploadRejectedException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;

    public string Problem { get; } = problem;
}
