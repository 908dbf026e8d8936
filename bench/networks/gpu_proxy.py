"""A labelled PROXY, not a CtSegLabel figure: the project's PyTorch reference networks (tools/reference) timed
on an NVIDIA GPU, to size what a GPU buys for inference and training. TorchSharp cannot run on a GPU in this
workplace (no CUDA libtorch package is served), so these numbers say what the same network costs on the
hardware, not what CtSegLabel achieves there.

    python3 bench/networks/gpu_proxy.py [OUT.json]

Per architecture: forward of one 64×128×128 block (fp32, bf16 autocast), a whole-body pass as one batch of
9 windows (~300 resampled slices), and one training step (forward + backward + AdamW) at batch 1; median
of timed repeats after warm-up, CUDA-synchronised; peak GPU memory of each."""
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_forward import BLOCK, build  # noqa: E402


def timed(fn, repeats=10, warmup=3):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(arch, precision, case):
    torch.manual_seed(0)
    model = build(arch).cuda()
    batch = 9 if case == "whole-body (9 windows, one batch)" else 1
    x = torch.rand((batch,) + BLOCK[1:], device="cuda")
    autocast = torch.autocast("cuda", dtype=torch.bfloat16, enabled=precision == "bf16")
    torch.cuda.reset_peak_memory_stats()
    if case == "train step":
        model.train()
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)

        def step():
            optimizer.zero_grad(set_to_none=True)
            with autocast:
                semantic, embedding = model(x)
                loss = semantic.float().softmax(1).mean() + embedding.float().pow(2).mean()
            loss.backward()
            optimizer.step()
        seconds = timed(step, repeats=5, warmup=2)
    else:
        model.eval()

        def forward():
            with torch.no_grad(), autocast:
                model(x)
        seconds = timed(forward)
    return {"arch": arch, "precision": precision, "case": case, "median_s": round(seconds, 5),
            "peak_gpu_mb": round(torch.cuda.max_memory_allocated() / 2**20)}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else None
    rows = [{"device": torch.cuda.get_device_name(0), "torch": torch.__version__}]
    print(json.dumps(rows[0]), flush=True)
    for arch in ("swinunetr-v2", "slice"):
        for case in ("one 64x128x128 block", "whole-body (9 windows, one batch)", "train step"):
            for precision in ("fp32", "bf16"):
                row = measure(arch, precision, case)
                rows.append(row)
                print(json.dumps(row), flush=True)
                torch.cuda.empty_cache()
    if out:
        with open(out, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
