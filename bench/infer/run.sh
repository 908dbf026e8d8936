#!/usr/bin/env bash
# Benchmark (not a test): a whole-body CT through POST /infer with the full-size SwinUNETR-V2 — what a Slicer user
# waits for after pressing "Run". A 512×512×300 phantom (0.9×0.9×3 mm: 300 model slices, 9 windows), the server
# process as README runs it (Release), one request as the extension sends it; stage latencies from the answer,
# the server's peak RSS (VmHWM) from /proc. The peer in the same run: the PyTorch reference network
# (tools/reference, Debian's python3-torch) forwarding one 64×128×128 block with the same thread count.
#
#   bench/infer/run.sh [PRECISION] [RIBS]   PRECISION fp32 (default) | bf16 | mixed; RIBS connected_components | clustering
# Results: bench/out/infer/<precision>-<ribs>.txt (the answer's JSON part and the measurements).
set -euo pipefail
cd "$(dirname "$0")/../.."
precision=${1:-fp32}
ribs=${2:-connected_components}
threads=${THREADS:-$(nproc)}
out=bench/out/infer
mkdir -p "$out"
report="$out/$precision-$ribs.txt"

dotnet build server/CtSegLabel.Server/CtSegLabel.Server.csproj -c Release -nologo -v quiet
dotnet build apps/CtSegLabel.Cli/CtSegLabel.Cli.csproj -c Release -nologo -v quiet
dll=server/CtSegLabel.Server/bin/Release/net10.0/CtSegLabel.Server.dll
ctseg="dotnet apps/CtSegLabel.Cli/bin/Release/net10.0/ctseg.dll"

work=${WORK:-$(mktemp -d)}
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; [ -z "${WORK:-}" ] && rm -rf "$work"; }
trap cleanup EXIT

[ -f "$work/studies/phantom_0000.nii.gz" ] || $ctseg phantom --out "$work/studies" --count 1 --seed 1 --size 512 --slices 300 \
  --spacing 0.9,0.9,3 --range whole-body >/dev/null
rm -rf "$work/studies/labels"   # the image alone, as a new study
[ -f "$work/models/swinunetr_v2/untrained.ctseg" ] || $ctseg model init --arch swinunetr-v2 --config full \
  --out "$work/models/swinunetr_v2/untrained.ctseg" >/dev/null

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
OMP_NUM_THREADS=$threads dotnet "$dll" --studies "$work/studies" --models "$work/models" --logs "$work/logs" --port "$port" \
  --Server:LogToConsole=false >"$work/server.out" 2>&1 &
pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 240); do curl -fs "$url/info/" >/dev/null && break; sleep 0.5; done
rss_idle=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)

load=$(cut -d' ' -f1 /proc/loadavg)
start=$(date +%s.%N)
curl -fs -X POST "$url/infer/swinunetr_v2?image=phantom_0000" \
  -F "params={\"precision\": \"$precision\", \"ribs\": \"$ribs\"}" -o "$work/answer.bin"
end=$(date +%s.%N)
rss_peak=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)

# The reference network on one block, same threads: the peer for the network's share of the time.
peer=$(/usr/bin/python3 - "$threads" <<'PY'
import os, sys, time, resource
import torch
sys.path.insert(0, "tools/reference")
from swin_unetr_v2 import SwinUnetrV2
torch.set_num_threads(int(sys.argv[1]))
torch.manual_seed(0)
net = SwinUnetrV2(out_channels=37, embedding_dim=32).eval()
x = torch.rand(1, 1, 64, 128, 128)
with torch.no_grad():
    t = time.time(); net(x); first = time.time() - t
print(f"{first:.1f}")
PY
)

{
  echo "precision $precision, ribs $ribs, threads $threads, load average at start $load"
  python3 - "$work/answer.bin" <<'PY'
import email, json, sys
raw = open(sys.argv[1], "rb").read()
# The multipart answer as the extension parses it: the JSON part holds the result params.
boundary = raw.split(b"\r\n", 1)[0]
for part in raw.split(boundary):
    head, _, body = part.partition(b"\r\n\r\n")
    if b"application/json" in head:
        params = json.loads(body.rstrip(b"\r\n-"))
        print("latencies (s):", json.dumps(params.get("latencies")))
        print("labels:", len(params.get("label_names", {})), "model_version:", params.get("model_version"), "untrained:", params.get("untrained"))
PY
  echo "wall time of POST /infer: $(python3 -c "print(f'{$end - $start:.1f}')") s"
  echo "server peak RSS: $((rss_peak / 1024)) MB (after start-up: $((rss_idle / 1024)) MB)"
  echo "PyTorch reference, one block forward (first call): $peer s"
} | tee "$report"
