using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Instances;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>
/// Stage 5, whole volume (thesis §3.7.1): one instance map per group on the model grid. Clustered groups are
/// stitched across windows — vertebrae by <see cref="VertebraStitching"/>, ribs by <see cref="RibStitching"/> — and
/// laid onto the blended class mask (<see cref="BlendedInstanceMask"/>); the other groups are the connected
/// components of their class in the blended output.
/// </summary>
internal static class InstanceAssembly
{
    public static Dictionary<InstanceGroup, Volume<int>> Build(Volume<byte> blended, InstancePlan plan, WindowInstanceCollector? windows,
        CancellationToken cancellation)
    {
        var result = new Dictionary<InstanceGroup, Volume<int>>();
        foreach (var (group, method) in plan.Methods)
        {
            cancellation.ThrowIfCancellationRequested();
            byte channel = checked((byte)plan.Channels[group]);
            if (method == InstanceMethod.ConnectedComponents)
            {
                result[group] = RibStitching.ByConnectedComponents(blended, channel);
                continue;
            }
            if (windows is null) throw new InvalidOperationException($"{group} is clustered but no window instances were collected");
            var perWindow = windows.Windows(group);
            var stitched = group is InstanceGroup.RibLeft or InstanceGroup.RibRight
                ? RibStitching.Stitch(perWindow, blended.Geometry)
                : VertebraStitching.Stitch(perWindow, blended.Geometry);
            result[group] = BlendedInstanceMask.Assign(stitched, blended, channel);
        }
        return result;
    }
}
