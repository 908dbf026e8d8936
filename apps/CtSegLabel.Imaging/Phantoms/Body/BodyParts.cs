using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Phantoms.Shapes;

namespace CtSegLabel.Imaging.Phantoms.Body;

/// <summary>What every region builder needs: the plan, the tissues, a detail random stream, and
/// the list the structures go into.</summary>
public sealed class BodyParts(BodyPlan plan, TissueTable tissues, PhantomRandom random)
{
    private PhantomRandom _random = random;

    public BodyPlan Plan { get; } = plan;
    public TissueTable T { get; } = tissues;
    public List<Structure> Structures { get; } = [];

    public ref PhantomRandom Random => ref _random;

    /// <summary>Solids a later region builder refers to (the gluteus is kept inside the lean body).</summary>
    public Dictionary<string, Shape> Named { get; } = new(StringComparer.Ordinal);

    public void Add(string name, Layer layer, Shape shape, Tissue tissue, byte? label) =>
        Structures.Add(new Structure(name, layer, shape, tissue, label));

    /// <summary>Adds a structure labelled with a ground-truth class.</summary>
    public void AddClass(string className, Layer layer, Shape shape, Tissue tissue) =>
        Structures.Add(new Structure(className, layer, shape, tissue, ClassValue(className)));

    public static byte ClassValue(string className) => checked((byte)CtClassTable.ByName(className).Value);
}
