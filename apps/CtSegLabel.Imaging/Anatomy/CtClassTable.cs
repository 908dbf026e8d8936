namespace CtSegLabel.Imaging.Anatomy;

/// <summary>
/// The numbered ground-truth classes of the thesis (Appendix A): 32 organs and bones, ribs 1–12 left
/// and right, thoracic vertebrae T1–T12 and lumbar L1–L6 (L6 in about 10 % of patients). This is the
/// one table of values, names and colours; label maps, phantoms and .seg.nrrd segments use it.
/// Names follow TotalSegmentator's snake_case style where it has the structure, so mapped datasets
/// line up.
/// </summary>
public static class CtClassTable
{
    public static IReadOnlyList<CtClass> GroundTruth { get; } = Build();

    public static CtClass ByName(string name) =>
        GroundTruth.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"no class named '{name}'");

    public static CtClass ByValue(int value) =>
        value >= 1 && value <= GroundTruth.Count ? GroundTruth[value - 1] : throw new KeyNotFoundException($"no class with value {value}");

    public static CtClass Rib(bool left, int number) => ByName($"rib_{(left ? "left" : "right")}_{number}");
    public static CtClass Thoracic(int number) => ByName($"vertebra_T{number}");
    public static CtClass Lumbar(int number) => ByName($"vertebra_L{number}");

    private static List<CtClass> Build()
    {
        var semantic = new (string Name, Rgb Color)[]
        {
            ("adrenal_gland_right", new(249, 186, 150)),
            ("adrenal_gland_left", new(249, 186, 150)),
            ("aorta_abdominal", new(224, 97, 76)),
            ("aorta_thoracic", new(240, 80, 60)),
            ("brain", new(250, 250, 225)),
            ("clavicle_left", new(205, 179, 108)),
            ("clavicle_right", new(205, 179, 108)),
            ("femur_left", new(255, 238, 170)),
            ("femur_right", new(255, 238, 170)),
            ("gallbladder", new(139, 150, 98)),
            ("gluteus_maximus_left", new(188, 95, 76)),
            ("gluteus_maximus_right", new(188, 95, 76)),
            ("heart", new(206, 110, 84)),
            ("hip_left", new(212, 188, 102)),
            ("hip_right", new(212, 188, 102)),
            ("humerus_left", new(241, 213, 144)),
            ("humerus_right", new(241, 213, 144)),
            ("kidney_left", new(185, 102, 83)),
            ("kidney_right", new(185, 102, 83)),
            ("liver", new(221, 130, 101)),
            ("lung_left", new(197, 165, 145)),
            ("lung_right", new(172, 138, 115)),
            ("mandible", new(222, 198, 101)),
            ("pancreas", new(249, 180, 111)),
            ("urinary_bladder", new(222, 154, 132)),
            ("sacrum_coccyx", new(212, 188, 102)),
            ("scapula_left", new(212, 188, 102)),
            ("scapula_right", new(212, 188, 102)),
            ("skull", new(241, 214, 145)),
            ("spleen", new(157, 108, 162)),
            ("sternum", new(244, 214, 49)),
            ("vertebrae_cervical", new(255, 244, 209)),
        };
        var table = new List<CtClass>();
        foreach (var (name, color) in semantic) table.Add(new CtClass(table.Count + 1, name, color));
        // Ribs and vertebrae alternate in hue so that neighbours are told apart at a glance in Slicer.
        for (int n = 1; n <= 12; n++)
            table.Add(new CtClass(table.Count + 1, $"rib_left_{n}", n % 2 == 1 ? new Rgb(253, 232, 158) : new Rgb(200, 160, 90), InstanceGroup.RibLeft, n));
        for (int n = 1; n <= 12; n++)
            table.Add(new CtClass(table.Count + 1, $"rib_right_{n}", n % 2 == 1 ? new Rgb(253, 232, 158) : new Rgb(200, 160, 90), InstanceGroup.RibRight, n));
        for (int n = 1; n <= 12; n++)
            table.Add(new CtClass(table.Count + 1, $"vertebra_T{n}", n % 2 == 1 ? new Rgb(255, 194, 120) : new Rgb(170, 120, 200), InstanceGroup.ThoracicVertebra, n));
        for (int n = 1; n <= 6; n++)
            table.Add(new CtClass(table.Count + 1, $"vertebra_L{n}", n % 2 == 1 ? new Rgb(120, 200, 255) : new Rgb(90, 140, 220), InstanceGroup.LumbarVertebra, n));
        return table;
    }
}
