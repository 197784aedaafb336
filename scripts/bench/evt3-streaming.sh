#!/usr/bin/env bash
# Streaming benchmark of the event readers (issue 13): a synthetic EVT 3.0 recording of SIZE MiB
# (default 1024) is generated in /tmp, read on one thread in-process (decode rate, peak working
# set), then inspected and converted with the command line under /usr/bin/time (maximum RSS of
# the real commands). All files are deleted at the end. Figures depend on machine load: run it
# on a quiet machine, and report `uptime` with them (the script prints it).
#
# Usage: scripts/bench/evt3-streaming.sh [SIZE_MIB]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
size="${1:-1024}"
work="$(mktemp -d /tmp/evt3-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

dotnet build -c Release -v quiet "$repo/tests/Neuromorphic.Benchmarks" >/dev/null
dotnet build -c Release -v quiet "$repo/arch/Neuromorphic.Cli" >/dev/null
bench="$repo/tests/Neuromorphic.Benchmarks/bin/Release/net10.0/Neuromorphic.Benchmarks.dll"
cli="$repo/arch/Neuromorphic.Cli/bin/Release/net10.0/neuromorphic.dll"

echo "load before: $(uptime)"
dotnet "$bench" evt3-generate "$work/synthetic.raw" "$size"
dotnet "$bench" evt3-read "$work/synthetic.raw"
rss() { grep -E "Maximum resident set size" "$1" | awk '{print $NF / 1024 " MiB"}'; }
/usr/bin/time -v -o "$work/inspect.time" dotnet "$cli" inspect "$work/synthetic.raw" >"$work/inspect.txt"
echo "inspect: $(grep -E 'polarity events' "$work/inspect.txt" | tr -s ' │' ' ') wall $(grep -E 'Elapsed' "$work/inspect.time" | awk '{print $NF}'), max RSS $(rss "$work/inspect.time")"
/usr/bin/time -v -o "$work/convert.time" dotnet "$cli" convert events "$work/synthetic.raw" "$work/cut.aedat3" --crop 0,0,64,64 >"$work/convert.txt"
echo "convert to AEDAT 3.1 (crop 64 x 64): $(cat "$work/convert.txt") wall $(grep -E 'Elapsed' "$work/convert.time" | awk '{print $NF}'), max RSS $(rss "$work/convert.time")"
/usr/bin/time -v -o "$work/convert2.time" dotnet "$cli" convert events "$work/synthetic.raw" "$work/window.csv" --time 0:2s >"$work/convert2.txt"
echo "convert to CSV (first 2 s): $(cat "$work/convert2.txt") wall $(grep -E 'Elapsed' "$work/convert2.time" | awk '{print $NF}'), max RSS $(rss "$work/convert2.time")"
echo "load after: $(uptime)"
