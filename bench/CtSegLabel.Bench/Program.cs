using CtSegLabel.Bench;

// Benchmarks (never run by the tests). Each prints a markdown table row set to paste into
// docs/benchmarks.md together with the command that produced it.
return args.FirstOrDefault() switch
{
    "io" => IoBenchmark.Run(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: CtSegLabel.Bench io FILE.nii.gz [--repeats N] [--levels 1,6]");
    return 2;
}
