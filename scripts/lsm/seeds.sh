#!/usr/bin/env bash
# Runs an LSM configuration over several seeds and prints every seed's activity and accuracies and
# their mean +- standard deviation (the figures docs/lsm.md reports).
#   scripts/lsm/seeds.sh [CONFIG] [WORKLOAD_FOLDER] [SEEDS...]
#   scripts/lsm/seeds.sh arch/presets/rram-lsm-nmnist-paper.yaml ../shared/fixtures/nmnist-small 1 2 3 4 5
# Run directories go to runs/seeds/<config name>/seed<N>.
set -euo pipefail
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }
case "${1:-}" in -h|--help) usage; exit 0 ;; -*) echo "seeds: error: unknown option '$1' (see --help)" >&2; exit 2 ;; esac
here="$(cd "$(dirname "$0")/../.." && pwd)"
config="${1:-arch/presets/rram-lsm-nmnist-paper.yaml}"
folder="${2:-../shared/fixtures/nmnist-small}"
shift $(( $# > 2 ? 2 : $# ))
seeds=("$@")
[ ${#seeds[@]} -eq 0 ] && seeds=(1 2 3 4 5)
# Checked before the first (minutes-long) run, not after it.
case "$config" in *.yaml|*.yml|*/*) [ -f "$config" ] || { echo "seeds: error: $config: no such configuration file" >&2; exit 2; } ;; esac
[ -d "$folder" ] || { echo "seeds: error: $folder: no such workload folder" >&2; exit 2; }
for seed in "${seeds[@]}"; do [[ $seed =~ ^[0-9]+$ ]] || { echo "seeds: error: '$seed' is not a seed (a whole number >= 0)" >&2; exit 2; }; done
name="$(basename "$config" .yaml)"
dirs=()
for seed in "${seeds[@]}"; do
  out="runs/seeds/$name/seed$seed"
  "$here/neuromorphic" run "$config" --workload-path "$folder" --seed "$seed" --out "$out" --json > /dev/null
  dirs+=("$out")
done
/usr/bin/python3 - "${dirs[@]}" <<'PY'
import json, statistics, sys
keys = ["reservoir_activity", "software_reservoir_activity", "softmax_accuracy", "softmax_software_accuracy",
        "ridge_accuracy", "ridge_software_accuracy", "ridge_baseline_accuracy", "golden_spike_agreement"]
rows = []
for d in sys.argv[1:]:
    s = json.load(open(f"{d}/summary.json"))
    rows.append([s.get(k) for k in keys])
    print(f"seed {s['seed']}: " + ", ".join(f"{k} {100 * v:.1f} %" for k, v in zip(keys, rows[-1]) if v is not None))
for i, k in enumerate(keys):
    v = [r[i] for r in rows if r[i] is not None]
    if v:
        sd = statistics.stdev(v) if len(v) > 1 else 0.0
        print(f"{k}: {100 * statistics.mean(v):.1f} +- {100 * sd:.1f} %")
PY
