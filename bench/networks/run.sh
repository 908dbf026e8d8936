#!/usr/bin/env bash
# Network benchmark: one full-size 64×128×128 block through SwinUNETR-V2 (and, with ARCHS, the slice
# transformer), TorchSharp against the PyTorch reference (tools/reference) in the same run, same weights,
# same thread count; fp32 and mixed precision; median of REPEATS forwards after a warm-up; peak RSS per
# process. TorchSharp's fp32 outputs are compared with PyTorch's (max |difference|), mixed argmax with fp32's.
# Each process is also run with jemalloc preloaded when JEMALLOC=1.
# Usage: bench/networks/run.sh [REPEATS] [THREADS]
#   env: ARCHS="swinunetr-v2 slice", PRECISIONS="fp32 mixed", JEMALLOC=1, PHANTOMS=3, CHECKPOINT=FILE.ctseg
# bf16 is in PRECISIONS only where the CPU has bf16 instructions (AVX-512, AVX-NE-CONVERT): elsewhere one
# forward takes hours (bench/networks/bf16-profile.sh says why), and Debian's PyTorch 1.13 has no CPU bf16
# transposed convolution at all. PyTorch has no "mixed" here: that precision runs on the TorchSharp side only.
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-3}
threads=${2:-$(nproc)}
archs=${ARCHS:-swinunetr-v2}
py=/usr/bin/python3
if ! $py -c 'import torch' 2>/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null
fi
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [[ "${JEMALLOC:-0}" == 1 && ! -e $jemalloc ]]; then
  apt-get update -qq && apt-get install -y -qq libjemalloc2 >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release -v q -nologo bench/networks/NetworkBench.csproj >/dev/null
bench="dotnet bench/networks/bin/Release/net10.0/NetworkBench.dll"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); threads $threads; repeats $repeats; $(date -u +%F)"
for arch in $archs; do
  $py bench/networks/pytorch_forward.py export "$work" "$arch"
  for precision in ${PRECISIONS:-fp32 mixed}; do
    allocators=(glibc)
    [[ "${JEMALLOC:-0}" == 1 ]] && allocators+=(jemalloc)
    for alloc in "${allocators[@]}"; do
      preload=""
      [[ $alloc == jemalloc ]] && preload=$jemalloc
      echo "allocator=$alloc $(LD_PRELOAD=$preload $bench "$work" "$arch" "$precision" "$repeats" "$threads")"
      [[ $precision == mixed ]] && continue
      echo "allocator=$alloc $(LD_PRELOAD=$preload $py bench/networks/pytorch_forward.py time "$work" "$arch" "$precision" "$repeats" "$threads")"
    done
  done
done

# Lower precisions against fp32 on phantom blocks (random weights unless CHECKPOINT names trained ones).
for precision in ${PRECISIONS:-fp32 mixed}; do
  [[ $precision == fp32 ]] && continue
  for arch in $archs; do
    echo "agreement $($bench agreement "$arch" "$precision" "${PHANTOMS:-3}" "$threads" 64 ${CHECKPOINT:-})"
  done
done
