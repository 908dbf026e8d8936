using System.Numerics;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>
/// Stage 1 (thesis §3.2): crop to the body, resample to the model grid, map intensities. Any voxel type in, HU.
/// <list type="number">
/// <item>The body box: every voxel above <see cref="PreprocessingParameters.BodyThresholdHu"/> (<see cref="BodyCrop"/>).</item>
/// <item>The box is stretched to InPlaneSize² in-plane and cut into slices of SliceSpacingMm, its outer edges kept
/// (<see cref="ResampleGrid.ForModel"/>), and sampled linearly.</item>
/// <item>IntensityZeroHu..IntensityOneHu → 0..1, unclipped (see <see cref="IntensityScaling"/> for why).</item>
/// <item>The model grid is flipped (exactly, no interpolation) into <see cref="ModelOrientation"/>.</item>
/// </list>
/// </summary>
public static class Preprocessing
{
    /// <summary>
    /// The voxel orientation of every model grid (nibabel's convention): i toward the patient's left, j toward
    /// posterior, k toward inferior. In-plane this is how DICOM stores an axial slice (most scans need no in-plane
    /// flip, and a slice looks like the radiological view); the slice axis runs head to foot because windows are
    /// swept from the top of the body and the stitching rules name a window's first slice its top edge.
    /// </summary>
    public const string ModelOrientation = "LPI";

    /// <summary>The preprocessed image, or null when no voxel is above the body threshold (an all-air image).</summary>
    public static PreprocessedImage? Run(Volume image, PreprocessingParameters parameters)
    {
        Validate(parameters);
        return image.Apply(new Typed(parameters));
    }

    /// <summary>The model-grid value of a HU value (the intensity of padding is that of air, −1000 HU).</summary>
    public static float Intensity(double hu, PreprocessingParameters parameters) =>
        (float)((hu - parameters.IntensityZeroHu) / (parameters.IntensityOneHu - parameters.IntensityZeroHu));

    internal static void Validate(PreprocessingParameters p)
    {
        if (p.InPlaneSize < 1) throw new ArgumentException($"InPlaneSize must be at least 1, got {p.InPlaneSize}");
        if (!(p.SliceSpacingMm > 0) || double.IsInfinity(p.SliceSpacingMm))
            throw new ArgumentException($"SliceSpacingMm must be a positive number, got {p.SliceSpacingMm}");
        if (!(p.IntensityOneHu > p.IntensityZeroHu) || double.IsInfinity(p.IntensityOneHu - p.IntensityZeroHu))
            throw new ArgumentException($"IntensityOneHu ({p.IntensityOneHu}) must be above IntensityZeroHu ({p.IntensityZeroHu})");
        if (double.IsNaN(p.BodyThresholdHu)) throw new ArgumentException("BodyThresholdHu is NaN");
        if (p.BlockSlices < 1) throw new ArgumentException($"BlockSlices must be at least 1, got {p.BlockSlices}");
        if (!(p.WindowOverlap >= 0 && p.WindowOverlap < 1))
            throw new ArgumentException($"WindowOverlap must be in [0, 1), got {p.WindowOverlap}");
    }

    /// <summary>True when the third voxel axis runs head–foot (S or I), so in-plane means axial.</summary>
    internal static bool IsAxial(ImageGeometry geometry) => geometry.OrientationCode[2] is 'S' or 'I';

    private sealed class Typed(PreprocessingParameters p) : IVolumeFunc<PreprocessedImage?>
    {
        public PreprocessedImage? Invoke<T>(Volume<T> image) where T : unmanaged, INumber<T>
        {
            // The stretch to InPlaneSize² acts on voxel axes 0 and 1, so they must be the axial plane; a stack stored
            // sagittally is reoriented first (a copy, but a rare one).
            bool reorient = !IsAxial(image.Geometry);
            var axial = reorient ? Reorientation.To(image, ModelOrientation) : image;

            var box = BodyCrop.FindBox(axial, out bool found, p.BodyThresholdHu);
            if (!found) return null;
            // Cropping before resampling (a copy of the box) keeps the thesis's order: the outer half voxel of the
            // box repeats the edge voxel instead of blending in the air outside it.
            bool whole = box == VoxelBox.Whole(axial.Shape);
            var cropped = whole ? axial : VolumeCrop.Crop(axial, box);
            var native = ResampleGrid.ForModel(cropped.Geometry, p.InPlaneSize, p.InPlaneSize, p.SliceSpacingMm);
            var resampled = Resampler.Linear(cropped, native);
            MapIntensities(resampled.Data, p);
            var model = native.OrientationCode == ModelOrientation ? resampled : Reorientation.To(resampled, ModelOrientation);
            return new PreprocessedImage(model, native, axial.Geometry, box) { InputReoriented = reorient };
        }
    }

    /// <summary>The linear HU map, in place on the freshly resampled volume (no second model-sized array).</summary>
    private static void MapIntensities(float[] data, PreprocessingParameters p)
    {
        double zero = p.IntensityZeroHu, range = p.IntensityOneHu - p.IntensityZeroHu;
        const int chunk = 1 << 16;
        Parallel.For(0, (data.Length + chunk - 1) / chunk, c =>
        {
            int end = Math.Min(data.Length, (c + 1) * chunk);
            for (int n = c * chunk; n < end; n++) data[n] = (float)((data[n] - zero) / range);
        });
    }
}
