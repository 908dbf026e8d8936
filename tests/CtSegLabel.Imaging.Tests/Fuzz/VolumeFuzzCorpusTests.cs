using CtSegLabel.Fuzz.Running;
using CtSegLabel.Fuzz.Targets;

namespace CtSegLabel.Imaging.Tests.Fuzz;

/// <summary>Every committed fuzz input for the volume readers ends as a volume or a VolumeFormatException,
/// within the hang guard and the allocation bound; a short fuzz run from the seeds finds nothing.</summary>
public class VolumeFuzzCorpusTests
{
    public static TheoryData<string, string> Corpus()
    {
        var data = new TheoryData<string, string>();
        foreach (string target in new[] { "nifti", "nrrd", "seg" })
            foreach (string name in FixedCorpus.Names(target)) data.Add(target, name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void CorpusInputEndsInVolumeOrTypedError(string target, string name)
    {
        var outcome = FixedCorpus.Replay(target, name);
        Assert.False(outcome.IsFinding, $"{target}/{name}: {outcome.Key}\n{outcome.Detail}");
    }

    [Theory]
    [InlineData("nifti")]
    [InlineData("nrrd")]
    [InlineData("seg")]
    public void CorpusHoldsBothAcceptedAndRejectedInputs(string target)
    {
        var kinds = FixedCorpus.Names(target).Select(n => FixedCorpus.Replay(target, n).Kind).ToHashSet();
        Assert.Contains(OutcomeKind.Accepted, kinds);
        Assert.Contains(OutcomeKind.Rejected, kinds);
    }

    [Theory]
    [InlineData("nifti")]
    [InlineData("nrrd")]
    [InlineData("seg")]
    public void ShortFuzzRunFindsNothing(string target)
    {
        var report = FixedCorpus.ShortRun(target);
        Assert.Equal(FixedCorpus.ShortRunInputs, report.InputsTried);
        Assert.True(report.Findings.Count == 0, string.Join("\n", report.Findings.Select(f => $"{f.Outcome.Key}: {f.Outcome.Detail}")));
        // The feedback works: mutants reach outcomes the seeds did not.
        Assert.True(report.CorpusSize > report.SeedCount, $"no mutant reached an outcome the {report.SeedCount} seeds did not");
    }
}
