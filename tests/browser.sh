#!/bin/sh
# The reports in a real browser: headless Chromium (Debian's chromium) opens
# the index.html of a run's, a comparison's and a sweep's report (file://) and
# every <img> must have rendered (complete, naturalWidth > 0). The check runs
# in a copy of each page with a small script added (the reports carry no test
# code) that writes the images' states into the page, which --dump-dom prints.
# A page with a missing image must fail the same check. Then screenshots of
# the run's and the comparison's reports, 1280 x 2000, whose paths the log
# prints (CI's artifacts). About 5 s a chromium start: well under a minute.
# usage: sh tests/browser.sh [build/tokensim]; $BROWSER_OUT: where the reports
# and screenshots go (default /tmp/tokensim-browser). Without chromium: skipped
# with a message, except in CI ($CI set), where it fails.
set -u
BIN=${1:-build/tokensim}
OUT=${BROWSER_OUT:-/tmp/tokensim-browser}
. "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    if [ -n "${CI:-}" ]; then
        echo "FAIL chromium is not installed (.ci/run installs Debian's chromium)"
        echo "0 passed, 1 failed"
        exit 1
    fi
    echo "skip tests/browser.sh: no chromium (apt-get install -y --no-install-recommends chromium)"
    exit 0
fi

rm -rf "$OUT"
mkdir -p "$OUT/profile" || exit 1
OUT=$(cd "$OUT" && pwd)   # file:// needs the absolute path
# root needs --no-sandbox; a profile of its own, no first-run pages, no GPU
chrome() {
    timeout 60 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
        --user-data-dir="$OUT/profile" --hide-scrollbars "$@" 2>>"$OUT/chromium.log"
}

SC=scenarios/akash-2024.yaml
"$BIN" run $SC -n 8 --days 200 -o "$OUT/run.h5" --quiet --force &&
    "$BIN" report "$OUT/run.h5" -o "$OUT/run-report" 2>/dev/null || bad "run and its report"
"$BIN" compare $SC scenarios/proposals/inflation-cut-2025.yaml -n 8 --days 400 -o "$OUT/compare.h5" --quiet \
    --force >/dev/null && "$BIN" report "$OUT/compare.h5" -o "$OUT/compare-report" 2>/dev/null ||
    bad "compare and its report"
"$BIN" sweep tests/fixtures/sweep-morris.yaml -o "$OUT/morris.h5" --quiet --force &&
    "$BIN" report "$OUT/morris.h5" -o "$OUT/morris-report" 2>/dev/null || bad "morris sweep and its report"

# the check: a copy of the page beside it, with a script that records each image's state
CHECK='<script>window.addEventListener("load", function () {
  var imgs = document.images, broken = [];
  for (var i = 0; i < imgs.length; i++)
    if (!imgs[i].complete || imgs[i].naturalWidth === 0) broken.push(imgs[i].getAttribute("src"));
  var p = document.createElement("pre");
  p.id = "browser-check";
  p.textContent = "IMAGES " + imgs.length + " BROKEN " + broken.length + (broken.length ? ": " + broken.join(" ") : "");
  document.body.appendChild(p);
});</script>'
# images DIR [EXTRA-HTML]: "IMAGES n BROKEN m..." as the browser saw DIR/index.html
images() {
    CHECK=$CHECK EXTRA=${2:-} awk '/<\/body>/ { print ENVIRON["EXTRA"]; print ENVIRON["CHECK"] } { print }' \
        "$1/index.html" >"$1/browser-check.html"
    chrome --virtual-time-budget=5000 --dump-dom "file://$1/browser-check.html" >"$1/browser-check.dom"
    rm -f "$1/browser-check.html"
    grep -o 'IMAGES [0-9]* BROKEN [0-9]*[^<]*' "$1/browser-check.dom"
}
# check_images NAME DIR MIN: at least MIN images, none broken
check_images() {
    got=$(images "$2")
    n=$(echo "$got" | awk '{ print $2 }')
    if echo "$got" | grep -q 'BROKEN 0$' && [ "${n:-0}" -ge "$3" ]; then
        ok "$1: every image rendered in chromium ($got)"
    else
        bad "$1: images in chromium: '${got:-no result}' (want at least $3, none broken; $OUT/chromium.log)"
    fi
}
check_images "run report" "$OUT/run-report" 8
check_images "comparison report" "$OUT/compare-report" 10
check_images "morris sweep report" "$OUT/morris-report" 3
got=$(images "$OUT/run-report" '<img src="missing.png" alt="missing">')
case "$got" in
*"BROKEN 1: missing.png") ok "the check itself: a missing image is found ($got)" ;;
*) bad "the check itself: a missing image went unnoticed ('$got')" ;;
esac

# screenshots: what a person sees
for r in run compare; do
    shot="$OUT/$r-report.png"
    chrome --virtual-time-budget=5000 --window-size=1280,2000 --screenshot="$shot" \
        "file://$OUT/$r-report/index.html" >/dev/null
    if [ -s "$shot" ] && [ "$(head -c 4 "$shot" | tail -c 3)" = PNG ]; then
        ok "screenshot of the $r report: $shot"
        echo "artifact: $shot"
    else
        bad "screenshot of the $r report ($OUT/chromium.log)"
    fi
done
rm -rf "$OUT/profile"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
