#!/usr/bin/env bash
# Benchmark (not a test): latency and throughput of GET /info/ and GET /datastore/?output=all with 64
# concurrent connections (wrk), on a datastore of 1,000 tiny NIfTI images of which 500 carry a submitted
# final label with label_info (so datastore_v2.json has realistic content). Results go to bench/out/server/.
#
#   bench/server/run.sh [DURATION_SECONDS]      (default 20; needs wrk and python3 with requests)
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-20}
out=bench/out/server
mkdir -p "$out"
command -v wrk >/dev/null || { echo "bench: wrk is required (Debian: apt-get install -y wrk)" >&2; exit 1; }

dotnet build server/CtSegLabel.Server/CtSegLabel.Server.csproj -c Release -nologo -v quiet
dll=server/CtSegLabel.Server/bin/Release/net10.0/CtSegLabel.Server.dll

work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# 1,000 images: copies of one 8x8x4 int16 NIfTI (the conformance harness's synthetic image).
python3 ../shared/conformance/monailabel_conformance.py --make-image "$work/one.nii.gz" >/dev/null
mkdir -p "$work/studies"
for n in $(seq -w 0 999); do cp "$work/one.nii.gz" "$work/studies/case_$n.nii.gz"; done

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dotnet "$dll" --studies "$work/studies" --models "$work/models" --logs "$work/logs" --port "$port" \
  --Server:LogToConsole=false >"$work/server.out" 2>&1 &
pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 120); do curl -fs "$url/info/" >/dev/null && break; sleep 0.5; done

# 500 final labels submitted through the API, as Slicer submits them.
python3 - "$url" "$work/one.nii.gz" <<'PY'
import json, sys, requests
url, label = sys.argv[1], sys.argv[2]
params = json.dumps({"label_info": [{"name": "spleen", "idx": 1}, {"name": "liver", "idx": 2}],
                     "model": "segmentation", "client_id": "bench"})
with requests.Session() as s:
    for n in range(0, 1000, 2):
        with open(label, "rb") as fh:
            r = s.put(f"{url}/datastore/label?image=case_{n:03d}", files={"label": ("tmp.nii.gz", fh)}, data={"params": params})
            r.raise_for_status()
PY
curl -fs "$url/datastore/" | tee "$out/stats.json"; echo
curl -fs -o "$out/all.json" -w "GET /datastore/?output=all body: %{size_download} bytes\n" "$url/datastore/?output=all"

for path in "/info/" "/datastore/?output=all"; do
  name=$(echo "$path" | tr -c 'a-z' '_')
  echo "== wrk -t4 -c64 -d${duration}s --latency $url$path"
  curl -fs "$url$path" >/dev/null   # warm up the route
  wrk -t4 -c64 -d"${duration}s" --latency "$url$path" | tee "$out/wrk$name.txt"
done
echo "machine: $(nproc) logical CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(dotnet --version) SDK"
