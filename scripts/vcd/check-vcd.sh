#!/usr/bin/env bash
# Checks that a VCD waveform (IEEE 1364 section 18) is valid for GTKWave's tools (Debian package
# `gtkwave`): converts it to FST with vcd2fst and reads the FST back with fst2vcd.
#
# Usage: scripts/vcd/check-vcd.sh FILE.vcd
#        scripts/vcd/check-vcd.sh --self-test
#   --self-test   checks the checker: a small valid VCD must pass, text that is not a VCD must fail
#
# Steps:
#   1. Installs Debian's gtkwave (apt-get update && apt-get install -y gtkwave; needs root) if
#      vcd2fst or fst2vcd is missing.
#   2. vcd2fst FILE.vcd TMP.fst in a temporary folder; fails if it exits non-zero or the .fst is
#      missing or empty.
#   3. vcd2fst exits 0 even on text that is not a VCD, so the .fst is read back with fst2vcd: fails
#      if that fails, if FILE.vcd has no `$enddefinitions` or no `$var`, or if the FST declares a
#      different number of variables than FILE.vcd.
#   4. Prints "check-vcd: FILE.vcd: N signals, FST of B bytes (gtkwave VERSION)".
# Exit: 0 valid; 1 not valid (reason printed); 2 usage error or the tools could not be installed.
# The temporary folder is removed on exit.
set -euo pipefail

die() { echo "check-vcd: error: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

ensure_tools() {
    command -v vcd2fst >/dev/null 2>&1 && command -v fst2vcd >/dev/null 2>&1 && return 0
    [[ $(id -u) -eq 0 ]] || die "vcd2fst/fst2vcd not installed and not root: run 'apt-get install -y gtkwave' as root"
    echo "check-vcd: installing gtkwave (apt-get)" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gtkwave >&2 \
        || die "apt-get install gtkwave failed"
    command -v vcd2fst >/dev/null 2>&1 || die "gtkwave is installed but vcd2fst is not on PATH"
}

gtkwave_version() { dpkg-query -W -f='${Version}' gtkwave 2>/dev/null || echo unknown; }

# count_vars FILE: prints the number of $var declarations before $enddefinitions; exit 1 if there
# is no $enddefinitions.
count_vars() {
    awk '{ for (i = 1; i <= NF; i++) { if ($i == "$enddefinitions") { found = 1; exit } if ($i == "$var") n++ } }
         END { if (!found) exit 1; print n + 0 }' "$1"
}

# check FILE: prints what it finds; returns 0 valid, 1 not valid.
check() {
    local vcd=$1 tmp fst size expected actual
    tmp=$(mktemp -d "$work/check.XXXXXX")
    fst="$tmp/$(basename "${vcd%.vcd}").fst"

    if ! vcd2fst "$vcd" "$fst" >"$tmp/vcd2fst.log" 2>&1; then
        echo "check-vcd: $vcd: vcd2fst failed:" >&2; cat "$tmp/vcd2fst.log" >&2; return 1
    fi
    if [[ ! -s $fst ]]; then
        echo "check-vcd: $vcd: vcd2fst wrote no or an empty .fst" >&2; return 1
    fi
    if ! expected=$(count_vars "$vcd"); then
        echo "check-vcd: $vcd: no \$enddefinitions (not a VCD?)" >&2; return 1
    fi
    if [[ $expected -eq 0 ]]; then
        echo "check-vcd: $vcd: declares no signals (\$var)" >&2; return 1
    fi
    if ! fst2vcd "$fst" >"$tmp/back.vcd" 2>"$tmp/fst2vcd.log"; then
        echo "check-vcd: $vcd: fst2vcd could not read the .fst back:" >&2; cat "$tmp/fst2vcd.log" >&2; return 1
    fi
    if ! actual=$(count_vars "$tmp/back.vcd") || [[ $actual -ne $expected ]]; then
        echo "check-vcd: $vcd: the FST has ${actual:-no} signals, the VCD declares $expected" >&2; return 1
    fi
    size=$(stat -c %s "$fst")
    echo "check-vcd: $vcd: $expected signals, FST of $size bytes (gtkwave $(gtkwave_version))"
}

self_test() {
    local dir=$work rc=0
    printf '%s\n' '$timescale 1 ns $end' '$scope module chip $end' '$var wire 1 ! spike $end' \
        '$var wire 4 " depth $end' '$upscope $end' '$enddefinitions $end' '#0' '$dumpvars' '0!' 'b0 "' \
        '$end' '#3' '1!' 'b101 "' '#4' '0!' '#5' >"$dir/good.vcd"
    printf 'this is not a VCD\n' >"$dir/bad.vcd"
    if check "$dir/good.vcd"; then echo "self-test: valid VCD passed"; else echo "self-test: FAIL: valid VCD rejected" >&2; rc=1; fi
    if check "$dir/bad.vcd" 2>/dev/null; then echo "self-test: FAIL: garbage accepted" >&2; rc=1; else echo "self-test: garbage rejected"; fi
    return $rc
}

work=$(mktemp -d "${TMPDIR:-/tmp}/check-vcd.XXXXXX")
trap 'rm -rf "$work"' EXIT

case ${1:-} in
    -h | --help) usage; exit 0 ;;
    --self-test) ensure_tools; self_test; exit $? ;;
    -*) die "unknown option '$1' (see --help)" ;;
    "") usage >&2; exit 2 ;;
esac
[[ $# -eq 1 ]] || { usage >&2; exit 2; }
[[ -f $1 ]] || die "no such file: $1"
ensure_tools
check "$1" || exit 1
