namespace CtSegLabel.Training.Losses;

/// <summary>Smoothing of the soft Dice loss (thesis eq. 2, §3.6.1): α in the numerator, β in the denominator.
/// The thesis keeps α = 0 so that a class with no overlap does not reward the network for shrinking its prediction
/// (§5.5); β only keeps the quotient finite for a class absent from both prediction and truth.</summary>
public sealed record SoftDiceOptions(double Alpha = 0.0, double Beta = 1e-5);
