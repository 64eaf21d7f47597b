#!/bin/sh
# Command-line integration tests for tokensim (run by `make test`).
# usage: sh tests/integration.sh build/tokensim
# Checks: the HDF5 layout of a run, day-0 and day-1 figures, identical files for
# -j1 and -j2, bad scenarios (exit status 2, file:line and parameter named, no
# output file), --set errors, summary, params and validate.
set -u
BIN=${1:-build/tokensim}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok()   { pass=$((pass + 1)); echo "ok   $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# expect_error NAME STATUS PATTERN... -- CMD...: the command fails with STATUS,
# stderr contains every pattern, and no output file is left behind.
expect_error() {
    name=$1; want=$2; shift 2
    pats=""
    while [ "$1" != "--" ]; do pats="$pats
$1"; shift; done
    shift
    "$@" >"$TMP/out.txt" 2>"$TMP/err.txt"
    st=$?
    good=1
    [ "$st" -eq "$want" ] || { echo "  exit status $st, expected $want"; good=0; }
    echo "$pats" | while IFS= read -r pat; do
        [ -z "$pat" ] && continue
        grep -qF -- "$pat" "$TMP/err.txt" || { echo "  stderr lacks '$pat':"; sed 's/^/    /' "$TMP/err.txt"; exit 1; }
    done || good=0
    if ls "$TMP"/bad*.h5* >/dev/null 2>&1; then echo "  an output file was left behind"; good=0; fi
    if [ $good -eq 1 ]; then ok "$name"; else bad "$name"; fi
}

SC=scenarios/akash-2024.yaml

# 1. the layout of a run
"$BIN" run $SC -n 20 --days 365 -j 2 -o "$TMP/a.h5" --quiet 2>"$TMP/run.err"
check "run writes a file" "[ -f '$TMP/a.h5' ] && ! ls '$TMP'/a.h5.tmp* >/dev/null 2>&1"
check "/runs/supply_total is (20, 366)" \
    "h5dump -H -d /runs/supply_total '$TMP/a.h5' | grep -q 'DATASPACE  SIMPLE { ( 20, 366 )'"
check "/runs/supply_total has units and description" \
    "h5dump -A -d /runs/supply_total '$TMP/a.h5' | grep -q 'ATTRIBUTE \"units\"' && h5dump -A -d /runs/supply_total '$TMP/a.h5' | grep -q 'ATTRIBUTE \"description\"'"
for stat in mean sd p05 p25 p50 p75 p95; do
    check "/summary/bonded_ratio/$stat is (366)" \
        "h5dump -H -d /summary/bonded_ratio/$stat '$TMP/a.h5' | grep -q 'SIMPLE { ( 366 )'"
done
for attr in format format_version tokensim_version command scenario_name seed runs days record_every_days start_date created_utc; do
    check "root attribute $attr" "h5dump -A -g / '$TMP/a.h5' | grep -q 'ATTRIBUTE \"$attr\"'"
done
check "/time, /scenario, /params exist" \
    "h5ls '$TMP/a.h5' | grep -q '^time' && h5ls '$TMP/a.h5' | grep -q '^scenario' && h5ls '$TMP/a.h5' | grep -q '^params'"

# 2. day-0 bonded ratio 0.578 and day-1 minted about 94,600 AKT (report: 94,609)
b0=$(h5dump -d /runs/bonded_ratio -s 0,0 -c 1,1 -m %.6f "$TMP/a.h5" | grep -o '(0,0): [0-9.]*' | head -1 | cut -d' ' -f2)
check "day-0 bonded_ratio is 0.578 (got $b0)" "[ '$b0' = '0.578000' ]"
m1=$(h5dump -d /runs/minted -s 0,1 -c 1,1 -m %.0f "$TMP/a.h5" | grep -o '(0,1): [0-9]*' | head -1 | cut -d' ' -f2)
check "day-1 minted within 1 % of 94,609 AKT (got $m1)" "[ '$m1' -gt 93663 ] && [ '$m1' -lt 95555 ]"

# 3. identical files whatever the thread count
"$BIN" run $SC -n 12 --days 200 -j 1 -o "$TMP/j1.h5" --quiet
"$BIN" run $SC -n 12 --days 200 -j 2 -o "$TMP/j2.h5" --quiet
# created_utc differs by design; every dataset must be identical
for obj in /runs /summary /time /scenario; do
    check "-j1 and -j2: h5diff finds $obj identical" "h5diff '$TMP/j1.h5' '$TMP/j2.h5' $obj $obj"
done

# 4. bad scenarios: exit 2, file:line and the parameter named, no output file
expect_error "unknown key" 2 "bad-unknown-key.yaml:" "did you mean" -- \
    "$BIN" run tests/fixtures/bad-unknown-key.yaml -o "$TMP/bad1.h5" --quiet
expect_error "wrong type" 2 "bad-type.yaml:" -- \
    "$BIN" run tests/fixtures/bad-type.yaml -o "$TMP/bad2.h5" --quiet
expect_error "out of range" 2 "bad-range.yaml:" "out of range" -- \
    "$BIN" run tests/fixtures/bad-range.yaml -o "$TMP/bad3.h5" --quiet
expect_error "--set unknown parameter" 2 "mint.inflation_mx" "mint.inflation_max" -- \
    "$BIN" run $SC --set mint.inflation_mx=0.3 -o "$TMP/bad4.h5" --quiet
expect_error "--set out of range" 2 "mint.inflation_max" "out of range" -- \
    "$BIN" run $SC --set mint.inflation_max=1.5 -o "$TMP/bad5.h5" --quiet
expect_error "missing scenario file" 2 "nonexistent.yaml" -- \
    "$BIN" run "$TMP/nonexistent.yaml" -o "$TMP/bad6.h5" --quiet
expect_error "unwritable output directory" 1 "$TMP/no/such/dir" -- \
    "$BIN" run $SC -n 2 --days 5 -o "$TMP/no/such/dir/bad7.h5" --quiet
expect_error "unknown option" 2 "--frobnicate" -- "$BIN" run $SC --frobnicate
expect_error "unknown command" 2 "frobnicate" -- "$BIN" frobnicate

# 5. the other commands
check "summary prints supply_total" "'$BIN' summary '$TMP/a.h5' | grep -q supply_total"
expect_error "summary of a missing file" 1 "missing.h5" -- "$BIN" summary "$TMP/missing.h5"
check "params lists mint.inflation_max with its unit" "'$BIN' params | grep -q 'mint.inflation_max'"
check "params --markdown is a table" "'$BIN' params --markdown | head -1 | grep -q '^| parameter |'"
check "validate accepts the shipped scenario" "'$BIN' validate $SC >/dev/null"
check "scenarios/README.md lists the registry as it is (make docs)" \
    "'$BIN' params --markdown > '$TMP/params.md' && cat scenarios/README.md.in '$TMP/params.md' | cmp -s - scenarios/README.md"
for m in $(h5ls "$TMP/a.h5/runs" | awk '{print $1}'); do
    check "docs/output.md lists metric $m" "grep -q '^| \`$m\` |' docs/output.md"
done
check "--version" "'$BIN' --version | grep -q '^tokensim '"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
