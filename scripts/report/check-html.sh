#!/usr/bin/env bash
# Checks an HTML run report in headless Chromium (Debian's `chromium`): renders it to PNG and
# fails if the page logged a console error.
#
# Usage: scripts/report/check-html.sh REPORT.html [OUT.png]
#        scripts/report/check-html.sh --self-test
#   OUT.png       the screenshot (default: REPORT.png next to the report), 1280 x 2000 pixels
#   --self-test   checks the checker: a page with <script>throw new Error("x")</script> must fail,
#                 a clean page must pass
#
# Steps:
#   1. Installs Debian's chromium (apt-get update && apt-get install -y chromium; needs root)
#      and python3 if they are missing.
#   2. Renders the page: chromium --headless --no-sandbox --disable-gpu --disable-quic
#      --no-first-run --disable-background-networking --disable-component-update --disable-sync
#      --user-data-dir=<fresh> --screenshot=OUT.png --window-size=1280,2000 file:///abs/REPORT.html
#      with --enable-logging=stderr --v=0; the log is kept in OUT.png.log.
#   3. Console errors, two detectors:
#      a. the log: Chromium logs every console message of a web page as "INFO:CONSOLE:<line>]
#         "<message>", source: ..." whatever its level, so only messages that read as errors are
#         caught there: "Uncaught ..." (exceptions) and "Error: ..." (e.g. SVG attribute errors);
#      b. console_errors.py loads the page again over the DevTools protocol on a pipe
#         (--remote-debugging-pipe, no network port) where levels are exact: uncaught exceptions,
#         console.error / console.assert, and browser log entries of level error (failed
#         resource loads, parse errors).
#   4. Fails if OUT.png is missing, empty or not a PNG.
# Exit: 0 the page rendered without console errors; 1 console error(s) (listed) or no PNG;
#       2 usage error or the browser could not be run.
# Only processes this script starts are stopped (timeout kills its own child).
set -euo pipefail

die() { echo "check-html: error: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
chromium_flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync)

ensure_tools() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v python3 >/dev/null 2>&1 || missing+=(python3)
    [[ ${#missing[@]} -eq 0 ]] && return 0
    [[ $(id -u) -eq 0 ]] || die "${missing[*]} not installed and not root: run 'apt-get install -y ${missing[*]}' as root"
    echo "check-html: installing ${missing[*]} (apt-get)" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 \
        || die "apt-get install ${missing[*]} failed"
}

# check REPORT OUT: prints what it finds; returns 0 clean, 1 console errors or no PNG, 2 browser failure.
check() {
    local report="$1" out="$2"
    local abs url profile log status=0
    abs="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
    url="file://$abs"
    log="$out.log"
    profile="$(mktemp -d "${TMPDIR:-/tmp}/check-html-profile.XXXXXX")"
    rm -f "$out"

    # 2. Render to PNG (the log of this run is detector a).
    if ! timeout 120 chromium "${chromium_flags[@]}" --user-data-dir="$profile/screenshot" \
            --enable-logging=stderr --v=0 --screenshot="$out" --window-size=1280,2000 "$url" \
            >"$log" 2>&1; then
        echo "check-html: chromium failed rendering $report (log: $log)" >&2
        rm -rf "$profile"
        return 2
    fi

    # 3a. Console messages in the log that read as errors.
    local logged
    logged="$(grep -E ':CONSOLE[:(][0-9]+\)?\] "(Uncaught|Error)' "$log" || true)"
    if [[ -n "$logged" ]]; then
        while IFS= read -r line; do echo "console error (log): ${line#*] }"; done <<<"$logged"
        status=1
    fi

    # 3b. Console errors with their exact level, over the DevTools pipe.
    local cdp_status=0
    python3 "$here/console_errors.py" "$(command -v chromium)" "$profile/devtools" "$url" || cdp_status=$?
    rm -rf "$profile"
    case $cdp_status in
        0) ;;
        1) status=1 ;;
        *) echo "check-html: could not collect console messages over DevTools" >&2; return 2 ;;
    esac

    # 4. The PNG exists, is not empty and is a PNG.
    if [[ ! -s "$out" ]]; then
        echo "check-html: no screenshot: $out is missing or empty" >&2
        status=1
    elif [[ "$(head -c 8 "$out" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]]; then
        echo "check-html: $out is not a PNG" >&2
        status=1
    fi
    return $status
}

self_test() {
    local dir ok=0 status
    dir="$(mktemp -d "${TMPDIR:-/tmp}/check-html-selftest.XXXXXX")"
    printf '%s\n' '<!DOCTYPE html><html><head><meta charset="utf-8"><title>broken</title></head>' \
        '<body><p>This page throws.</p><script>throw new Error("x")</script></body></html>' >"$dir/broken.html"
    printf '%s\n' '<!DOCTYPE html><html><head><meta charset="utf-8"><title>broken</title></head>' \
        '<body><p>This page logs an error.</p><script>console.error("y")</script></body></html>' >"$dir/console-error.html"
    printf '%s\n' '<!DOCTYPE html><html><head><meta charset="utf-8"><title>clean</title></head>' \
        '<body><p>Nothing wrong here.</p><svg width="40" height="40"><rect width="40" height="40" fill="teal"/></svg></body></html>' >"$dir/clean.html"
    for page in broken console-error; do
        status=0
        check "$dir/$page.html" "$dir/$page.png" || status=$?
        if [[ $status -eq 1 ]]; then echo "self-test: $page.html fails as it should"
        else echo "self-test: FAILED: $page.html gave status $status, expected 1" >&2; ok=1; fi
    done
    status=0
    check "$dir/clean.html" "$dir/clean.png" || status=$?
    if [[ $status -eq 0 ]]; then echo "self-test: clean.html passes as it should"
    else echo "self-test: FAILED: clean.html gave status $status, expected 0" >&2; ok=1; fi
    rm -rf "$dir"
    [[ $ok -eq 0 ]] && echo "self-test: ok"
    return $ok
}

[[ $# -ge 1 ]] || { usage >&2; exit 2; }
case "$1" in
    -h|--help) usage; exit 0 ;;
    --self-test) ensure_tools; self_test; exit $? ;;
esac
[[ $# -le 2 ]] || { usage >&2; exit 2; }
report="$1"
[[ -f "$report" ]] || die "$report: no such file"
out="${2:-${report%.*}.png}"
mkdir -p "$(dirname "$out")"
ensure_tools
status=0
check "$report" "$out" || status=$?
case $status in
    0) echo "check-html: ok: $report rendered without console errors -> $out ($(stat -c %s "$out") bytes)" ;;
    1) echo "check-html: FAILED: $report (screenshot: $out)" >&2 ;;
esac
exit $status
