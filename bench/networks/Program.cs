using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CtSegLabel.Models;
using CtSegLabel.Models.Import;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

// TorchSharp side of the network benchmark (bench/networks/run.sh):
//   NetworkBench WORK ARCH PRECISION REPEATS THREADS
// loads the weights and input the PyTorch side exported, checks the fp32 outputs against PyTorch's, then
// times forwards and reports the median, the argmax agreement with PyTorch's fp32 and the peak RSS as one
// JSON line. PRECISION: fp32, bf16 or mixed.
//   NetworkBench agreement ARCH PRECISION PHANTOMS THREADS [SLICES [CHECKPOINT]]
// bf16- or mixed-vs-fp32 argmax agreement on phantom blocks (CtSegLabel.NetworkBench.PhantomAgreement).
//   NetworkBench ops THREADS [BUDGET_S [REPEATS [DTYPES [FILTER]]]]   /   NetworkBench ops-list
// every operation of a full-size forward timed alone in fp32 and bf16 (CtSegLabel.NetworkBench.OpProfile).
if (args.Length >= 1 && args[0] == "ops-list") return CtSegLabel.NetworkBench.OpProfile.List();
if (args.Length >= 2 && args[0] == "ops") return CtSegLabel.NetworkBench.OpProfile.Run(args[1..]);
if (args.Length >= 5 && args[0] == "agreement") return CtSegLabel.NetworkBench.PhantomAgreement.Run(args[1..]);
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: NetworkBench WORK swinunetr-v2|slice fp32|bf16|mixed REPEATS THREADS");
    Console.Error.WriteLine("       NetworkBench agreement swinunetr-v2|slice bf16|mixed PHANTOMS THREADS [SLICES [CHECKPOINT]]");
    Console.Error.WriteLine("       NetworkBench ops THREADS [BUDGET_S [REPEATS [fp32,bf16 [FILTER]]]]  |  NetworkBench ops-list");
    return 2;
}
string work = args[0], archName = args[1];
var precision = ComputeDevice.ParsePrecision(args[2]);
int repeats = int.Parse(args[3], CultureInfo.InvariantCulture);
int threads = int.Parse(args[4], CultureInfo.InvariantCulture);
torch.set_num_threads(threads);

var arch = NetworkArchitecture.Create(archName, "full", classes: 37);
using var net = arch.Build();
WeightImport.FromFile(net, Path.Combine(work, archName + ".pt"), strict: true);
net.eval();
var io = PyTorchUnpickler.UnpickleStateDict(Path.Combine(work, archName + "_io.pt")).Cast<DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);

var device = new ComputeDevice(CPU, precision);
device.Place(net);
using var input = device.Place(io["input"]);
using var _ = no_grad();
double afterLoad = Rss("VmRSS:");

double? maxDifference = null, argmaxAgreement = null;
// A scope for the comparison's temporaries (differences of 150 MB outputs): left to the garbage collector
// they stayed resident through the timed forwards and added ~0.6 GB to TorchSharp's peak.
using (var comparison = NewDisposeScope())
using (var first = net.forward(input))
{
    using var semantic = first.Semantic.to(float32);
    using var reference = io["semantic"];
    if (precision == Precision.Float32)
    {
        using var d = (semantic - reference).abs().max();
        using var e = (first.Embedding!.to(float32) - io["embedding"]).abs().max();
        maxDifference = Math.Max(d.item<float>(), e.item<float>());
    }
    using var same = semantic.argmax(1).eq(reference.argmax(1)).to(float32).mean();
    argmaxAgreement = same.item<float>();
}
io["embedding"].Dispose();
double afterFirst = Rss("VmRSS:");
// What glibc keeps of the memory freed by the first forward (heap free lists, arenas) and gives back to
// the kernel when asked: the resident set minus what live tensors and the runtime need.
double afterTrim = MallocTrim() ? Rss("VmRSS:") : double.NaN;

// The process peak so far includes reading the weights and the comparison with PyTorch's outputs; the
// kernel's high-water mark is then reset so that the timed forwards report their own peak.
double loadAndComparePeak = Rss("VmHWM:");
double beforeForwards = Rss("VmRSS:");
bool reset = TryResetPeak();
var times = new List<double>();
for (int i = 0; i < repeats; i++)
{
    var clock = Stopwatch.StartNew();
    using var y = net.forward(input);
    times.Add(clock.Elapsed.TotalSeconds);
}
times.Sort();
Console.WriteLine(JsonSerializer.Serialize(new
{
    tool = "TorchSharp 0.107.0 (libtorch 2.10.0)",
    arch = archName,
    precision = args[2],
    threads,
    median_s = times[times.Count / 2],
    times_s = times,
    peak_rss_mb = Math.Max(loadAndComparePeak, Rss("VmHWM:")),
    rss_after_load_mb = afterLoad,
    rss_after_first_forward_mb = afterFirst,
    rss_after_malloc_trim_mb = afterTrim,
    rss_before_timed_forwards_mb = beforeForwards,
    timed_forwards_peak_rss_mb = reset ? Rss("VmHWM:") : double.NaN,
    max_abs_difference_vs_pytorch = maxDifference,
    argmax_agreement_vs_pytorch_fp32 = argmaxAgreement,
}));
return 0;

static double Rss(string field)
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith(field, StringComparison.Ordinal))
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    return double.NaN;
}

static bool MallocTrim()
{
    try
    {
        NativeMethods.malloc_trim(0);
        return true;
    }
    catch (DllNotFoundException) { return false; }
    catch (EntryPointNotFoundException) { return false; }
}

// Linux (4.0+): writing 5 to clear_refs resets the peak resident set size to the current one.
static bool TryResetPeak()
{
    try
    {
        File.WriteAllText("/proc/self/clear_refs", "5");
        return true;
    }
    catch (IOException) { return false; }
    catch (UnauthorizedAccessException) { return false; }
}

internal static partial class NativeMethods
{
    [System.Runtime.InteropServices.LibraryImport("libc")]
    internal static partial int malloc_trim(nuint pad);
}
