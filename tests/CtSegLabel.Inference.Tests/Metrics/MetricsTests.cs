using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Inference.Metrics;

namespace CtSegLabel.Inference.Tests.Metrics;

public class MetricsTests
{
    [Fact]
    public void Dice_per_class_and_mean_over_truth_classes_by_hand()
    {
        //            voxel: 0  1  2  3  4  5  6  7  8  9
        int[] truth =       [1, 1, 1, 1, 2, 2, 0, 0, 0, 0];
        int[] predicted =   [1, 1, 1, 0, 2, 0, 2, 3, 3, 0];
        var result = DiceScore.Compute(predicted, truth);
        var byValue = result.Classes.ToDictionary(c => c.Value);
        Assert.Equal(2.0 * 3 / (3 + 4), byValue[1].Dice, 12); // |P|=3, |G|=4, |P∩G|=3 → 6/7
        Assert.Equal(2.0 * 1 / (2 + 2), byValue[2].Dice, 12); // |P|=2, |G|=2, |P∩G|=1 → 1/2
        Assert.Equal(0, byValue[3].Dice);                     // only predicted: 0, and left out of the mean
        Assert.Equal((6.0 / 7 + 0.5) / 2, result.Mean, 12);   // (0.857142… + 0.5) / 2 = 0.678571…
    }

    [Fact]
    public void Panoptic_quality_by_hand()
    {
        // Truth: A = 6 voxels (0..5), B = 4 voxels (6..9), C = 2 voxels (10..11).
        // Prediction: a = voxels 0..4 (5 voxels inside A), b = 6..7 plus 12..15 (2 of B + 4 outside), c = 16..17.
        int[] truth =     [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 0, 0, 0, 0, 0, 0];
        int[] predicted = [7, 7, 7, 7, 7, 0, 8, 8, 0, 0, 0, 0, 8, 8, 8, 8, 9, 9];
        var r = PanopticQuality.Compute(predicted, truth);
        // Dice(a,A) = 2·5/(5+6) = 10/11 > 0.5 → TP.  Dice(b,B) = 2·2/(6+4) = 0.4 → no match.
        // TP = 1 (a↔A), FP = 2 (b, c), FN = 2 (B, C).
        Assert.Equal((1, 2, 2), (r.TruePositives, r.FalsePositives, r.FalseNegatives));
        Assert.Equal(10.0 / 11, r.SegmentationQuality, 12);
        Assert.Equal(1 / (1 + 1.0 + 1.0), r.RecognitionQuality, 12);      // 1 / (1 + 2/2 + 2/2) = 1/3
        Assert.Equal(10.0 / 11 / 3, r.Quality, 12);                        // 0.30303…
    }

    [Fact]
    public void Two_halves_of_one_instance_give_one_true_positive_and_one_false_positive()
    {
        // A has 6 voxels; halves of 3 each: Dice = 2·3/(3+6) = 2/3 for both, but A can be matched once.
        int[] truth =     [5, 5, 5, 5, 5, 5];
        int[] predicted = [1, 1, 1, 2, 2, 2];
        var r = PanopticQuality.Compute(predicted, truth);
        Assert.Equal((1, 1, 0), (r.TruePositives, r.FalsePositives, r.FalseNegatives));
        Assert.Equal(2.0 / 3, r.SegmentationQuality, 12);
        Assert.Equal(1 / 1.5, r.RecognitionQuality, 12);                   // 1 / (1 + 1/2)
    }

    [Fact]
    public void Empty_group_is_undefined_and_perfect_match_is_one()
    {
        Assert.True(double.IsNaN(PanopticQuality.Compute([0, 0], [0, 0]).Quality));
        var r = PanopticQuality.Compute([4, 4, 9], [1, 1, 2]);
        Assert.Equal(1, r.Quality, 12);
    }

    [Fact]
    public void Numbered_ground_truth_is_matched_by_overlap_not_by_number()
    {
        int t3 = CtClassTable.Thoracic(3).Value, t4 = CtClassTable.Thoracic(4).Value, l1 = CtClassTable.Lumbar(1).Value;
        int liver = CtClassTable.ByName("liver").Value;
        // Prediction names the vertebrae one number off; the instances are the same voxels.
        int[] truth =     [t3, t3, t4, t4, l1, liver];
        int[] predicted = [t4, t4, t3, t3, l1, liver];
        var scores = LabelMapEvaluation.Evaluate(predicted, truth);
        Assert.Equal(1, scores.Panoptic[InstanceGroup.ThoracicVertebra].Quality, 12);
        Assert.Equal(1, scores.Panoptic[InstanceGroup.LumbarVertebra].Quality, 12);
        Assert.True(double.IsNaN(scores.Panoptic[InstanceGroup.RibLeft].Quality));
        Assert.Equal(1, scores.Dice.Mean, 12); // thoracic group, lumbar group, liver
        Assert.Equal(3, scores.Dice.Classes.Count);
    }
}
