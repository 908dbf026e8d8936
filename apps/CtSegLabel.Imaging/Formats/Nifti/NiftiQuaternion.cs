using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats.Nifti;

/// <summary>
/// The qform rotation: a unit quaternion (a, b, c, d) of which the header stores only b, c, d, with
/// a = √(1 − b² − c² − d²) ≥ 0 implied. Only proper rotations can be expressed; a reflection is carried
/// separately by qfac (pixdim[0]) flipping the third voxel axis.
/// </summary>
internal readonly record struct NiftiQuaternion(double B, double C, double D)
{
    /// <summary>b² + c² + d²: at most 1 for a valid header (float rounding may push it a hair over).</summary>
    public double VectorNormSquared => B * B + C * C + D * D;

    /// <summary>The rotation matrix of the standard (NIfTI-1 header comments, "METHOD 2").</summary>
    public Mat3 ToRotation()
    {
        double b = B, c = C, d = D;
        double s = VectorNormSquared;
        double a;
        if (s > 1)
        {
            // Stored as float32, a quaternion with a ≈ 0 can come back slightly over unit length;
            // renormalising (a = 0) is how the reference library reads it.
            double k = 1 / Math.Sqrt(s);
            b *= k; c *= k; d *= k;
            a = 0;
        }
        else
        {
            a = Math.Sqrt(1 - s);
        }
        return new Mat3(
            a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
            2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
            2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b);
    }

    /// <summary>The quaternion of a proper rotation (determinant +1), with a ≥ 0 as the header
    /// requires. Shepperd's branch choice keeps the division away from small numbers.</summary>
    public static NiftiQuaternion FromRotation(Mat3 r)
    {
        double trace = r.M00 + r.M11 + r.M22;
        double a, b, c, d;
        if (trace > 0)
        {
            double s = 2 * Math.Sqrt(1 + trace);
            a = s / 4;
            b = (r.M21 - r.M12) / s;
            c = (r.M02 - r.M20) / s;
            d = (r.M10 - r.M01) / s;
        }
        else if (r.M00 >= r.M11 && r.M00 >= r.M22)
        {
            double s = 2 * Math.Sqrt(1 + r.M00 - r.M11 - r.M22);
            a = (r.M21 - r.M12) / s;
            b = s / 4;
            c = (r.M01 + r.M10) / s;
            d = (r.M02 + r.M20) / s;
        }
        else if (r.M11 >= r.M22)
        {
            double s = 2 * Math.Sqrt(1 + r.M11 - r.M00 - r.M22);
            a = (r.M02 - r.M20) / s;
            b = (r.M01 + r.M10) / s;
            c = s / 4;
            d = (r.M12 + r.M21) / s;
        }
        else
        {
            double s = 2 * Math.Sqrt(1 + r.M22 - r.M00 - r.M11);
            a = (r.M10 - r.M01) / s;
            b = (r.M02 + r.M20) / s;
            c = (r.M12 + r.M21) / s;
            d = s / 4;
        }
        // q and −q are the same rotation; the header can only say a ≥ 0.
        return a < 0 ? new NiftiQuaternion(-b, -c, -d) : new NiftiQuaternion(b, c, d);
    }
}
