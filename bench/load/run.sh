#!/usr/bin/env bash
# Benchmark (not a test): issue #8's bounded load test. Builds the server, the test app and the benchmark in Release,
# then runs `CtSegLabel.Bench load` (the real server process on loopback, /info/, queued /infer and label-upload users
# at once). Extra arguments go to it; results go to bench/out/load/ (JSON + markdown), the exit code is its verdict.
#
#   bench/load/run.sh [--app ct|test] [--seconds 60] [--info-clients 100] [--infer-clients 8] [--label-clients 8]
#                     [--max-concurrent-infers 1] [--worker-queue 4] [--memory-budget-mb N]
set -euo pipefail
cd "$(dirname "$0")/../.."
for project in server/CtSegLabel.Server tests/CtSegLabel.TestApp bench/CtSegLabel.Bench; do
  dotnet build "$project" -c Release -nologo -v quiet
done
echo "machine: $(nproc) logical CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg), $(dotnet --version) SDK"
dotnet bench/CtSegLabel.Bench/bin/Release/net10.0/CtSegLabel.Bench.dll load --out bench/out/load "$@"
