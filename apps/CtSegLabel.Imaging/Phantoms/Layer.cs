namespace CtSegLabel.Imaging.Phantoms;

/// <summary>
/// Painting order: a later layer overwrites an earlier one where they overlap, and within a layer
/// the order of creation decides. Ribs come last so that no other structure can cut a rib in two
/// (each rib must stay one connected instance in the ground truth); vertebrae come just before.
/// </summary>
public enum Layer
{
    Skin,
    Muscle,
    Cavity,
    Organ,
    OrganDetail,
    Vessel,
    Bone,
    BoneDetail,
    Vertebra,
    Rib,
}
