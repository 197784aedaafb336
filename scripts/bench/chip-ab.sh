#!/usr/bin/env bash
# Two builds of the chip loop compared in one process (the timing pass T and the function pass F of `bench cuba
# --hardware`, one thread, steady state): each build's assemblies in a load context of their own, samples of a few
# thousand steps alternated between them, and the differences taken round by round. Load from other processes and the
# host's speed of the minute hit both builds alike, so differences of 1 % show on a shared machine, where separate
# processes (chip-overhead.sh) vary by 2-10 % between runs. Prints per build F, T (the loop's wall time less F) and the
# loop, min / 25th percentile / median us per step, then B - A paired by round (median and quartiles). An A/A run
# (the same build twice) shows the method's own spread.
#
# Usage: scripts/bench/chip-ab.sh --builds A,B [--rounds R] [--steps S] [--hardware PRESET] [--neurons N]
#   --builds A,B       two directories holding a built CLI (`dotnet build arch/Neuromorphic.Cli -c Release -o DIR`)
#   --rounds R         samples per build, at least 10 (default 100)
#   --steps S          steps per sample (default 2000)
#   --hardware PRESET  architecture preset or YAML file (default rram-40nm-256kb)
#   --neurons N        CUBA neurons (default 4000)
# The executor is the one `bench cuba --hardware` builds (CubaOnChip.Prepare, called by reflection: both builds must
# have it), warmed up as the bench warms it, plus 600 steps; each sample starts the network from rest.
set -euo pipefail

die() { echo "chip-ab: error: $*" >&2; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
builds="" rounds=100 steps=2000 hardware=rram-40nm-256kb neurons=4000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --builds) [[ $# -ge 2 ]] || die "--builds needs a value"; builds="$2"; shift 2 ;;
    --rounds) [[ $# -ge 2 ]] || die "--rounds needs a value"; rounds="$2"; shift 2 ;;
    --steps) [[ $# -ge 2 ]] || die "--steps needs a value"; steps="$2"; shift 2 ;;
    --hardware) [[ $# -ge 2 ]] || die "--hardware needs a value"; hardware="$2"; shift 2 ;;
    --neurons) [[ $# -ge 2 ]] || die "--neurons needs a value"; neurons="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
IFS=, read -r a b extra <<< "$builds"
[[ -n "${a:-}" && -n "${b:-}" && -z "${extra:-}" ]] || die "--builds takes two directories, comma-separated"
for d in "$a" "$b"; do [[ -f "$d/Neuromorphic.Arch.dll" ]] || die "$d: no Neuromorphic.Arch.dll (build the CLI there first)"; done
for n in "$rounds" "$steps" "$neurons"; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "--rounds, --steps and --neurons take positive integers, not '$n'"; done
(( rounds >= 10 )) || die "--rounds: at least 10 (the paired differences' quartiles), not $rounds"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# Intermediate files in the temporary directory too (not obj/ beside the sources): runs at once do not race.
dotnet build "$here/chip-ab/Runner" -c Release -p:NeuromorphicBin="$(cd "$a" && pwd)" --artifacts-path "$out/artifacts" -o "$out/runner" \
  > "$out/build.log" 2>&1 || { cat "$out/build.log" >&2; die "building the runner against $a failed"; }
dotnet build "$here/chip-ab/Host" -c Release --artifacts-path "$out/artifacts" -o "$out/host" > "$out/build.log" 2>&1 \
  || { cat "$out/build.log" >&2; die "building the host failed"; }
dotnet "$out/host/ChipAb.dll" "$out/runner/ChipAbRunner.dll" "$a" "$b" "$rounds" "$steps" "$hardware" "$neurons"
