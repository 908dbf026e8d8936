using Microsoft.AspNetCore.Http.Features;

namespace CtSegLabel.Fuzz.Targets;

/// <summary>What a host does when a response ends, for a request driven without one: runs what was registered for
/// then (the server's spooled form files are closed, and so deleted). DefaultHttpContext's own response feature never
/// completes.</summary>
public sealed class CompletingResponse : HttpResponseFeature
{
    private readonly List<(Func<object, Task> Callback, object State)> _completed = [];

    public override void OnCompleted(Func<object, Task> callback, object state) => _completed.Add((callback, state));

    public async Task CompleteAsync()
    {
        foreach (var (callback, state) in _completed) await callback(state);
    }
}
