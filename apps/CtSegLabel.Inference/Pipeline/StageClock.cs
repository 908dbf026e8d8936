using System.Diagnostics;

namespace CtSegLabel.Inference.Pipeline;

internal enum Stage { Pre, Infer, Post }

/// <summary>Wall time per stage of <see cref="StageLatencies"/>; work of one stage done inside another's loop (the
/// per-window instances inside the sweep) is charged to its own stage.</summary>
internal sealed class StageClock
{
    private readonly Stopwatch[] _watches = [new(), new(), new()];

    public T Time<T>(Stage stage, Func<T> work)
    {
        _watches[(int)stage].Start();
        try { return work(); }
        finally { _watches[(int)stage].Stop(); }
    }

    public void Time(Stage stage, Action work) => Time(stage, () => { work(); return 0; });

    public StageLatencies Latencies(Stopwatch total) => new(
        _watches[(int)Stage.Pre].Elapsed.TotalSeconds,
        _watches[(int)Stage.Infer].Elapsed.TotalSeconds,
        _watches[(int)Stage.Post].Elapsed.TotalSeconds,
        total.Elapsed.TotalSeconds);
}
