#!/usr/bin/env bash
# CUBA scaling on this machine: `neuromorphic bench cuba` at each network size on 1 thread and on
# every core, runs alternated (1 thread, N threads, 1 thread, ...) so that a change in the machine's
# load hits both alike. Prints every run with the load average, the CPU time stolen by the hypervisor
# during it, the CPU time other processes used during it, the thread-seconds the loop's threads idled
# in its steps (woken late, or waiting at a step's end for the others) and the groups one thread took
# from another's home run; then per size the medians: events/s on one thread (wall and per CPU second
# of the loop), on N threads, the speed-up (median over median, and each pair's), set-up times, bytes
# per synapse, and whether every run had the same spikes (the count and the per-neuron rate quantiles).
#
# With --builds, every pair (1 thread, N threads) runs on each build in turn, in the order given on odd
# repeats and reversed on even ones (the place in an alternation can favour a build), and the summary has a
# line per build: builds compared in the same alternation.
#
# Usage: scripts/bench/cuba-scaling.sh [--neurons N[,N...]] [--duration S] [--repeats R]
#                                      [--threads T] [--json-out FILE] [--no-build] [--quiet-wait S]
#                                      [--builds DIR[,DIR...]]
#   --neurons LIST   sizes (default 400000,4000000; env NEURONS)
#   --duration S     simulated seconds per run (default 0.2; env DURATION)
#   --repeats R      runs per thread count and size (default 3; env REPEATS)
#   --threads T      the many-thread count (default: all cores; env THREADS)
#   --json-out FILE  every run as one JSON object per line (default ./cuba-scaling.jsonl)
#   --no-build       use the existing Release build
#   --quiet-wait S   before each run, wait up to S seconds for a second in which other processes use
#                    under 5 % of the machine (default 0: no wait; env QUIET_WAIT)
#   --builds LIST    directories holding a built neuromorphic.dll (`dotnet build arch/Neuromorphic.Cli -c Release
#                    -o DIR`), comma-separated; pairs alternate between them (default: this checkout's Release
#                    build, built first unless --no-build; env BUILDS)
# Figures are only meaningful on a quiet machine: read the load column (below about 1.5 on 2 cores).
set -euo pipefail

die() { echo "cuba-scaling: error: $*" >&2; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
neurons="${NEURONS:-400000,4000000}"
duration="${DURATION:-0.2}"
repeats="${REPEATS:-3}"
threads="${THREADS:-$(nproc)}"
json_out="${JSON_OUT:-cuba-scaling.jsonl}"
quiet_wait="${QUIET_WAIT:-0}"
builds="${BUILDS:-}"
build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --neurons) [[ $# -ge 2 ]] || die "--neurons needs a value"; neurons="$2"; shift 2 ;;
    --duration) [[ $# -ge 2 ]] || die "--duration needs a value"; duration="$2"; shift 2 ;;
    --repeats) [[ $# -ge 2 ]] || die "--repeats needs a value"; repeats="$2"; shift 2 ;;
    --threads) [[ $# -ge 2 ]] || die "--threads needs a value"; threads="$2"; shift 2 ;;
    --json-out) [[ $# -ge 2 ]] || die "--json-out needs a value"; json_out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --quiet-wait) [[ $# -ge 2 ]] || die "--quiet-wait needs a value"; quiet_wait="$2"; shift 2 ;;
    --builds) [[ $# -ge 2 ]] || die "--builds needs a value"; builds="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$repeats" =~ ^[1-9][0-9]*$ ]] || die "--repeats must be a positive integer, not '$repeats'"
[[ "$quiet_wait" =~ ^[0-9]+$ ]] || die "--quiet-wait must be a whole number of seconds, not '$quiet_wait'"
[[ "$threads" =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer, not '$threads'"
[[ "$neurons" =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--neurons must be a comma-separated list of integers, not '$neurons'"

if [[ -z "$builds" ]]; then
  if [[ $build -eq 1 ]]; then
    dotnet build "$repo/arch/Neuromorphic.Cli" -c Release -v q -nologo >/dev/null || die "the Release build failed"
  fi
  [[ -f "$repo/arch/Neuromorphic.Cli/bin/Release/net10.0/neuromorphic.dll" ]] || die "no Release build in $repo/arch/Neuromorphic.Cli/bin/Release/net10.0 (run without --no-build)"
  builds="$repo/arch/Neuromorphic.Cli/bin/Release/net10.0"
fi
IFS=',' read -ra dirs <<<"$builds"
for d in "${dirs[@]}"; do
  [[ -f "$d/neuromorphic.dll" ]] || die "no neuromorphic.dll in '$d' (build it with: dotnet build arch/Neuromorphic.Cli -c Release -o $d)"
done

tmp="$(mktemp "${json_out}.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

# One run (scripts/bench/measured_run.py): waits (up to --quiet-wait seconds) for a second in which other processes
# used under 5 % of the machine, then runs the bench and adds to its JSON the load average before it, the CPU seconds
# the hypervisor stole during it, and the CPU seconds *other* processes used during it, so a disturbed run shows as one.
run_one() {
  python3 "$here/measured_run.py" --quiet-wait "$quiet_wait" --busy-share 0.05 --field "build=$3" -- \
    dotnet "$3/neuromorphic.dll" bench cuba --neurons "$1" --duration "$duration" --threads "$2" --json
}

IFS=',' read -ra sizes <<<"$neurons"
printf '%-10s %-7s %-11s %-11s %-9s %-8s %-10s %-6s %-9s %-13s %-7s %-6s %s\n' neurons threads events/s ev/cpu-s loop-s setup-s spikes load stolen-s others-cpu-s idle-s taken build
for n in "${sizes[@]}"; do
  for ((r = 1; r <= repeats; r++)); do
    order=("${dirs[@]}")
    if ((r % 2 == 0)); then
      order=()
      for ((i = ${#dirs[@]} - 1; i >= 0; i--)); do order+=("${dirs[i]}"); done
    fi
    for d in "${order[@]}"; do
      for t in 1 "$threads"; do
        json="$(run_one "$n" "$t" "$d")" || die "bench failed at $n neurons, $t threads, build $d"
        echo "$json" >>"$tmp"
        echo "$json" | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("%-10d %-7d %-11.3g %-11.3g %-9.3f %-8.2f %-10d %-6s %-9s %-13s %-7.3f %-6s %s" % (r["neurons"], r["threads"], r["synaptic_events_per_s"],
      r["synaptic_events"] / r["loop_cpu_s"], r["sim_loop_s"], r["setup_s"], r["spikes"], r["load_before"], r["stolen_s"], r["others_cpu_s"],
      r.get("loop_idle_thread_s", 0), r.get("loop_groups_taken", 0), r["build"]))'
      done
    done
  done
done

echo
python3 - "$tmp" "$threads" <<'EOF'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
many = int(sys.argv[2])
builds = list(dict.fromkeys(r["build"] for r in runs))
print("%-10s %-12s %-12s %-12s %-9s %-10s %-10s %-8s %-12s %s" % ("neurons", "1t events/s", "1t ev/cpu-s", "%dt events/s" % many,
      "speed-up", "setup 1t", "setup %dt" % many, "B/syn", "same spikes", "build"))
everyone = {n: {(r["spikes"], tuple(r["rate_quantiles_hz"])) for r in runs if r["neurons"] == n} for n in {r["neurons"] for r in runs}}
for n, b in [(n, b) for n in sorted({r["neurons"] for r in runs}) for b in builds]:
    one = [r for r in runs if r["neurons"] == n and r["threads"] == 1 and r["build"] == b]
    par = [r for r in runs if r["neurons"] == n and r["threads"] == many and r["build"] == b]
    med = lambda rs, f: statistics.median(f(r) for r in rs) if rs else float("nan")
    e1 = med(one, lambda r: r["synaptic_events_per_s"])
    en = med(par, lambda r: r["synaptic_events_per_s"])
    # The same spikes in every run of this size, whatever the build or thread count.
    same = len(everyone[n]) == 1
    print("%-10d %-12.3g %-12.3g %-12.3g %-9s %-10.2f %-10.2f %-8.2f %-12s %s" % (n, e1, med(one, lambda r: r["synaptic_events"] / r["loop_cpu_s"]),
          en, "%.2fx" % (en / e1) if par and many != 1 else "-", med(one, lambda r: r["setup_s"]), med(par, lambda r: r["setup_s"]),
          med(one, lambda r: r["bytes_per_synapse"]), "yes" if same else "NO", b))
    if par and many != 1:
        pairs = [b["synaptic_events_per_s"] / a["synaptic_events_per_s"] for a, b in zip(one, par)]
        print("%-10s per pair: %s; runs with other processes using > 0.1 CPU s: %d of %d" % ("", ", ".join("%.2fx" % x for x in pairs),
              sum(1 for r in one + par if r.get("others_cpu_s", 0) > 0.1), len(one + par)))
EOF
mv "$tmp" "$json_out"
trap - EXIT
echo "runs: $json_out"
