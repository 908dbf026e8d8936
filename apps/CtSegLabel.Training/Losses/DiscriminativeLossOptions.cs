namespace CtSegLabel.Training.Losses;

/// <summary>Margins and weights of the discriminative loss (thesis §3.5, eqs. 8–11): a voxel is pulled to its
/// cluster's mean only beyond <see cref="DeltaVariance"/>; two cluster means are pushed apart only while closer
/// than 2·<see cref="DeltaDistance"/>, which is what lets inference's clustering with radius δd = 3 separate them.</summary>
public sealed record DiscriminativeLossOptions(
    double DeltaVariance = 1.5,
    double DeltaDistance = 3.0,
    double VarianceWeight = 1.5,
    double DistanceWeight = 1.0,
    double RegularisationWeight = 1e-4);
