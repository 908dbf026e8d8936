#!/usr/bin/env bash
# Benchmark (not a test): compute workers as separate processes on this machine.
#  1. throughput: N concurrent POST /infer on one CT, served by 1 and then 2 `ctseg worker` processes (the server runs
#     no in-process worker), wall time and jobs per minute;
#  2. failover: one infer, the busy worker killed with SIGKILL halfway through; time until the answer arrives from
#     the other worker, against the undisturbed time. The default heartbeat (2.5 s × 3) decides how soon the broker
#     notices; WORKER_HEARTBEAT_MS shortens it.
#   bench/workers/cluster.sh [CT.nii.gz] [N]     defaults: ../shared/data/example_ct_sm.nii.gz, 4 requests
# The model is the tiny SwinUNETR-V2 (random weights: the timing is what matters). Results: bench/out/workers/cluster.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
ct=$(realpath "${1:-../shared/data/example_ct_sm.nii.gz}")
n=${2:-4}
heartbeat=${WORKER_HEARTBEAT_MS:-2500}
out=bench/out/workers
mkdir -p "$out"
report="$out/cluster.txt"

dotnet build server/CtSegLabel.Server/CtSegLabel.Server.csproj -c Release -nologo -v quiet
dotnet build apps/CtSegLabel.Cli/CtSegLabel.Cli.csproj -c Release -nologo -v quiet
server="dotnet server/CtSegLabel.Server/bin/Release/net10.0/CtSegLabel.Server.dll"
ctseg="dotnet apps/CtSegLabel.Cli/bin/Release/net10.0/ctseg.dll"

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

mkdir -p "$work/studies"
cp "$ct" "$work/studies/ct.nii.gz"
$ctseg model init --arch swinunetr-v2 --config tiny --classes 37 --out "$work/models/swinunetr_v2/tiny.ctseg" >/dev/null

port=$(free_port)
wport=$(free_port)
url="http://127.0.0.1:$port"
endpoint="tcp://127.0.0.1:$wport"
$server --studies "$work/studies" --models "$work/models" --logs "$work/logs" --port "$port" --in-process-worker false \
  --workers-endpoint "$endpoint" --Server:WorkerHeartbeatMs="$heartbeat" --Server:LogToConsole=false >"$work/server.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do curl -fs "$url/info/" >/dev/null && break; sleep 0.5; done

workers() { curl -fs "$url/info/" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["workers"]))'; }
start_worker() {
  $ctseg worker --connect "$endpoint" --models "$work/models" --name "$1" --heartbeat-ms "$heartbeat" >"$work/$1.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do [ "$(workers)" -ge "$2" ] && return; sleep 0.5; done
  echo "worker $1 did not connect" >&2; exit 1
}
infer() { curl -fs -o /dev/null -w '%{time_total}\n' -F 'params={}' "$url/infer/swinunetr_v2?image=ct&output=json"; }
burst() {
  local start end requests=()
  start=$(date +%s.%N)
  for _ in $(seq 1 "$n"); do infer >/dev/null & requests+=($!); done
  wait "${requests[@]}"
  end=$(date +%s.%N)
  python3 -c "w=$end-$start; print(f'| $1 | $n | {w:.1f} | {$n*60/w:.1f} |')"
}

# Everything below also goes to the report; not a `{ …; } | tee` group, whose subshell would keep the workers'
# pids from the cleanup.
exec > >(tee "$report")
{
  echo "CT $(basename "$ct"), tiny SwinUNETR-V2, $(nproc) cores, heartbeat ${heartbeat} ms"
  start_worker w1 1
  infer >/dev/null   # warm-up: model load on w1
  single=$(infer)
  echo "one infer on an idle worker: ${single} s"
  echo
  echo "| workers | requests | wall s | jobs/min |"
  echo "| ---: | ---: | ---: | ---: |"
  burst 1
  start_worker w2 2
  infer >/dev/null; infer >/dev/null   # warm-up w2 (jobs go to the longest-idle worker)
  burst 2
  echo
  # Failover: start one infer, kill whichever worker is busy halfway through the single-request time.
  infer >"$work/failover.time" &
  fpid=$!
  sleep "$(python3 -c "print($single/2)")"
  busy=$(curl -fs "$url/info/" | python3 -c 'import json,sys; print(next((w["pid"] for w in json.load(sys.stdin)["workers"] if w["busy"]), ""))')
  if [ -n "$busy" ]; then kill -9 "$busy"; fi
  wait "$fpid" || true
  echo "failover: worker pid ${busy:-none} killed at $(python3 -c "print(round($single/2,1))") s; answer after $(cat "$work/failover.time") s (undisturbed: ${single} s)"
  grep -h "goes to another worker\|stopped answering" "$work/logs"/*.log 2>/dev/null | tail -n 2 || true
}
