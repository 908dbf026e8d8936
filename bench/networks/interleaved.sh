#!/usr/bin/env bash
# fp32 timing of one full-size SwinUNETR-V2 block, TorchSharp and PyTorch, each with glibc malloc and with
# jemalloc preloaded, interleaved over ROUNDS rounds so that load from other jobs on a shared machine
# hits every configuration alike. Prints one JSON line per process run.
# Usage: bench/networks/interleaved.sh [ROUNDS] [REPEATS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2}
repeats=${2:-2}
threads=${3:-$(nproc)}
py=/usr/bin/python3
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
[[ -e $jemalloc ]] || { apt-get update -qq && apt-get install -y -qq libjemalloc2 >/dev/null; }
$py -c 'import torch' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release -v q -nologo bench/networks/NetworkBench.csproj >/dev/null
$py bench/networks/pytorch_forward.py export "$work" swinunetr-v2
for round in $(seq "$rounds"); do
  for alloc in glibc jemalloc; do
    preload=""
    [[ $alloc == jemalloc ]] && preload=$jemalloc
    echo "round=$round allocator=$alloc load=$(cut -d' ' -f1 /proc/loadavg) $(LD_PRELOAD=$preload dotnet bench/networks/bin/Release/net10.0/NetworkBench.dll "$work" swinunetr-v2 fp32 "$repeats" "$threads")"
    echo "round=$round allocator=$alloc load=$(cut -d' ' -f1 /proc/loadavg) $(LD_PRELOAD=$preload $py bench/networks/pytorch_forward.py time "$work" swinunetr-v2 fp32 "$repeats" "$threads")"
  done
done
