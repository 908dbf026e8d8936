#!/usr/bin/env bash
# Why bf16 is slow on a CPU without bf16 instructions, and what mixed precision gives instead
# (docs/benchmarks.md, "Networks"). Three steps, each optional (STEPS):
#   ops        every operation of a full-size SwinUNETR-V2 forward (64×128×128 block) timed alone in fp32 and
#              bf16 — TorchSharp (libtorch 2.10) and Debian's PyTorch 1.13 on the same list, same threads —
#              then one table per tool (bench/networks/summarize_ops.py);
#   block      the whole forward, TorchSharp fp32 against mixed (and PyTorch fp32 with PYTORCH=1), each in its
#              own process, interleaved over ROUNDS rounds (load from other jobs hits all alike): median of
#              REPEATS, peak RSS of the process and of the timed forwards alone, argmax agreement with
#              PyTorch's fp32 on the same random input;
#   agreement  mixed against fp32 on PHANTOMS preprocessed phantom blocks (random weights unless CHECKPOINT).
# The 1-minute load average is printed with every line: compare only numbers of the same round.
# Usage: bench/networks/bf16-profile.sh [ROUNDS] [REPEATS] [THREADS]
#   env: STEPS="ops block agreement", PYTORCH=1, RESULTS=DIR (keep the raw JSON lines there), BUDGET=0.5 (seconds one
#        call of a slow op may take before it is timed on a slab and scaled), PHANTOMS=3, CHECKPOINT=FILE.ctseg
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2}
repeats=${2:-2}
threads=${3:-$(nproc)}
steps=" ${STEPS:-ops block agreement} "
py=/usr/bin/python3
$py -c 'import torch' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null; }
if [[ -n ${RESULTS:-} ]]; then
  results=$RESULTS
  mkdir -p "$results"
else
  results=$(mktemp -d)
  trap 'rm -rf "$results"' EXIT
fi
dotnet build -c Release -v q -nologo bench/networks/NetworkBench.csproj >/dev/null
bench="dotnet bench/networks/bin/Release/net10.0/NetworkBench.dll"
load() { cut -d' ' -f1 /proc/loadavg; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); threads $threads; $(date -u '+%F %H:%M')"
echo "bf16-related CPU flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512(f|bw|dq|vl|_bf16)|amx_bf16|avx_ne_convert)$' | xargs)"

if [[ $steps == *" ops "* ]]; then
  $bench ops-list > "$results/catalogue.json"
  echo "ops: TorchSharp from load $(load)"
  $bench ops "$threads" "${BUDGET:-0.5}" 3 > "$results/ops_torchsharp.jsonl"
  echo "ops: PyTorch from load $(load)"
  $py bench/networks/op_profile.py "$results/catalogue.json" "$threads" "${BUDGET:-0.5}" 3 > "$results/ops_pytorch.jsonl"
  echo "ops: done at load $(load)"
  $py bench/networks/summarize_ops.py "$results/ops_torchsharp.jsonl" "$results/ops_pytorch.jsonl"
fi

if [[ $steps == *" block "* ]]; then
  $py bench/networks/pytorch_forward.py export "$results" swinunetr-v2
  for round in $(seq "$rounds"); do
    for precision in fp32 mixed; do
      echo "round=$round load=$(load) $($bench "$results" swinunetr-v2 "$precision" "$repeats" "$threads")"
    done
    if [[ ${PYTORCH:-0} == 1 ]]; then
      echo "round=$round load=$(load) $($py bench/networks/pytorch_forward.py time "$results" swinunetr-v2 fp32 "$repeats" "$threads")"
    fi
  done
fi

if [[ $steps == *" agreement "* ]]; then
  echo "agreement load=$(load) $($bench agreement swinunetr-v2 mixed "${PHANTOMS:-3}" "$threads" 64 ${CHECKPOINT:-})"
fi
