#!/usr/bin/env bash
# CUBA benchmark: the neuromorphic simulator (`neuromorphic bench cuba`) against Brian2 2.5.1
# (Debian's python3-brian, cpp_standalone device, single thread), same network size, duration
# and seeds, runs alternated. Prints every run, then a summary (run-loop times, synaptic
# events/s and their ratio, firing rates, per-neuron rate quantiles and a two-sample KS test),
# and writes the summary as JSON.
#
# Usage: scripts/bench/cuba-vs-brian2.sh [--duration S] [--repeats R] [--neurons N[,N...]] [--quick]
#                                        [--large-duration S] [--brian-max N] [--threads T]
#                                        [--json-out FILE] [--keep] [--no-build]
#   --duration S     simulated seconds per run (default 10; env DURATION)
#   --repeats R      runs per simulator, seeds 1..R (default 5; env REPEATS)
#   --neurons LIST   network size(s), 80 % excitatory, comma-separated for a scaling run, e.g.
#                    4000,40000,400000,4000000 (default 4000; env NEURONS)
#   --large-duration S  sizes above 40,000 neurons run min(--duration, S) seconds (default 0.5;
#                    env LARGE_DURATION): 4 M neurons simulate about 2e9 events per second
#   --brian-max N    run Brian2 only up to N neurons (default 400000; env BRIAN_MAX); larger
#                    sizes are ours alone
#   --threads T      our threads (default 1, like Brian2's single thread; env THREADS)
#   --quick          smoke test: duration 1 s, 2 repeats (explicit --duration/--repeats win)
#   --json-out FILE  summary JSON (default ./cuba-vs-brian2.json; env JSON_OUT); with several
#                    sizes, one object {"sizes": [per-size summary, ...]}
#   --keep           keep the work directory (Brian2 project, raw outputs) under /tmp
#   --no-build       do not run `dotnet build` (use the existing Release build)
# Testing hook: OURS_CMD="cmd args" replaces `dotnet <neuromorphic.dll>` (e.g. a fake).
#
# Brian2's timing is its own run-loop time (Network::run, std::clock), read from the
# results/last_run_info.txt the compiled program writes (what Brian2 loads into
# device._last_run_time); compilation is excluded. The Brian2 project is compiled once; each
# seed only rewrites the seed literal in main.cpp and recompiles that one file.
set -euo pipefail

die() { echo "cuba-vs-brian2: error: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
py=/usr/bin/python3

duration="${DURATION:-}"
repeats="${REPEATS:-}"
neurons="${NEURONS:-4000}"
large_duration="${LARGE_DURATION:-0.5}"
brian_max="${BRIAN_MAX:-400000}"
threads="${THREADS:-1}"
json_out="${JSON_OUT:-cuba-vs-brian2.json}"
quick=0 keep=0 build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) [[ $# -ge 2 ]] || die "--duration needs a value"; duration="$2"; shift 2 ;;
    --duration=*) duration="${1#*=}"; shift ;;
    --repeats) [[ $# -ge 2 ]] || die "--repeats needs a value"; repeats="$2"; shift 2 ;;
    --repeats=*) repeats="${1#*=}"; shift ;;
    --neurons) [[ $# -ge 2 ]] || die "--neurons needs a value"; neurons="$2"; shift 2 ;;
    --neurons=*) neurons="${1#*=}"; shift ;;
    --large-duration) [[ $# -ge 2 ]] || die "--large-duration needs a value"; large_duration="$2"; shift 2 ;;
    --large-duration=*) large_duration="${1#*=}"; shift ;;
    --brian-max) [[ $# -ge 2 ]] || die "--brian-max needs a value"; brian_max="$2"; shift 2 ;;
    --brian-max=*) brian_max="${1#*=}"; shift ;;
    --threads) [[ $# -ge 2 ]] || die "--threads needs a value"; threads="$2"; shift 2 ;;
    --threads=*) threads="${1#*=}"; shift ;;
    --json-out) [[ $# -ge 2 ]] || die "--json-out needs a value"; json_out="$2"; shift 2 ;;
    --json-out=*) json_out="${1#*=}"; shift ;;
    --quick) quick=1; shift ;;
    --keep) keep=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
if [[ $quick == 1 ]]; then
  duration="${duration:-1}"
  repeats="${repeats:-2}"
fi
duration="${duration:-10}"
repeats="${repeats:-5}"
[[ "$repeats" =~ ^[1-9][0-9]*$ ]] || die "--repeats must be a positive integer, got '$repeats'"
[[ "$neurons" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--neurons must be positive integers separated by commas, got '$neurons'"
[[ "$brian_max" =~ ^[0-9]+$ ]] || die "--brian-max must be a whole number, got '$brian_max'"
[[ "$threads" =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer, got '$threads'"
[[ "$large_duration" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] && awk -v d="$large_duration" 'BEGIN{exit !(d>0)}' \
  || die "--large-duration must be a positive number of seconds, got '$large_duration'"
IFS=, read -r -a sizes <<<"$neurons"
[[ "$duration" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] && awk -v d="$duration" 'BEGIN{exit !(d>0)}' \
  || die "--duration must be a positive number of seconds, got '$duration'"
[[ -n "$json_out" ]] || die "--json-out must not be empty"
case "$json_out" in /*) ;; *) json_out="$PWD/$json_out" ;; esac
[[ -d "$(dirname "$json_out")" ]] || die "directory of --json-out does not exist: $(dirname "$json_out")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Debian's pythran (pulled in by python3-brian) warns on import with recent numpy.
export PYTHONWARNINGS="ignore::FutureWarning${PYTHONWARNINGS:+,$PYTHONWARNINGS}"

# --- 1. Brian2 (Debian's python3-brian), g++ and make --------------------------------------
need_pkgs=()
if ! { [[ -x $py ]] && $py -c "import brian2" >/dev/null 2>&1; }; then need_pkgs+=(python3-brian); fi
command -v g++ >/dev/null 2>&1 || need_pkgs+=(g++)
command -v make >/dev/null 2>&1 || need_pkgs+=(make)
if [[ ${#need_pkgs[@]} -gt 0 ]]; then
  echo "Missing: ${need_pkgs[*]} (Brian2 for $py and its cpp_standalone toolchain)."
  if [[ "$(id -u)" -ne 0 ]]; then
    die "not root, cannot install. Run as root, or: sudo apt-get update && sudo apt-get install -y ${need_pkgs[*]}"
  fi
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install ${need_pkgs[*]} (Debian/Ubuntu) by hand"
  echo "Installing with apt-get: ${need_pkgs[*]}"
  apt-get update || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_pkgs[@]}" \
    || die "apt-get install ${need_pkgs[*]} failed"
  $py -c "import brian2" || die "python3-brian installed but '$py -c \"import brian2\"' still fails"
fi
brian_version="$($py -c 'import brian2; print(brian2.__version__)' 2>/dev/null)"

work="$(mktemp -d /tmp/cuba-vs-brian2.XXXXXX)"
cleanup() { if [[ $keep == 1 ]]; then echo "Work directory kept: $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

echo "CUBA benchmark: ${neurons//,/, } neurons, ${duration} s simulated (above 40,000 neurons at most ${large_duration} s), $repeats seeds per simulator; our threads: $threads; Brian2 $brian_version up to $brian_max neurons"

# --- 2. our CLI ---------------------------------------------------------------------------
dll="$repo/arch/Neuromorphic.Cli/bin/Release/net10.0/neuromorphic.dll"
if [[ -n "${OURS_CMD:-}" ]]; then
  read -r -a ours_cmd <<<"$OURS_CMD"
  echo "Our simulator: OURS_CMD=$OURS_CMD (test hook; no build)"
else
  ours_cmd=(dotnet "$dll")
  if [[ $build == 1 ]]; then
    echo "Building the CLI (Release)..."
    t0=$(date +%s.%N)
    if ! (cd "$repo" && dotnet build arch/Neuromorphic.Cli -c Release -nologo -v quiet) >"$work/dotnet-build.log" 2>&1; then
      cat "$work/dotnet-build.log" >&2
      die "dotnet build arch/Neuromorphic.Cli -c Release failed"
    fi
    echo "  built in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
  fi
  [[ -f "$dll" ]] || die "$dll not found (build failed or was skipped)"
fi

# --- 3-5. per size: Brian2 project, alternate runs, summary ------------------------------
summaries=()
for n in "${sizes[@]}"; do
  size_duration="$duration"
  if (( n > 40000 )); then size_duration="$(awk -v a="$duration" -v b="$large_duration" 'BEGIN{print (a < b) ? a : b}')"; fi
  with_brian=1
  (( n <= brian_max )) || with_brian=0
  dir="$work/n$n"
  mkdir -p "$dir"
  echo
  echo "== $n neurons, ${size_duration} s simulated$([[ $with_brian == 0 ]] && echo ", ours only (above --brian-max $brian_max)")"

  if [[ $with_brian == 1 ]]; then
    echo "Generating and compiling the Brian2 cpp_standalone project..."
    if ! $py "$here/brian2_cuba.py" build --dir "$dir/brian2" --neurons "$n" --duration "$size_duration" \
         >"$dir/brian-build.out" 2>"$dir/brian-build.err"; then
      cat "$dir/brian-build.out" "$dir/brian-build.err" >&2
      die "Brian2 build failed ($n neurons)"
    fi
    tail -n 1 "$dir/brian-build.out" >"$dir/brian-build.json"
    $py - "$dir/brian-build.json" <<'EOF'
import json, sys
b = json.load(open(sys.argv[1]))
print(f"  Brian2 {b['brian2_version']}: code generation + compilation {b['codegen_and_compile_s']:.1f} s "
      f"(make {b['make_s']:.1f} s); not part of the timings")
EOF
  fi

  echo "Runs (loop = simulation-loop time only; RTF = loop time / simulated time):"
  for ((k = 1; k <= repeats; k++)); do
    if ! (cd "$repo" && "${ours_cmd[@]}" bench cuba --neurons "$n" --duration "$size_duration" \
          --seed "$k" --threads "$threads" --json --rates "$dir/ours-$k.rates") >"$dir/ours-$k.raw" 2>"$dir/ours-$k.err"; then
      cat "$dir/ours-$k.raw" "$dir/ours-$k.err" >&2
      die "our run failed: ${ours_cmd[*]} bench cuba --neurons $n --duration $size_duration --seed $k --threads $threads --json --rates FILE"
    fi
    [[ -s "$dir/ours-$k.rates" ]] || die "our run ($n neurons, seed $k) wrote no --rates file"
    $py "$here/cuba_compare.py" ours "$dir/ours-$k.raw" "$dir/ours-$k.json"
    $py "$here/cuba_compare.py" line neuromorphic "$dir/ours-$k.json"

    [[ $with_brian == 1 ]] || continue
    if ! $py "$here/brian2_cuba.py" run --dir "$dir/brian2" --seed "$k" --rates "$dir/brian-$k.rates" \
         >"$dir/brian-$k.out" 2>"$dir/brian-$k.err"; then
      cat "$dir/brian-$k.out" "$dir/brian-$k.err" >&2
      die "Brian2 run failed ($n neurons, seed $k)"
    fi
    tail -n 1 "$dir/brian-$k.out" >"$dir/brian-$k.json"
    $py "$here/cuba_compare.py" line brian2 "$dir/brian-$k.json"
  done

  size_json="$dir/summary.json"
  [[ ${#sizes[@]} == 1 ]] && size_json="$json_out"
  extra=()
  [[ $with_brian == 1 ]] || extra=(--ours-only)
  $py "$here/cuba_compare.py" summary "$dir" --repeats "$repeats" --neurons "$n" \
    --duration "$size_duration" --json-out "$size_json" "${extra[@]}"
  summaries+=("$size_json")
  # Per-neuron rate files are large at millions of neurons; the summary holds what they gave.
  rm -f "$dir"/*.rates
done

if [[ ${#sizes[@]} -gt 1 ]]; then
  $py "$here/cuba_compare.py" scaling "$json_out" "${summaries[@]}"
fi
echo "Summary JSON: $json_out"
