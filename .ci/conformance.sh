#!/usr/bin/env bash
# Starts the REAL server process on a fresh temporary studies folder and runs the MONAI Label conformance
# harness against it, the way 3D Slicer would talk to it. Exits with the harness's status; its last line
# reads "N passed, M failed".
#   .ci/conformance.sh          the test-only app (tests/CtSegLabel.TestApp): it has a trainer, so the
#                               train routes are exercised too
#   .ci/conformance.sh ct       the product's default CT app with a tiny untrained SwinUNETR-V2 checkpoint
#                               (ctseg model init), so /infer runs the real pipeline and network
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
harness=${CONFORMANCE_HARNESS:-$root/../shared/conformance/monailabel_conformance.py}
configuration=${CONFIGURATION:-Debug}
variant=${1:-testapp}

# The harness re-parses /infer answers with the cgi module the Slicer client uses: Python <= 3.12.
python=""
for candidate in ${PYTHON:-} /usr/bin/python3 python3.12 python3.11 python3.10 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(0 if sys.version_info < (3, 13) else 1)' 2>/dev/null; then
    python=$candidate
    break
  fi
done
if [ -z "$python" ]; then
  echo "conformance: need Python <= 3.12 (the harness uses the cgi module)" >&2
  exit 1
fi
if ! "$python" -c 'import requests' 2>/dev/null; then
  echo "conformance: $python lacks 'requests' (Debian: apt-get install -y python3-requests)" >&2
  exit 1
fi
if [ ! -f "$harness" ]; then
  echo "conformance: harness not found at $harness" >&2
  exit 1
fi

dotnet build server/CtSegLabel.Server/CtSegLabel.Server.csproj -c "$configuration" -nologo -v quiet
server_dll=server/CtSegLabel.Server/bin/$configuration/net10.0/CtSegLabel.Server.dll

work=$(mktemp -d)
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

case "$variant" in
  testapp)
    dotnet build tests/CtSegLabel.TestApp/CtSegLabel.TestApp.csproj -c "$configuration" -nologo -v quiet
    app_args=(--app "tests/CtSegLabel.TestApp/bin/$configuration/net10.0/CtSegLabel.TestApp.dll") ;;
  ct)
    dotnet build apps/CtSegLabel.Cli/CtSegLabel.Cli.csproj -c "$configuration" -nologo -v quiet
    dotnet "apps/CtSegLabel.Cli/bin/$configuration/net10.0/ctseg.dll" model init --arch swinunetr-v2 --config tiny \
      --classes 37 --out "$work/models/swinunetr_v2/tiny.ctseg" >/dev/null
    app_args=() ;;
  *) echo "conformance: unknown variant '$variant' (testapp, ct)" >&2; exit 2 ;;
esac

dotnet "$server_dll" --studies "$work/studies" --models "$work/models" --logs "$work/logs" \
  --host 127.0.0.1 --port "$port" "${app_args[@]}" --seed-phantoms 2 --seed-phantom-size 96 >"$work/server.out" 2>&1 &
server_pid=$!

url="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  if "$python" -c "import sys, urllib.request; urllib.request.urlopen('$url/info/', timeout=2); sys.exit(0)" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "conformance: the server exited before answering /info/:" >&2
    cat "$work/server.out" >&2
    exit 1
  fi
  sleep 0.5
done

status=0
"$python" "$harness" --url "$url" || status=$?
if [ "$status" -ne 0 ]; then
  echo "conformance: server log follows" >&2
  tail -n 100 "$work/server.out" >&2
fi
exit "$status"
