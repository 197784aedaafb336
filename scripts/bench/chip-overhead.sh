#!/usr/bin/env bash
# The hardware model's overhead (issues 11 and 16): `neuromorphic bench cuba --hardware PRESET` runs the
# chip executor and, in the same process, the functional run of the same network; this script reports
# the chip's simulation loop over the functional loop (`hardware_over_functional_time`) over several
# runs, alternating thread counts (and builds, to compare two), each run started once the machine is
# quiet, so that a change in the machine's load hits all alike. Prints every run (loop times, ratio, the
# function pass's busy time, the timing's wait, steps the producer timed, load, CPU time other
# processes used during it), then per build and thread count the minimum, median and maximum ratio,
# and whether every run of a build gave the same simulated results (spikes, energy, latency, kernel events
# per step, macro operations: they must not depend on the thread count or the run), and whether the builds
# agree (they may not, when the model changed between them: reported, not failed).
#
# Usage: scripts/bench/chip-overhead.sh [--hardware PRESET] [--duration S] [--runs R] [--threads LIST]
#                                       [--builds DIR[,DIR...]] [--quiet-wait S] [--json-out FILE]
#                                       [--no-build] [-- EXTRA BENCH OPTIONS]
#   --hardware PRESET  architecture preset or YAML file (default rram-40nm-256kb; env HARDWARE)
#   --duration S       simulated seconds per run (default 10; env DURATION)
#   --runs R           runs per build and thread count (default 6; env RUNS)
#   --threads LIST     thread counts, comma-separated (default: all cores; env THREADS), e.g. 1,2
#   --builds LIST      directories holding a built neuromorphic.dll (`dotnet build arch/Neuromorphic.Cli
#                      -c Release -o DIR`), comma-separated; runs alternate between them (default: this
#                      checkout's Release build, built first unless --no-build)
#   --quiet-wait S     before each run, wait up to S seconds for a second in which the machine is at least
#                      90 % idle (default 60; 0: no wait; env QUIET_WAIT)
#   --json-out FILE    every run as one JSON object per line (default ./chip-overhead.jsonl; env JSON_OUT)
#   --no-build         use the existing Release build of this checkout
#   -- OPTIONS         passed to `bench cuba` (e.g. -- --one-signed-layers signed_scheme)
# The issues' lines: at most 4x (#11) and 2x (#16) on CUBA-4000. Figures are only meaningful on a quiet
# machine: read the load and others-cpu-s columns (other processes' CPU seconds during the run).
set -euo pipefail

die() { echo "chip-overhead: error: $*" >&2; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
hardware="${HARDWARE:-rram-40nm-256kb}"
duration="${DURATION:-10}"
runs="${RUNS:-6}"
threads="${THREADS:-$(nproc)}"
builds=""
quiet_wait="${QUIET_WAIT:-60}"
json_out="${JSON_OUT:-chip-overhead.jsonl}"
build=1
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --hardware) [[ $# -ge 2 ]] || die "--hardware needs a value"; hardware="$2"; shift 2 ;;
    --duration) [[ $# -ge 2 ]] || die "--duration needs a value"; duration="$2"; shift 2 ;;
    --runs) [[ $# -ge 2 ]] || die "--runs needs a value"; runs="$2"; shift 2 ;;
    --threads) [[ $# -ge 2 ]] || die "--threads needs a value"; threads="$2"; shift 2 ;;
    --builds) [[ $# -ge 2 ]] || die "--builds needs a value"; builds="$2"; shift 2 ;;
    --quiet-wait) [[ $# -ge 2 ]] || die "--quiet-wait needs a value"; quiet_wait="$2"; shift 2 ;;
    --json-out) [[ $# -ge 2 ]] || die "--json-out needs a value"; json_out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$runs'"
[[ "$quiet_wait" =~ ^[0-9]+$ ]] || die "--quiet-wait must be a whole number of seconds, not '$quiet_wait'"
[[ "$threads" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--threads must be a comma-separated list of positive integers, not '$threads'"
[[ "$duration" =~ ^[0-9]*\.?[0-9]+$ ]] || die "--duration must be a positive number of seconds, not '$duration'"

if [[ -z "$builds" ]]; then
  if [[ $build -eq 1 ]]; then
    dotnet build "$repo/arch/Neuromorphic.Cli" -c Release -v q -nologo >/dev/null || die "the Release build failed"
  fi
  builds="$repo/arch/Neuromorphic.Cli/bin/Release/net10.0"
fi
IFS=',' read -ra dirs <<<"$builds"
for d in "${dirs[@]}"; do
  [[ -f "$d/neuromorphic.dll" ]] || die "no neuromorphic.dll in '$d' (build it with: dotnet build arch/Neuromorphic.Cli -c Release -o $d)"
done
IFS=',' read -ra counts <<<"$threads"

tmp="$(mktemp "${json_out}.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

# One run (scripts/bench/measured_run.py): waits (up to --quiet-wait seconds) for a second in which the machine is at
# least 90 % idle, then runs the bench and adds to its JSON the build, the load average before it and the CPU seconds
# *other* processes used during it (all cores' busy time minus the bench's own), so a disturbed run shows as one.
run_one() {
  python3 "$here/measured_run.py" --quiet-wait "$quiet_wait" --busy-share 0.10 --field "build=$1" -- \
    dotnet "$1/neuromorphic.dll" bench cuba --hardware "$hardware" --duration "$duration" --threads "$2" --json "${extra[@]}"
}

printf '%-32s %-7s %-9s %-9s %-7s %-10s %-9s %-9s %-6s %s\n' build threads chip-s func-s ratio function-s wait-s producer load others-cpu-s
for ((r = 1; r <= runs; r++)); do
  for t in "${counts[@]}"; do
    for d in "${dirs[@]}"; do
      json="$(run_one "$d" "$t")" || die "bench failed (build $d, $t threads)"
      echo "$json" >>"$tmp"
      echo "$json" | python3 -c '
import json, sys
r = json.load(sys.stdin)
f = r["functional_only"]["sim_loop_s"]
b = r["build"] if len(r["build"]) <= 32 else "..." + r["build"][-29:]
print("%-32s %-7d %-9.3f %-9.3f %-7.2f %-10.3f %-9.3f %-9d %-6.2f %.2f" % (b, r["threads"], r["sim_loop_s"], f, r["sim_loop_s"] / f,
      r["function_pass_s"], r["timing_wait_s"], r["producer_timed_steps"], r["load_before"], r["others_cpu_s"]))'
    done
  done
done

echo
status=0
python3 - "$tmp" <<'EOF' || status=$?
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
print("%-32s %-7s %-5s %-22s %-22s %s" % ("build", "threads", "runs", "ratio min/median/max", "chip loop s median", "functional loop s median"))
for build in dict.fromkeys(r["build"] for r in runs):
    for t in sorted({r["threads"] for r in runs}):
        rs = [r for r in runs if r["build"] == build and r["threads"] == t]
        if not rs: continue
        ratio = [r["sim_loop_s"] / r["functional_only"]["sim_loop_s"] for r in rs]
        b = build if len(build) <= 32 else "..." + build[-29:]
        print("%-32s %-7d %-5d %-22s %-22.3f %.3f" % (b, t, len(rs), "%.2f / %.2f / %.2fx" % (min(ratio), statistics.median(ratio), max(ratio)),
              statistics.median(r["sim_loop_s"] for r in rs), statistics.median(r["functional_only"]["sim_loop_s"] for r in rs)))
keys = ("spikes", "energy_J", "latency_cycles", "kernel_events_per_step", "macro_operations", "spikes_identical_to_functional")
results = {b: {tuple(r.get(k) for k in keys) for r in runs if r["build"] == b} for b in dict.fromkeys(r["build"] for r in runs)}
# Within a build the results must not depend on the thread count or the run; two builds may differ (a model fix
# between them), which is reported, not failed.
same = all(len(v) == 1 for v in results.values())
print("same simulated results in every run of each build (%s): %s" % (", ".join(keys), "yes" if same else "NO"))
if same and len(results) > 1:
    print("the builds' results agree: %s" % ("yes" if len({next(iter(v)) for v in results.values()}) == 1 else "no (a model change between them)"))
print("runs with other processes using > 0.1 CPU s: %d of %d" % (sum(1 for r in runs if r["others_cpu_s"] > 0.1), len(runs)))
sys.exit(0 if same else 1)
EOF
mv "$tmp" "$json_out"
trap - EXIT
echo "runs: $json_out"
exit $status
