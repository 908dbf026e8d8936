namespace CtSegLabel.Server.Datastore;

/// <summary>Datastore settings, bound from the <c>Server</c> section beside the other server options.</summary>
public sealed class DatastoreOptions
{
    /// <summary>Earlier versions kept per label (besides the current one); 0 keeps all. Bounded by default so a
    /// busy annotation team does not fill the disk with superseded labels.</summary>
    public int LabelVersionsKept { get; set; } = 20;

    /// <summary>Test-only: milliseconds to wait inside each step of a save (label file, JSON write) so the crash
    /// harness's random kills land in those steps often enough to be measured. 0 (the default) in production.</summary>
    public int CrashTestPhaseDelayMs { get; set; }
}
