using System.Numerics;
using System.Runtime.InteropServices;

namespace CtSegLabel.Imaging.Volumes;

/// <summary>
/// Voxels with their geometry. The element type is known at run time (a file may hold any
/// <see cref="VoxelType"/>); <see cref="Volume{T}"/> gives typed access. Voxels are stored in one
/// array, i fastest (see <see cref="ImageGeometry"/> for every convention).
/// </summary>
public abstract class Volume
{
    protected Volume(ImageGeometry geometry) => Geometry = geometry;

    public ImageGeometry Geometry { get; }
    public Shape3 Shape => Geometry.Shape;
    public abstract VoxelType VoxelType { get; }

    /// <summary>The voxel bytes in this machine's byte order (little-endian on every platform .NET runs on here).</summary>
    public abstract Span<byte> Bytes { get; }

    public abstract double GetDouble(long index);

    /// <summary>Runs <paramref name="func"/> on this volume with its element type known (see <see cref="IVolumeFunc{TResult}"/>).</summary>
    public abstract TResult Apply<TResult>(IVolumeFunc<TResult> func);

    /// <summary>Minimum and maximum voxel value (NaN ignored).</summary>
    public abstract (double Min, double Max) ValueRange();

    /// <summary>Converts to another element type. Float → integer rounds to nearest, and every
    /// conversion saturates at the target's range (so -1024 HU never wraps around).</summary>
    public abstract Volume<TOut> ConvertTo<TOut>() where TOut : unmanaged, INumber<TOut>;

    public Volume ConvertTo(VoxelType type) => type switch
    {
        VoxelType.UInt8 => ConvertTo<byte>(),
        VoxelType.Int8 => ConvertTo<sbyte>(),
        VoxelType.Int16 => ConvertTo<short>(),
        VoxelType.UInt16 => ConvertTo<ushort>(),
        VoxelType.Int32 => ConvertTo<int>(),
        VoxelType.UInt32 => ConvertTo<uint>(),
        VoxelType.Float32 => ConvertTo<float>(),
        VoxelType.Float64 => ConvertTo<double>(),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The same voxels placed on another geometry of the same shape (used by readers and
    /// by operators that only relabel the grid, such as cropping's origin shift).</summary>
    public abstract Volume WithGeometry(ImageGeometry geometry);

    /// <summary>Allocates a zero-filled volume of a run-time element type.</summary>
    public static Volume Create(VoxelType type, ImageGeometry geometry) => type switch
    {
        VoxelType.UInt8 => new Volume<byte>(geometry),
        VoxelType.Int8 => new Volume<sbyte>(geometry),
        VoxelType.Int16 => new Volume<short>(geometry),
        VoxelType.UInt16 => new Volume<ushort>(geometry),
        VoxelType.Int32 => new Volume<int>(geometry),
        VoxelType.UInt32 => new Volume<uint>(geometry),
        VoxelType.Float32 => new Volume<float>(geometry),
        VoxelType.Float64 => new Volume<double>(geometry),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}

/// <summary>A volume of element type <typeparamref name="T"/>.</summary>
public sealed class Volume<T> : Volume where T : unmanaged, INumber<T>
{
    public Volume(ImageGeometry geometry) : this(geometry, AllocateFor(geometry)) { }

    public Volume(ImageGeometry geometry, T[] data) : base(geometry)
    {
        if (data.LongLength != geometry.Shape.VoxelCount)
            throw new ArgumentException($"data has {data.LongLength} voxels, shape {geometry.Shape} needs {geometry.Shape.VoxelCount}", nameof(data));
        Data = data;
    }

    public T[] Data { get; }

    public override VoxelType VoxelType => VoxelTypes.Of<T>();

    public override Span<byte> Bytes => MemoryMarshal.AsBytes(Data.AsSpan());

    public T this[int i, int j, int k]
    {
        get => Data[Shape.Index(i, j, k)];
        set => Data[Shape.Index(i, j, k)] = value;
    }

    /// <summary>One axial slice (fixed k) as a span of X·Y voxels.</summary>
    public Span<T> Slice(int k) => Data.AsSpan(checked((int)((long)Shape.X * Shape.Y * k)), Shape.X * Shape.Y);

    public override double GetDouble(long index) => double.CreateTruncating(Data[index]);

    public override TResult Apply<TResult>(IVolumeFunc<TResult> func) => func.Invoke(this);

    public override (double Min, double Max) ValueRange()
    {
        if (Data.Length == 0) return (double.NaN, double.NaN);
        T min = Data[0], max = Data[0];
        bool seen = false;
        foreach (var v in Data)
        {
            if (T.IsNaN(v)) continue;
            if (!seen) { min = max = v; seen = true; continue; }
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return seen ? (double.CreateTruncating(min), double.CreateTruncating(max)) : (double.NaN, double.NaN);
    }

    public override Volume<TOut> ConvertTo<TOut>()
    {
        if (typeof(TOut) == typeof(T)) return (Volume<TOut>)(object)Clone();
        var output = new TOut[Data.Length];
        bool round = !VoxelType.IsInteger() && VoxelTypes.Of<TOut>().IsInteger();
        var src = Data;
        Parallel.For(0, (src.Length + 65535) / 65536, chunk =>
        {
            int end = Math.Min(src.Length, (chunk + 1) * 65536);
            for (int n = chunk * 65536; n < end; n++)
                output[n] = round
                    ? TOut.CreateSaturating(Math.Round(double.CreateTruncating(src[n]), MidpointRounding.AwayFromZero))
                    : TOut.CreateSaturating(src[n]);
        });
        return new Volume<TOut>(Geometry, output);
    }

    public Volume<T> Clone() => new(Geometry, (T[])Data.Clone());

    public override Volume WithGeometry(ImageGeometry geometry) => WithGeometryTyped(geometry);

    public Volume<T> WithGeometryTyped(ImageGeometry geometry)
    {
        if (geometry.Shape != Shape)
            throw new ArgumentException($"geometry shape {geometry.Shape} differs from the volume's {Shape}", nameof(geometry));
        return new Volume<T>(geometry, Data);
    }

    /// <summary>A volume whose voxels are NOT zeroed, for code that writes every voxel: skipping the zeroing of a
    /// 150 MB buffer about to be overwritten saves a full pass over memory.</summary>
    public static Volume<T> Uninitialized(ImageGeometry geometry) =>
        new(geometry, GC.AllocateUninitializedArray<T>(VoxelCount(geometry)));

    private static T[] AllocateFor(ImageGeometry geometry) => new T[VoxelCount(geometry)];

    private static int VoxelCount(ImageGeometry geometry)
    {
        long n = geometry.Shape.VoxelCount;
        if (n > Array.MaxLength)
            throw new ArgumentException($"shape {geometry.Shape} has {n} voxels; one volume holds at most {Array.MaxLength}", nameof(geometry));
        return (int)n;
    }
}
