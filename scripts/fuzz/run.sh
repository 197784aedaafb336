#!/usr/bin/env bash
# A long fuzz campaign over every reader and loader (docs/errors.md), outside the test suite:
#   scripts/fuzz/run.sh --seed N --cases M [--target NAME] [--timeout SECONDS] [--out DIR]
# M cases in total are shared over the readers by weight; each reader runs in its own process
# (nice'd) so its peak resident memory is measured alone. Prints per reader: cases, accepted,
# refused (exit 2), unhandled exceptions, hangs over the timeout, peak RSS; failing inputs are
# saved under DIR/failures with the edits that made them. Exit 0 only if no reader had an
# unhandled exception, a hang or a process over 4 GiB.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
seed=1 cases=200000 target="" timeout=30 out="fuzz-out"
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed="$2"; shift 2 ;;
    --cases) cases="$2"; shift 2 ;;
    --target) target="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n 2,9p "$0"; exit 0 ;;
    *) echo "error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$seed" =~ ^[0-9]+$ && "$cases" =~ ^[0-9]+$ && "$timeout" =~ ^[0-9]+$ ]] || { echo "error: --seed, --cases and --timeout take whole numbers" >&2; exit 2; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$out"
out="$(cd "$out" && pwd)"
project="$here/tests/Neuromorphic.Tests/Neuromorphic.Tests.csproj"
dotnet build "$project" -c Release -v quiet -nologo >/dev/null
targets=$(dotnet test "$project" -c Release --no-build --list-tests 2>/dev/null | sed -n 's/^ *Fuzz_\([a-z0-9-]*\)$/\1/p' | sort -u)
[ -n "$target" ] && targets="$target"
[ -n "$targets" ] || { echo "error: no fuzz targets found" >&2; exit 1; }
echo "target,cases,accepted,refused,unhandled,hangs,over_memory_bound,peak_rss_MiB,slowest_s,wall_s,crashed" > "$out/summary.csv"
status=0
for t in $targets; do
  report="$out/$t.json"
  rm -f "$report"
  start=$(date +%s)
  # FUZZ_TOTAL_CASES is the campaign's total: the test takes this target's share by weight.
  total="$cases"; [ -n "$target" ] && total=""
  FUZZ_TARGET="$t" FUZZ_SEED="$seed" FUZZ_TOTAL_CASES="$total" FUZZ_CASES="${target:+$cases}" FUZZ_TIMEOUT_S="$timeout" \
  FUZZ_REPORT="$report" FUZZ_FAILURES="$out/failures" \
    /usr/bin/time -f "%M" -o "$out/$t.rss" nice -n 10 dotnet test "$project" -c Release --no-build \
      --filter "Category=Fuzz&Name=Fuzz_$t" > "$out/$t.log" 2>&1 || true
  wall=$(( $(date +%s) - start ))
  rss_kb=$(tail -1 "$out/$t.rss" 2>/dev/null | tr -dc 0-9); rss_kb=${rss_kb:-0}
  python3 - "$report" "$t" "$rss_kb" "$wall" >> "$out/summary.csv" <<'PY'
import json, sys
path, name, rss_kb, wall = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
try:
    r = json.load(open(path))
    print(f"{name},{r['Cases']},{r['Accepted']},{r['BadInput']},{r['Unhandled']},{r['Hangs']},{r['TooMuchMemory']},{rss_kb/1024:.0f},{r['SlowestSeconds']:.2f},{wall},no")
except (OSError, ValueError):
    # No report: the process died (a stack overflow or the like cannot be caught in-process).
    print(f"{name},,,,1,,,{rss_kb/1024:.0f},,{wall},yes")
PY
  line=$(tail -1 "$out/summary.csv")
  IFS=, read -r _ c a r u h m rss slow w crashed <<< "$line"
  printf '%-20s %8s cases  %7s accepted  %7s refused  %3s unhandled  %3s hangs  peak RSS %5s MiB  (%ss)%s\n' \
    "$t" "$c" "$a" "$r" "$u" "$h" "$rss" "$w" "$([ "$crashed" = yes ] && echo '  PROCESS DIED, see '"$out/$t.log")"
  if [ "${u:-0}" != 0 ] || [ "${h:-0}" != 0 ] || [ "${m:-0}" != 0 ] || [ "$rss" -gt 4096 ] || [ "$crashed" = yes ]; then status=1; fi
done
python3 - "$out" <<'PY'
import json, glob, os, sys
out = sys.argv[1]
for path in sorted(glob.glob(os.path.join(out, "*.json"))):
    for f in json.load(open(path))["Failures"][:3]:
        print(f"  {f['Target']} case {f['Index']}: {f['Outcome']}: {f['Detail'].splitlines()[0][:200]} ({f['Edits']}) -> {f['SavedFile']}")
PY
echo "summary: $out/summary.csv"
exit $status
