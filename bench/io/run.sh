#!/usr/bin/env bash
# I/O benchmark: CtSegLabel against nibabel on the same 512×512×300 int16 phantom .nii.gz, same run.
# Usage: bench/io/run.sh [REPEATS]   (installs python3-nibabel from Debian if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats=${1:-5}
py=/usr/bin/python3
if ! $py -c 'import nibabel' 2>/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3-nibabel >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for p in apps/CtSegLabel.Cli bench/CtSegLabel.Bench; do dotnet build -c Release -v q -nologo "$p" >/dev/null; done
dotnet apps/CtSegLabel.Cli/bin/Release/net10.0/ctseg.dll phantom --out "$work" --count 1 --seed 7 --slices 300 --size 512 >/dev/null
file=$(ls "$work"/*.nii.gz | head -n 1)
echo "file: $(basename "$file"), $(du -h "$file" | cut -f1) on disk; $(nproc) cores; repeats $repeats"
echo "| tool | operation | data | median time | throughput (raw voxel MB/s) |"
echo "| --- | --- | --- | --- | --- |"
dotnet bench/CtSegLabel.Bench/bin/Release/net10.0/CtSegLabel.Bench.dll io "$file" --repeats "$repeats" --levels 1,2,6
$py bench/io/nibabel_io.py "$file" "$repeats"
