"""PyTorch side of the network benchmark (bench/networks/run.sh).

    export WORK ARCH        random full-size weights (state_dict), an input block and the fp32 outputs
    time WORK ARCH PRECISION REPEATS THREADS
                            median forward time with the reference network, peak RSS
"""
import json
import os
import resource
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "reference"))
from slice_transformer import SliceTransformer  # noqa: E402
from swin_unetr_v2 import SwinUnetrV2  # noqa: E402

CLASSES, SWIN_EMBEDDING, SLICE_EMBEDDING = 37, 32, 16
BLOCK = (1, 1, 64, 128, 128)


def build(arch):
    if arch == "swinunetr-v2":
        return SwinUnetrV2(out_channels=CLASSES, embedding_dim=SWIN_EMBEDDING, drop_rate=0.2)
    return SliceTransformer(classes=CLASSES, embedding_dim=SLICE_EMBEDDING)


def export(work, arch):
    torch.manual_seed(0)
    model = build(arch).eval()
    x = torch.rand(BLOCK, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        semantic, embedding = model(x)
    torch.save(model.state_dict(), os.path.join(work, f"{arch}.pt"))
    torch.save({"input": x, "semantic": semantic, "embedding": embedding}, os.path.join(work, f"{arch}_io.pt"))


def time_forward(work, arch, precision, repeats, threads):
    torch.set_num_threads(threads)
    model = build(arch).eval()
    model.load_state_dict(torch.load(os.path.join(work, f"{arch}.pt")))
    x = torch.load(os.path.join(work, f"{arch}_io.pt"))["input"]
    if precision == "bf16":
        model = model.to(torch.bfloat16)
        x = x.to(torch.bfloat16)
    after_load = rss("VmRSS:")
    times = []
    with torch.no_grad():
        model(x)  # warm-up
        # as NetworkBench does: the timed forwards' own peak, after the high-water mark is reset
        load_peak, before, reset = rss("VmHWM:"), rss("VmRSS:"), reset_peak()
        for _ in range(repeats):
            start = time.perf_counter()
            model(x)
            times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"tool": f"PyTorch {torch.__version__}", "arch": arch, "precision": precision, "threads": threads,
                      "median_s": statistics.median(times), "times_s": times, "peak_rss_mb": max(peak_mb, load_peak),
                      "rss_after_load_mb": after_load, "rss_before_timed_forwards_mb": before,
                      "timed_forwards_peak_rss_mb": rss("VmHWM:") if reset else float("nan")}))


def rss(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak():
    """Linux (4.0+): writing 5 to clear_refs resets the peak resident set size to the current one."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


if __name__ == "__main__":
    if sys.argv[1] == "export":
        export(sys.argv[2], sys.argv[3])
    else:
        time_forward(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
