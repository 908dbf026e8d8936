namespace CtSegLabel.Training.Augmentation;

/// <summary>A closed interval a random parameter is drawn from uniformly (Min = Max fixes the value).</summary>
public readonly record struct UniformRange(double Min, double Max)
{
    /// <summary>The interval −limit…+limit: the thesis gives rotation and shear as symmetric ranges.</summary>
    public static UniformRange Symmetric(double limit) => new(-limit, limit);

    public double Sample(Random random) => Min + (Max - Min) * random.NextDouble();

    internal bool IsValid => double.IsFinite(Min) && double.IsFinite(Max) && Min <= Max;

    public override string ToString() => FormattableString.Invariant($"U({Min}, {Max})");
}
