#!/usr/bin/env bash
# Benchmark (not a test): fine-tuning from Slicer's side on a real CT. ../shared/data/example_ct_sm.nii.gz with its
# TotalSegmentator segmentation brought to our classes (`ctseg dataset relabel`) is submitted as the `final` label
# to the server (as README runs it, Release); two rounds of `POST /train/swinunetr_v2` fine-tune the model the
# server serves, each publishing a version (one image and val_split 0: no validation, the last weights are
# published); after each, `ctseg infer` on the server's current version and
# `ctseg eval` against that label give the Dice on this image across versions (v0 = the starting checkpoint).
#
#   INIT=CKPT bench/train/finetune.sh     INIT: the starting checkpoint (default: the tiny phantom-trained best of
#                                         bench/train/run.sh, $WORK/run/best.ctseg); EPOCHS per round (default 40),
#                                         ACCUMULATION (default 4), WORK (default /tmp/ctseg-finetune)
# Results: bench/out/train/finetune.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
epochs=${EPOCHS:-40}
accumulation=${ACCUMULATION:-4}
work=${WORK:-/tmp/ctseg-finetune}
init=${INIT:-$work/run/best.ctseg}
data=../shared/data
out=bench/out/train
mkdir -p "$out" "$work/ft"
report="$out/finetune.txt"

dotnet build server/CtSegLabel.Server/CtSegLabel.Server.csproj -c Release -nologo -v quiet
dotnet build apps/CtSegLabel.Cli/CtSegLabel.Cli.csproj -c Release -nologo -v quiet
dll=server/CtSegLabel.Server/bin/Release/net10.0/CtSegLabel.Server.dll
ctseg="dotnet apps/CtSegLabel.Cli/bin/Release/net10.0/ctseg.dll"

ft=$work/ft
rm -rf "$ft/studies" "$ft/models" "$ft/pred" "$ft/truth"
mkdir -p "$ft/truth" "$ft/models/swinunetr_v2"
$ctseg dataset relabel --in "$data/example_seg.nii.gz" --names "$data/totalsegmentator_total_v2_classes.tsv" \
  --out "$ft/truth/example.nii.gz"
cp "$init" "$ft/models/swinunetr_v2/v0.ctseg"

pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dotnet "$dll" --studies "$ft/studies" --models "$ft/models" --port "$port" --Server:LogToConsole=false >"$ft/server.out" 2>&1 &
pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 240); do curl -fs "$url/info/" >/dev/null && break; sleep 0.5; done
curl -fs -X PUT "$url/datastore/?image=example" -F "file=@$data/example_ct_sm.nii.gz" >/dev/null
curl -fs -X PUT "$url/datastore/label?image=example&tag=final" -F "label=@$ft/truth/example.nii.gz" >/dev/null

score() {  # Dice of the server's current version on the image
  rm -rf "$ft/pred"; mkdir -p "$ft/pred"
  $ctseg infer -i "$data/example_ct_sm.nii.gz" -o "$ft/pred/example.nii.gz" --models "$ft/models" --name swinunetr_v2 >/dev/null
  $ctseg eval --pred "$ft/pred" --gt "$ft/truth" --json "$ft/eval-$1.json" | grep -i "mean" | head -1
}

{
  echo "# fine-tuning through POST /train/swinunetr_v2 on example_ct_sm (TotalSegmentator labels → CT table)"
  echo "# $(date -u +%FT%TZ)  $(nproc) cores  start $(basename "$init"), $epochs epochs per round, lr 2e-4, accumulation $accumulation"
  echo "v0: $(score v0)"
  for round in 1 2; do
    start=$(date +%s)
    curl -fs -X POST "$url/train/swinunetr_v2" -H 'Content-Type: application/json' \
      -d "{\"name\": \"round$round\", \"max_epochs\": $epochs, \"gradient_accumulation\": $accumulation, \"val_split\": 0}" >/dev/null
    while :; do
      status=$(curl -fs "$url/train/" | python3 -c 'import json, sys; print(json.load(sys.stdin)["status"])')
      [ "$status" = DONE ] && break
      [ "$status" = ERROR ] || [ "$status" = STOPPED ] && { curl -fs "$url/train/"; exit 1; }
      sleep 2
    done
    stats=$(curl -fs "$url/info/" | python3 -c 'import json, sys; s = json.load(sys.stdin)["train_stats"]["swinunetr_v2"]; print(s["version"], "after", s["epoch"], "epochs")')
    echo "round $round ($(( $(date +%s) - start )) s): $stats; $(score "v$round")"
  done
  echo "## versions"
  curl -fs "$url/model/swinunetr_v2/versions" | python3 -c 'import json, sys
for v in json.load(sys.stdin)["versions"]:
    print(v["name"], v["source"], v.get("parent"), v["metrics"].get("best_dice"), "current" if v["current"] else "")'
} | tee "$report"
