namespace CtSegLabel.Fuzz.Running;

/// <summary>Shrinks a finding "minimised-ish": removes chunks, halving their size from a quarter of the
/// input down to single bytes, keeping every removal after which the input still ends with the same
/// outcome. A bounded number of tries keeps it cheap.</summary>
public static class Minimizer
{
    private const int MaxTries = 400;

    public static byte[] Shrink(InputExecutor executor, byte[] input, Outcome outcome)
    {
        byte[] best = input;
        int tries = 0;
        for (int chunk = Math.Max(1, best.Length / 4); chunk >= 1 && tries < MaxTries; chunk /= 2)
        {
            for (int start = 0; start < best.Length && tries < MaxTries;)
            {
                int length = Math.Min(chunk, best.Length - start);
                byte[] candidate = [.. best.AsSpan(0, start), .. best.AsSpan(start + length)];
                tries++;
                if (executor.Execute(candidate).Key == outcome.Key) best = candidate;
                else start += length;
            }
        }
        return best;
    }
}
