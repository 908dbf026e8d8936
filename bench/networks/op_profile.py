"""PyTorch side of the per-operation profile (bench/networks/bf16-profile.sh).

    op_profile.py CATALOGUE.json THREADS [BUDGET_S [REPEATS [DTYPES [FILTER]]]]

Runs the operations listed by `NetworkBench ops-list` (every operation of a full-size SwinUNETR-V2 forward at
its real shape, with its count per forward) in fp32 and bf16, exactly as the TorchSharp side
(bench/networks/OpProfile.cs) does: a slow op runs on a slab of its units (smallest first, growing 4x until one
call takes BUDGET_S seconds or the op is whole) and its time is scaled to the full size. One JSON line per op and
dtype.
"""
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F

MERGE_ORDER = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 1, 1)]


def prepare(op, p, u, dt):
    """Inputs for u units of the op, in the layouts the network hands it, and the call to time."""
    def r(*shape):
        return torch.randn(*shape, dtype=dt)

    if op == "conv3d":
        k, stride = p["k"], p["stride"]
        x = r(1, p["cin"], u * stride, p["h"] * stride, p["w"] * stride)
        w = r(p["cout"], p["cin"], k, k, k) * 0.05
        pad = (k - 1) // 2 if stride == 1 else 0
        return lambda: F.conv3d(x, w, None, stride, pad)
    if op == "conv_transpose3d":
        x = r(1, p["cin"], u, p["h"], p["w"])
        w = r(p["cin"], p["cout"], 2, 2, 2) * 0.05
        return lambda: F.conv_transpose3d(x, w, None, 2)
    if op == "instance_norm":
        x = r(1, p["c"], u, p["h"], p["w"])
        return lambda: F.instance_norm(x)
    if op == "leaky_relu_":
        x = r(1, p["c"], u, p["h"], p["w"])
        return lambda: F.leaky_relu(x, 0.01, inplace=True)
    if op == "add_":
        x, y = r(1, p["c"], u, p["h"], p["w"]), r(1, p["c"], u, p["h"], p["w"])
        return lambda: x.add_(y)
    if op == "add":
        x, y = r(1, u, p["h"], p["w"], p["c"]), r(1, u, p["h"], p["w"], p["c"])
        return lambda: x + y
    if op == "cat":
        x, y = r(1, p["c1"], u, p["h"], p["w"]), r(1, p["c2"], u, p["h"], p["w"])
        return lambda: torch.cat([x, y], 1)
    if op == "hidden_norm":
        x = r(1, p["c"], u, p["h"], p["w"])
        return lambda: F.layer_norm(x.permute(0, 2, 3, 4, 1), [p["c"]]).permute(0, 4, 1, 2, 3).contiguous()
    if op == "layer_norm":
        x = r(1, u, p["h"], p["w"], p["c"])
        weight, bias = torch.ones(p["c"], dtype=dt), torch.zeros(p["c"], dtype=dt)
        return lambda: F.layer_norm(x, [p["c"]], weight, bias)
    if op == "permute_copy":
        x = r(1, p["c"], u, p["h"], p["w"])
        return lambda: x.permute(0, 2, 3, 4, 1).contiguous()
    if op == "pad":
        x = r(1, u, p["h"], p["w"], p["c"])
        pd = p["pd"] - p["d"] if u == p["d"] else 0
        return lambda: F.pad(x, (0, 0, 0, p["pw"] - p["w"], 0, p["ph"] - p["h"], 0, pd))
    if op == "crop":
        x = r(1, u, p["ph"], p["pw"], p["c"])
        return lambda: x[:, :, :p["h"], :p["w"]].contiguous()
    if op == "roll":
        x = r(1, u, p["h"], p["w"], p["c"])
        return lambda: torch.roll(x, (-p["sd"], -p["sh"], -p["sw"]), (1, 2, 3))
    if op == "partition":
        wd, wh, ww, c = p["wd"], p["wh"], p["ww"], p["c"]
        x = r(1, u * wd, p["h"], p["w"], c)
        return lambda: x.view(1, u, wd, p["h"] // wh, wh, p["w"] // ww, ww, c).permute(0, 1, 3, 5, 2, 4, 6, 7).reshape(-1, wd * wh * ww, c)
    if op == "patch_merge":
        x = r(1, 2 * u, 2 * p["h"], 2 * p["w"], p["c"])
        return lambda: torch.cat([x[:, d::2, h::2, w::2] for d, h, w in MERGE_ORDER], -1)
    if op == "linear":
        x, w, b = r(u, p["rows"], p["cin"]), r(p["cout"], p["cin"]) * 0.05, r(p["cout"])
        return lambda: F.linear(x, w, b)
    if op == "gelu":
        x = r(1, u, p["h"], p["w"], p["c"])
        return lambda: F.gelu(x)
    if op in ("attn_qk", "attn_pv"):
        h, n, hd = p["heads"], p["n"], p["hd"]
        qkv_out = r(u, n, 3 * h * hd)
        probs = torch.softmax(r(u, h, n, n), -1)
        scale = 1.0 / math.sqrt(hd)
        if op == "attn_qk":
            def qk():
                qkv = qkv_out.reshape(u, n, 3, h, hd).permute(2, 0, 3, 1, 4)
                return (qkv[0] * scale).matmul(qkv[1].transpose(-2, -1))
            return qk

        def pv():
            qkv = qkv_out.reshape(u, n, 3, h, hd).permute(2, 0, 3, 1, 4)
            return probs.matmul(qkv[2]).transpose(1, 2).reshape(u, n, h * hd)
        return pv
    if op == "bias_add_":
        scores, bias = r(u, p["heads"], p["n"], p["n"]), r(1, p["heads"], p["n"], p["n"])
        return lambda: scores.add_(bias)
    if op == "mask_add_":
        h, n = p["heads"], p["n"]
        scores, mask = r(u, h, n, n), r(u, n, n)
        return lambda: scores.view(1, u, h, n, n).add_(mask.view(1, u, 1, n, n))
    if op == "softmax_":
        scores = r(u, p["heads"], p["n"], p["n"])

        def softmax_in_place():
            scores.sub_(scores.amax(-1, keepdim=True))
            scores.exp_()
            return scores.div_(scores.sum(-1, keepdim=True))
        return softmax_in_place
    raise ValueError(f"unknown op {op}")


def elapsed(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure(spec, dt, budget, repeats):
    full = spec["Units"]
    # The 20,480 rule is in libtorch's fp32 branch only: bf16 on a CPU without bf16 instructions never
    # reaches oneDNN, so its slab may be as thin as one unit.
    units = max(spec["MinUnits"] if dt == torch.float32 else 1, full // 64)
    while True:
        run = prepare(spec["Op"], spec["P"], units, dt)
        run()  # warm-up: oneDNN builds its kernel for the shape on the first call
        once = elapsed(run)
        if once >= 4 * budget:  # a reference kernel: timed once, its noise is small beside it
            return once * full / units, units
        if once >= budget or units == full:
            times = sorted([once] + [elapsed(run) for _ in range(repeats - 1)])
            return times[len(times) // 2] * full / units, units
        units = min(full, units * 4)


def main():
    catalogue = json.load(open(sys.argv[1]))
    threads = int(sys.argv[2])
    budget = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    dtypes = sys.argv[5].split(",") if len(sys.argv) > 5 else ["fp32", "bf16"]
    wanted = sys.argv[6] if len(sys.argv) > 6 else ""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    with torch.no_grad():
        for spec in catalogue:
            shape = " ".join(f"{k}={v}" for k, v in spec["P"].items())
            if wanted not in f"{spec['Op']} {shape}":
                continue
            for name in dtypes:
                row = {"tool": f"PyTorch {torch.__version__}", "op": spec["Op"], "kind": spec["Kind"], "shape": shape,
                       "count": spec["Count"], "dtype": name, "units_full": spec["Units"]}
                try:
                    seconds, units = measure(spec, torch.bfloat16 if name == "bf16" else torch.float32, budget, repeats)
                    row.update(units_measured=units, seconds_per_call=seconds, seconds_per_forward=seconds * spec["Count"])
                except RuntimeError as e:  # an op this version has no kernel for in this dtype
                    row["error"] = str(e).splitlines()[0]
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
