#!/usr/bin/env bash
# Benchmark (not a test): training the tiny SwinUNETR-V2 (feature size 12, 32×64×64 blocks) from random weights on
# 16 phantoms for a fixed CPU time budget with `ctseg train` — the thesis's losses and augmentations, AdamW lr 1e-3 —
# then scoring the best checkpoint on 4 phantoms it never saw (`ctseg infer` + `ctseg eval`: Dice per class, PQ per
# rib/vertebra group). Validation is the trainer's own split of the 16 (20 %).
#
#   bench/train/run.sh            MINUTES (default 20), ACCUMULATION (default 4), THREADS (default nproc), WORK (keep files)
# Results: bench/out/train/tiny-<minutes>min.txt (training log tail, evaluation), curve.csv/png beside it.
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${MINUTES:-20}
accumulation=${ACCUMULATION:-4}
threads=${THREADS:-$(nproc)}
out=bench/out/train
mkdir -p "$out"
report="$out/tiny-${minutes}min.txt"

dotnet build apps/CtSegLabel.Cli/CtSegLabel.Cli.csproj -c Release -nologo -v quiet
ctseg="dotnet apps/CtSegLabel.Cli/bin/Release/net10.0/ctseg.dll"
work=${WORK:-$(mktemp -d)}
[ -z "${WORK:-}" ] && trap 'rm -rf "$work"' EXIT

# 128×128 in-plane phantoms of every range kind; the held-out four come from another seed.
[ -d "$work/train" ] || $ctseg phantom --out "$work/train" --count 16 --seed 21 --size 128 >/dev/null
[ -d "$work/test" ] || $ctseg phantom --out "$work/test" --count 4 --seed 22 --size 128 >/dev/null

start=$(date +%s)
OMP_NUM_THREADS=$threads $ctseg train --studies "$work/train" --model swinunetr_v2 --arch swinunetr-v2 --config tiny \
  --in-plane 64 --block-slices 32 --epochs 100000 --minutes "$minutes" --accumulation "$accumulation" --lr 1e-3 \
  --out "$work/run" >"$work/train.log" 2>&1 || { tail -20 "$work/train.log"; exit 1; }
train_s=$(( $(date +%s) - start ))

mkdir -p "$work/pred"
for image in "$work"/test/*.nii.gz; do
  OMP_NUM_THREADS=$threads $ctseg infer -i "$image" -o "$work/pred/$(basename "$image")" --model "$work/run/best.ctseg" >/dev/null
done
$ctseg eval --pred "$work/pred" --gt "$work/test/labels/final" --json "$work/eval.json" >"$work/eval.txt"

cp "$work/run/curve.csv" "$work/run/curve.png" "$out/"
{
  echo "# ctseg train, tiny SwinUNETR-V2, 16 phantoms, ${minutes} min budget, accumulation $accumulation, $threads threads"
  echo "# $(date -u +%FT%TZ)  $(nproc) cores  load at end $(cut -d' ' -f1-3 /proc/loadavg)  wall ${train_s} s"
  echo "## training log (tail)"
  tail -8 "$work/train.log"
  echo "## curve (epoch, step, loss, dice, seconds)"
  cat "$work/run/curve.csv"
  echo "## held-out evaluation (4 unseen phantoms)"
  cat "$work/eval.txt"
} >"$report"
cat "$report"
