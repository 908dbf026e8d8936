using CtSegLabel.Imaging.Anatomy;

namespace CtSegLabel.Training.Labels;

/// <summary>
/// Other datasets' names for classes of the CT table. The table follows TotalSegmentator's names where it has the
/// structure, so its label maps map by name except where the table is coarser or spells a class differently:
/// <c>vertebrae_T7</c> is <c>vertebra_T7</c>, and the five lung lobes are the two lungs.
/// </summary>
public static class NameAliases
{
    /// <summary>The table name a dataset's class name stands for, or null when the table has no such class.</summary>
    public static string? TableName(string name)
    {
        if (CtClassTable.GroundTruth.Any(c => c.Name == name)) return name;
        if (name.StartsWith("vertebrae_", StringComparison.Ordinal)) return Known("vertebra_" + name["vertebrae_".Length..]);
        if (name.StartsWith("lung_", StringComparison.Ordinal) && name.Contains("_lobe_", StringComparison.Ordinal))
            return name.EndsWith("_left", StringComparison.Ordinal) ? Known("lung_left")
                : name.EndsWith("_right", StringComparison.Ordinal) ? Known("lung_right") : null;
        return null;
    }

    private static string? Known(string name) => CtClassTable.GroundTruth.Any(c => c.Name == name) ? name : null;
}
