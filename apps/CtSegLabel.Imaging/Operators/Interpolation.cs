namespace CtSegLabel.Imaging.Operators;

/// <summary>How a resampler reads the source between voxel centres.</summary>
public enum Interpolation
{
    /// <summary>Trilinear: for images (output is float32).</summary>
    Linear,

    /// <summary>The value of the voxel whose cell contains the point: for label maps (output keeps the type).</summary>
    Nearest,
}
