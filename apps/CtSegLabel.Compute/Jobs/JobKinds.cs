namespace CtSegLabel.Compute.Jobs;

/// <summary>The kinds of job a worker may serve; a worker announces, per kind, the names it can run
/// (models for infer, trainers for train, scoring methods for score).</summary>
public static class JobKinds
{
    public const string Infer = "infer";

    public const string Train = "train";

    public const string Score = "score";

    public static readonly IReadOnlyList<string> All = [Infer, Train, Score];
}
