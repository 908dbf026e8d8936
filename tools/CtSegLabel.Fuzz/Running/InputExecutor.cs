namespace CtSegLabel.Fuzz.Running;

/// <summary>
/// Runs one input on its own thread so a hang can be detected (the thread is abandoned, as a background
/// thread, and the next input gets a fresh scratch folder it cannot share with it) and measures what the
/// parse allocated on that thread, which is where the readers allocate their volumes.
/// </summary>
public sealed class InputExecutor(IFuzzTarget target, string scratchRoot, TimeSpan timeout)
{
    private int _scratchGeneration;
    private string _scratch = NewScratch(scratchRoot, 0);

    public Outcome Execute(byte[] input)
    {
        Outcome? outcome = null;
        string scratch = _scratch;
        var thread = new Thread(() => outcome = RunOnThisThread(input, scratch), 16 << 20)
        {
            IsBackground = true,
            Name = $"fuzz-{target.Name}",
        };
        thread.Start();
        if (!thread.Join(timeout))
        {
            _scratch = NewScratch(scratchRoot, ++_scratchGeneration);
            return new Outcome(OutcomeKind.Hang, "hang", $"did not finish within {timeout.TotalSeconds:0.#} s", 0);
        }
        return outcome!;
    }

    private Outcome RunOnThisThread(byte[] input, string scratch)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Outcome outcome;
        try
        {
            string accepted = target.Run(input, scratch);
            outcome = new Outcome(OutcomeKind.Accepted, accepted, accepted, 0);
        }
        catch (Exception e)
        {
            outcome = target.RejectionOf(e) is { } rejected
                ? new Outcome(OutcomeKind.Rejected, rejected, e.Message, 0)
                : new Outcome(OutcomeKind.Crash, CrashSignature(e), e.ToString(), 0);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long allowance = target.AllocationAllowance(input);
        if (allocated > allowance && !outcome.IsFinding)
            return new Outcome(OutcomeKind.OverAllocation, $"{outcome.Key}",
                $"allocated {allocated} bytes for a {input.Length}-byte input (allowance {allowance}); the parse ended as {outcome.Key}: {outcome.Detail}", allocated);
        return outcome with { AllocatedBytes = allocated };
    }

    /// <summary>Exception type and the frame that threw it: one bug, one signature.</summary>
    private static string CrashSignature(Exception e)
    {
        string frame = new System.Diagnostics.StackTrace(e, false).GetFrame(0)?.GetMethod() is { } m
            ? $"{m.DeclaringType?.Name}.{m.Name}" : "?";
        return $"{e.GetType().Name}@{frame}";
    }

    private static string NewScratch(string root, int generation)
    {
        string dir = Path.Combine(root, $"run{generation}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
