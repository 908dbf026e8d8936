namespace CtSegLabel.AppContract;

/// <summary>The kinds of infer task MONAI Label clients know; 3D Slicer picks its panel by it.</summary>
public enum InferType
{
    Segmentation,
    Annotation,
    Classification,
    Deepgrow,
    Deepedit,
    Scribbles,
    Detection,
    Others,
}

public static class InferTypes
{
    /// <summary>The lower-case spelling used on the wire (<c>models.*.type</c>).</summary>
    public static string WireName(this InferType type) => type.ToString().ToLowerInvariant();
}
