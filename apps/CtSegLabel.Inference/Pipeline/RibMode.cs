namespace CtSegLabel.Inference.Pipeline;

/// <summary>How ribs become instances (thesis §3.7.1).</summary>
public enum RibMode
{
    /// <summary>Connected components of each rib class on the whole stitched output: the thesis's better variant.</summary>
    ConnectedComponents,

    /// <summary>Embedding clusters per window, stitched across windows by overlap.</summary>
    Clustering,
}
