using System.Numerics;

namespace CtSegLabel.Imaging.Volumes;

/// <summary>
/// A computation over a volume whose element type is only known at run time: <see cref="Volume.Apply{TResult}"/>
/// calls <see cref="Invoke{T}"/> with the typed volume, so generic code runs without an eight-way type switch
/// at every call site.
/// </summary>
public interface IVolumeFunc<out TResult>
{
    TResult Invoke<T>(Volume<T> volume) where T : unmanaged, INumber<T>;
}
