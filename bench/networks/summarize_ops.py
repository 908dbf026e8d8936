"""Summarises op-profile JSON lines (OpProfile.cs, op_profile.py) into Markdown tables.

    summarize_ops.py PROFILE.jsonl [PROFILE.jsonl ...]

Per tool: seconds per full-size forward of each kind of operation in fp32 and bf16 (time of one call at full
size x calls per forward, summed over shapes) and the bf16/fp32 ratio; then the ten single shapes that cost bf16
the most. Lines that are not JSON (load averages, notes) are ignored.
"""
import json
import sys
from collections import defaultdict


def load(paths):
    rows = []
    for path in paths:
        for line in open(path):
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    return rows


def main():
    rows = load(sys.argv[1:])
    for tool in sorted({r["tool"] for r in rows}):
        mine = [r for r in rows if r["tool"] == tool]
        kinds = defaultdict(lambda: defaultdict(float))
        shapes = defaultdict(dict)
        errors = set()
        for r in mine:
            if "error" in r:
                errors.add(f"{r['op']} {r['dtype']}: {r['error']}")
                kinds[r["kind"]][r["dtype"]] = float("nan")
                continue
            kinds[r["kind"]][r["dtype"]] += r["seconds_per_forward"]
            shapes[(r["op"], r["shape"], r["count"])][r["dtype"]] = r
        print(f"\n### {tool}\n")
        print("| operation kind | fp32 s / forward | bf16 s / forward | bf16 / fp32 |")
        print("| --- | ---: | ---: | ---: |")
        total = defaultdict(float)
        for kind, by in sorted(kinds.items(), key=lambda kv: -kv[1].get("fp32", 0)):
            for d, v in by.items():
                total[d] += v
            ratio = by["bf16"] / by["fp32"] if by.get("fp32") and by.get("bf16") else float("nan")
            print(f"| {kind} | {by.get('fp32', float('nan')):.2f} | {by.get('bf16', float('nan')):.2f} | {ratio:.2f} |")
        print(f"| **sum** | **{total['fp32']:.1f}** | **{total['bf16']:.1f}** | **{total['bf16'] / total['fp32']:.1f}** |")
        for e in sorted(errors):
            print(f"\nNo kernel: {e}")
        print("\nCostliest single shapes in bf16:\n")
        print("| op | shape | calls | fp32 s / call | bf16 s / call | bf16 / fp32 | bf16 units timed |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        worst = sorted((v for v in shapes.values() if "bf16" in v and "fp32" in v),
                       key=lambda v: -v["bf16"]["seconds_per_forward"])[:10]
        for v in worst:
            f, b = v["fp32"], v["bf16"]
            print(f"| {f['op']} | {f['shape']} | {f['count']} | {f['seconds_per_call']:.3f} | {b['seconds_per_call']:.2f} | "
                  f"{b['seconds_per_call'] / f['seconds_per_call']:.0f} | {b['units_measured']}/{b['units_full']} |")


if __name__ == "__main__":
    main()
