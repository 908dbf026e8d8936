namespace CtSegLabel.Training.Data;

/// <summary>Which cases train and which validate: a seeded shuffle, the first round(n × fraction) validate — at least
/// one when there are two cases or more, and never all of them. A single case is trained and validated on (there is
/// nothing else to measure with); a fraction of 0 validates on nothing.</summary>
internal static class DataSplit
{
    public static (IReadOnlyList<T> Training, IReadOnlyList<T> Validation) Split<T>(IReadOnlyList<T> cases, double fraction, int seed)
    {
        if (cases.Count == 0) return ([], []);
        if (fraction <= 0) return (cases, []);
        if (cases.Count == 1) return (cases, cases);
        var order = cases.ToArray();
        new Random(seed).Shuffle(order);
        int validation = Math.Clamp((int)Math.Round(cases.Count * fraction, MidpointRounding.AwayFromZero), 1, cases.Count - 1);
        return (order[validation..], order[..validation]);
    }
}
