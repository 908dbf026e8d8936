using CtSegLabel.Imaging.Phantoms.Shapes;

namespace CtSegLabel.Imaging.Phantoms;

/// <summary>
/// One painted piece of a phantom: a solid, the tissue it is made of and the label it writes.
/// <paramref name="Label"/> null keeps whatever label lies beneath (detail inside an organ, such as
/// the blood in the heart's chambers or vessels inside a lung); 0 writes background (fat, muscle,
/// bowel, the spinal canal).
/// </summary>
public sealed record Structure(string Name, Layer Layer, Shape Shape, Tissue Tissue, byte? Label);
