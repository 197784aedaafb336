#!/usr/bin/env bash
# Fashion-MNIST as N-MNIST-style event data: installs Debian's dataset-fashion-mnist if it is
# missing, then converts images with the same DVS saccade emulator as the built-in workload
# (Neuromorphic.Sim.Workloads.ImageToEvents: 28 x 28 centred on a 34 x 34 sensor, the N-MNIST
# triangle of three 100 ms saccades) into N-MNIST .bin files laid out like the N-MNIST download:
#   DIR/Train/<label>/<index>.bin   (first COUNT training images, balanced over the 10 classes)
#   DIR/Test/<label>/<index>.bin    (first TEST_COUNT test images, balanced likewise)
# where <index> is the image's position in its IDX file, zero-padded to 5 digits.
#
# Usage: scripts/fashion-mnist-events.sh [--count N] [--test-count M] [--out DIR] [--seed S] [--force]
#   --count N       training images to convert (default 1000; env COUNT)
#   --test-count M  test images to convert (default: same as --count; env TEST_COUNT)
#   --out DIR       output folder (default data/fashion-mnist-events in the repository; env OUT)
#   --seed S        seed of the emulated sensor and its noise (default 1; env SEED)
#   --force         replace DIR/Train and DIR/Test if they hold a conversion with other settings
#
# Idempotent: a finished conversion leaves DIR/.fashion-mnist-events.stamp with its settings;
# running again with the same settings does nothing, and an interrupted run is resumed. Output is deterministic: the same settings
# give byte-identical files on any machine.
# Needs root (or the package already installed) to install dataset-fashion-mnist with apt-get.
# Env FASHION_MNIST_DIR: a folder holding {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]
# instead of the Debian package.
# Testing hook: NEUROMORPHIC_CMD="cmd args" replaces
# `dotnet run --project arch/Neuromorphic.Cli -c Release --` (e.g. an installed `neuromorphic`).
set -euo pipefail

die() { echo "fashion-mnist-events: error: $*" >&2; exit 1; }
# Bad arguments exit 2 (as the command line does); die's 1 is for the environment (no dataset, the conversion failing).
bad() { echo "fashion-mnist-events: error: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

count="${COUNT:-1000}"
test_count="${TEST_COUNT:-}"
out="${OUT:-}"
seed="${SEED:-1}"
force=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) [[ $# -ge 2 ]] || bad "--count needs a value"; count="$2"; shift 2 ;;
    --count=*) count="${1#*=}"; shift ;;
    --test-count) [[ $# -ge 2 ]] || bad "--test-count needs a value"; test_count="$2"; shift 2 ;;
    --test-count=*) test_count="${1#*=}"; shift ;;
    --out) [[ $# -ge 2 ]] || bad "--out needs a value"; out="$2"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    --seed) [[ $# -ge 2 ]] || bad "--seed needs a value"; seed="$2"; shift 2 ;;
    --seed=*) seed="${1#*=}"; shift ;;
    --force) force=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "fashion-mnist-events: error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
test_count="${test_count:-$count}"
[[ "$count" =~ ^[1-9][0-9]*$ && "$count" -le 60000 ]] || bad "--count must be an integer in 1..60000, got '$count'"
[[ "$test_count" =~ ^[0-9]+$ && "$test_count" -le 10000 ]] || bad "--test-count must be an integer in 0..10000, got '$test_count'"
[[ "$seed" =~ ^[0-9]+$ ]] || bad "--seed must be a non-negative integer, got '$seed'"
# Relative --out is relative to where the script is called from; the default lives in the repository.
if [[ -z "$out" ]]; then out="$repo/data/fashion-mnist-events"; fi
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- 1. the dataset -----------------------------------------------------------------------
# Debian installs the four gzipped IDX files in /usr/share/datasets/fashion-mnist/.
find_idx() { # find_idx DIR NAME -> prints DIR/NAME or DIR/NAME.gz if present
  if [[ -f "$1/$2" ]]; then echo "$1/$2"; elif [[ -f "$1/$2.gz" ]]; then echo "$1/$2.gz"; fi
}
src="${FASHION_MNIST_DIR:-}"
if [[ -z "$src" ]]; then
  if ! dpkg-query -W -f='${Status}' dataset-fashion-mnist 2>/dev/null | grep -q "install ok installed"; then
    echo "Debian package dataset-fashion-mnist is not installed."
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; on a non-Debian system download Fashion-MNIST's four IDX files and set FASHION_MNIST_DIR to their folder"
    if [[ "$(id -u)" -ne 0 ]]; then
      die "not root, cannot install. Run as root, or: sudo apt-get update && sudo apt-get install -y dataset-fashion-mnist"
    fi
    echo "Installing it with apt-get (about 30 MB)..."
    apt-get update || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dataset-fashion-mnist \
      || die "apt-get install dataset-fashion-mnist failed"
  else
    echo "Debian package dataset-fashion-mnist: installed."
  fi
  # Ask dpkg where the files are rather than assuming the path.
  train_images_path="$(dpkg -L dataset-fashion-mnist | grep -E '/train-images-idx3-ubyte(\.gz)?$' | head -n 1 || true)"
  [[ -n "$train_images_path" ]] || die "dpkg -L dataset-fashion-mnist lists no train-images-idx3-ubyte file"
  src="$(dirname "$train_images_path")"
fi
[[ -d "$src" ]] || die "Fashion-MNIST folder not found: $src"
train_images="$(find_idx "$src" train-images-idx3-ubyte)"
train_labels="$(find_idx "$src" train-labels-idx1-ubyte)"
test_images="$(find_idx "$src" t10k-images-idx3-ubyte)"
test_labels="$(find_idx "$src" t10k-labels-idx1-ubyte)"
for f in train_images train_labels test_images test_labels; do
  [[ -n "${!f}" ]] || die "$src lacks the ${f/_/ } IDX file (${f%%_*}-${f#*_}-idx?-ubyte[.gz])"
done
echo "Fashion-MNIST IDX files: $src"

# --- 2. idempotence -----------------------------------------------------------------------
stamp="$out/.fashion-mnist-events.stamp"
pending="$out/.fashion-mnist-events.pending"
# Everything that determines the output; bump "format" if the converter's output changes.
settings="format=1 count=$count test_count=$test_count seed=$seed source=$src"
if [[ -f "$stamp" ]]; then
  if [[ "$(cat "$stamp")" == "$settings" ]]; then
    echo "Up to date: $out already holds this conversion ($settings); nothing to do."
    exit 0
  fi
  if [[ $force == 0 ]]; then
    die "$out holds a conversion with other settings ($(cat "$stamp")); use --force to replace it, or another --out"
  fi
  echo "Replacing the previous conversion in $out ($(cat "$stamp"))."
  rm -rf -- "$out/Train" "$out/Test" "$stamp"
elif [[ -f "$pending" && "$(cat "$pending")" == "$settings" ]]; then
  # An interrupted run with the same settings: files are deterministic and written atomically,
  # so converting again over them is safe.
  echo "Resuming an interrupted conversion in $out."
elif [[ -d "$out/Train" || -d "$out/Test" ]]; then
  # Not ours, or an interrupted run with other settings.
  if [[ $force == 0 ]]; then
    die "$out already has Train/ or Test/ from something else (no matching stamp); use --force to replace them, or another --out"
  fi
  echo "Replacing $out/Train and $out/Test."
  rm -rf -- "$out/Train" "$out/Test"
fi
mkdir -p "$out"
echo "$settings" >"$pending"

# --- 3. convert ---------------------------------------------------------------------------
if [[ -n "${NEUROMORPHIC_CMD:-}" ]]; then
  read -r -a cli <<<"$NEUROMORPHIC_CMD"
  echo "CLI: NEUROMORPHIC_CMD=$NEUROMORPHIC_CMD (test hook)"
else
  command -v dotnet >/dev/null 2>&1 || die "dotnet not found (the converter is the repository's CLI)"
  cli=(dotnet run --project "$repo/arch/Neuromorphic.Cli" -c Release --)
fi

convert() { # convert SPLIT IMAGES LABELS COUNT
  local split="$1" images="$2" labels="$3" n="$4"
  echo "Converting the first $n $split images (balanced over the classes) -> $out/$split/<label>/<index>.bin"
  local t0; t0=$(date +%s)
  if ! "${cli[@]}" convert fashion-mnist --images "$images" --labels "$labels" --out "$out" \
       --split "$split" --count "$n" --seed "$seed"; then
    die "'${cli[*]} convert fashion-mnist ...' failed (does this CLI have the 'convert fashion-mnist' command yet?)"
  fi
  local files; files=$(find "$out/$split" -name '*.bin' | wc -l)
  echo "  $split: $files .bin files in $(( $(date +%s) - t0 )) s"
}

convert Train "$train_images" "$train_labels" "$count"
if [[ "$test_count" -gt 0 ]]; then convert Test "$test_images" "$test_labels" "$test_count"; fi

mv -f -- "$pending" "$stamp"
echo "Done: $out ($settings)."
case "$out" in
  "$repo"/*) echo "Note: $out is inside the repository; keep it out of git (e.g. a 'data/' line in .gitignore)." ;;
esac
