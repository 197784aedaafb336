#!/usr/bin/env bash
# Checks the sweep machinery on a real sweep (default arch/sweeps/lsm-64.yaml):
#  1. --jobs 2 against --jobs 1: the speed-up, and byte-identical sweep.csv;
#  2. SIGKILL halfway, then rerun: finished points are not recomputed, sweep.csv byte-identical;
#  3. four shards merged: the same sweep.csv as the unsharded run.
# Usage: scripts/sweeps/check-sweep.sh [SWEEP.yaml] [WORK_DIR]
set -euo pipefail
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }
case "${1:-}" in -h|--help) usage; exit 0 ;; -*) echo "check-sweep: error: unknown option '$1' (see --help)" >&2; exit 2 ;; esac
here="$(cd "$(dirname "$0")/../.." && pwd)"
sweep="${1:-$here/arch/sweeps/lsm-64.yaml}"
[ -f "$sweep" ] || { echo "check-sweep: error: $sweep: no such sweep file" >&2; exit 2; }
work="${2:-$(mktemp -d /tmp/check-sweep.XXXXXX)}"
dotnet build "$here/arch/Neuromorphic.Cli" -c Release -v quiet >/dev/null
nm() { dotnet "$here/arch/Neuromorphic.Cli/bin/Release/net10.0/neuromorphic.dll" "$@"; }
now() { date +%s.%N; }
points() { ls "$1/points" 2>/dev/null | wc -l; }

echo "== 1. jobs 1 against jobs 2 ($sweep)"
t0=$(now); nm sweep "$sweep" --out "$work/jobs1" --jobs 1 >/dev/null; t1=$(now)
nm sweep "$sweep" --out "$work/jobs2" --jobs 2 >/dev/null; t2=$(now)
one=$(echo "$t1 - $t0" | bc -l); two=$(echo "$t2 - $t1" | bc -l)
printf 'jobs 1: %.1f s, jobs 2: %.1f s, speed-up %.2fx\n' "$one" "$two" "$(echo "$one / $two" | bc -l)"
cmp "$work/jobs1/sweep.csv" "$work/jobs2/sweep.csv" && echo "sweep.csv identical"
total=$(points "$work/jobs1")

echo "== 2. SIGKILL halfway, then rerun"
nm sweep "$sweep" --out "$work/killed" --jobs 2 >/dev/null 2>&1 & pid=$!
while [ "$(points "$work/killed")" -lt $((total / 2)) ]; do sleep 0.2; done
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
before=$(points "$work/killed")
out=$(nm sweep "$sweep" --out "$work/killed" --jobs 2)
echo "$out" | grep -o '[0-9]* run now, [0-9]* already done'
echo "$out" | grep -q "$((total - before)) run now, $before already done" && echo "killed at $before of $total points; rerun computed only the rest"
cmp "$work/jobs1/sweep.csv" "$work/killed/sweep.csv" && echo "sweep.csv identical to the uninterrupted run"

echo "== 3. four shards"
for i in 0 1 2 3; do nm sweep "$sweep" --out "$work/shard$i" --jobs 1 --shard "$i/4" >/dev/null; done
nm sweep merge "$work/shard0" "$work/shard1" "$work/shard2" "$work/shard3" --out "$work/merged" >/dev/null
cmp "$work/jobs1/sweep.csv" "$work/merged/sweep.csv" && echo "merged shards identical to the unsharded run"
echo "all checks passed ($work)"
