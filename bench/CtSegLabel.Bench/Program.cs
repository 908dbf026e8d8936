using CtSegLabel.Bench;

// Benchmarks (never run by the tests). Each prints a markdown table row set to paste into
// docs/benchmarks.md together with the command that produced it.
return args.FirstOrDefault() switch
{
    "io" => IoBenchmark.Run(args.Skip(1).ToArray()),
    "pipeline" => PipelineBenchmark.Run(args.Skip(1).ToArray()),
    "train-step" => TrainStepBenchmark.Run(args.Skip(1).ToArray()),
    "workers" => WorkersBenchmark.Run(args.Skip(1).ToArray()),
    "load" => LoadBenchmark.Run(args.Skip(1).ToArray()),
    "crash" => CrashBenchmark.Run(args.Skip(1).ToArray()),
    "infer-memory" => InferMemoryBenchmark.Run(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: CtSegLabel.Bench io FILE.nii.gz [--repeats N] [--levels 1,6]");
    Console.Error.WriteLine("       CtSegLabel.Bench pipeline [--size 512] [--slices 300] [--repeats 3] [--embedding-dim 32] [--ribs cc|clustering]");
    Console.Error.WriteLine("       CtSegLabel.Bench train-step [--config full|tiny] [--precision fp32|mixed] [--steps 3] [--save-sample FILE.npz]");
    Console.Error.WriteLine("       CtSegLabel.Bench workers --ct FILE --models DIR [--model swinunetr_v2] [--repeats 5]");
    Console.Error.WriteLine("       CtSegLabel.Bench load [--app ct|test] [--seconds 60] [--info-clients 100] [--infer-clients 8] [--label-clients 8] [--max-concurrent-infers 1] [--worker-queue 4] [--memory-budget-mb N] [--images 16] [--image-size 64] [--out DIR]");
    Console.Error.WriteLine("       CtSegLabel.Bench crash [--rounds 50] [--training true|false] [--seed S] [--targeted 0.5] [--phase-delay-ms 20] [--clients 4]");
    Console.Error.WriteLine("       CtSegLabel.Bench infer-memory [--runs 100] [--size 64] [--slices 30] [--every 10]");
    return 2;
}
