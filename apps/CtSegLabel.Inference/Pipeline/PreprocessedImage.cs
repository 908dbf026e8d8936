using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>
/// The image as the network sees it, and the grids that lead back to the input.
/// </summary>
/// <param name="Model">Intensities mapped to 0..1 on the model grid, in <see cref="Preprocessing.ModelOrientation"/>:
/// slice 0 is the most superior, so windows are swept from the top of the body down.</param>
/// <param name="NativeModelGrid">The same grid with the axes of <paramref name="AxialInput"/> (before the flip into the
/// model orientation): the resampling to and from the input happens on it, because the resampler never rotates.</param>
/// <param name="AxialInput">The input's geometry, or, when the input's slice axis is not its head–foot axis (a
/// sagittal or coronal stack), the geometry after reorienting it to <see cref="Preprocessing.ModelOrientation"/>.</param>
/// <param name="Box">The body box in <paramref name="AxialInput"/>'s voxels.</param>
public sealed record PreprocessedImage(Volume<float> Model, ImageGeometry NativeModelGrid, ImageGeometry AxialInput, VoxelBox Box)
{
    /// <summary>True when the input had to be reoriented before cropping (its third voxel axis was not head–foot).</summary>
    public bool InputReoriented { get; init; }
}
