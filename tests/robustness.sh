#!/bin/sh
# Bad input and hostile conditions (run by `make test` after integration.sh).
# usage: sh tests/robustness.sh build/tokensim
# Each case runs a command that must fail with a given exit status and a
# message holding given fragments, and must leave no file in the output
# directory ($OUT) under the requested name or any other. docs/robustness.md
# is the table of these cases. A case marked `known` is a failure whose fix is
# outside the files this script tests (it says where): it is reported as
# "xfail" without failing the suite, and as "XPASS" once it passes.
# ROBUSTNESS_TABLE=FILE appends each case as a Markdown table row to FILE.
set -u
BIN=${1:-build/tokensim}
TMP=$(mktemp -d)
OUT=$TMP/out
MNT=""
cleanup() {
    [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
    chmod -R u+w "$TMP" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
mkdir -p "$OUT"
pass=0
fail=0
xfail=0
known=""

ok()   { pass=$((pass + 1)); echo "ok   $1"; }
bad()  {
    if [ -n "$known" ]; then xfail=$((xfail + 1)); echo "xfail $1 (known: $known)";
    else fail=$((fail + 1)); echo "FAIL $1"; fi
}
good() { if [ -n "$known" ]; then echo "XPASS $1 (marked known: $known)"; fi; ok "$1"; }

# expect NAME STATUS PATTERN... -- CMD...: CMD exits with STATUS, its stderr
# holds every PATTERN, and $OUT is left empty. Then clears $OUT and `known`.
expect() {
    name=$1; want=$2; shift 2
    pats=""
    while [ "$1" != "--" ]; do pats="$pats
$1"; shift; done
    shift
    "$@" >"$TMP/stdout" 2>"$TMP/stderr"
    st=$?
    fine=1
    [ "$st" -eq "$want" ] || { echo "  exit status $st, expected $want"; fine=0; }
    echo "$pats" | while IFS= read -r pat; do
        [ -z "$pat" ] && continue
        grep -qF -- "$pat" "$TMP/stderr" || { echo "  stderr lacks '$pat':"; head -c 2000 "$TMP/stderr" | sed 's/^/    /'; exit 1; }
    done || fine=0
    if [ -n "$(ls -A "$OUT")" ]; then echo "  left in the output directory: $(ls -A "$OUT" | tr '\n' ' ')"; fine=0; fi
    if [ $fine -eq 1 ]; then good "$name"; else bad "$name"; fi
    if [ -n "${ROBUSTNESS_TABLE:-}" ]; then   # docs/robustness.md's table: case, status, message, files left
        msg=$(grep -v '^==' "$TMP/stderr" | head -n 1 | sed "s|$TMP|\$TMP|g; s/|/\\|/g" | cut -c1-220)
        left=$(ls -A "$OUT" | tr '\n' ' ')
        printf '| %s | %s | %s | %s |\n' "$name" "$st" "${msg:-(none)}" "${left:-none}" >>"$ROBUSTNESS_TABLE"
    fi
    rm -rf "$OUT" && mkdir -p "$OUT"
    known=""
}

# A scenario file is refused by validate and by run (no output), exit 2.
refuse() {
    rname=$1; rfile=$2; shift 2
    expect "validate: $rname" 2 "$@" -- "$BIN" validate "$rfile"
    expect "run: $rname" 2 "$@" -- "$BIN" run "$rfile" -n 2 --days 5 -j 1 --quiet -o "$OUT/bad.h5"
}

asan=0
grep -q __asan_init "$BIN" 2>/dev/null && asan=1
root=0
[ "$(id -u)" = 0 ] && root=1

S=$TMP/s
mkdir -p "$S"
printf 'days: 30\n' >"$S/ok.yaml"
"$BIN" run "$S/ok.yaml" -n 4 -j 1 --quiet -o "$TMP/ok.h5" || { echo "FAIL cannot write a reference file"; exit 1; }

# ---- 1. files that are not scenarios -------------------------------------------
: >"$S/empty.yaml"
refuse "empty file" "$S/empty.yaml" "empty.yaml: the scenario is empty"
refuse "/dev/null (a device)" /dev/null "/dev/null: cannot read scenario: not a regular file"
head -c 4096 "$BIN" >"$S/elf.yaml"
refuse "binary garbage (an ELF file)" "$S/elf.yaml" "elf.yaml:1:1: not valid YAML text"
printf 'days: 3\n\377\376\000\001garbage\n' >"$S/bytes.yaml"
refuse "invalid UTF-8 bytes" "$S/bytes.yaml" "bytes.yaml:2:1: not valid YAML text" "invalid leading UTF-8 octet"
printf 'days: 3\nname: "a\000b"\n' >"$S/nul.yaml"
refuse "a NUL byte" "$S/nul.yaml" "nul.yaml:2:" "not valid YAML text"
refuse "a directory" "$S" "cannot read scenario: it is a directory"
refuse "a missing file" "$S/nothere.yaml" "nothere.yaml: cannot open scenario: No such file or directory"
printf 'days: [3\n' >"$S/syntax.yaml"
refuse "a syntax error" "$S/syntax.yaml" "syntax.yaml:" "YAML syntax error"
printf 'days: 3\n---\ndays: 4\n' >"$S/twodocs.yaml"
refuse "two YAML documents" "$S/twodocs.yaml" "a second YAML document"

# the same key twice in one mapping, at any depth
printf 'days: 30\nevents:\n  - {day: 5, day: 6, set: {mint.inflation_max: 0.15}}\n' >"$S/dupday.yaml"
refuse "an event's day given twice" "$S/dupday.yaml" "dupday.yaml:3:14: events: day given twice (first at line 3, column 6)"
printf 'days: 30\nevents:\n  - day: 5\n    set: {mint.inflation_max: 0.15}\n    set: {mint.inflation_max: 0.16}\n' >"$S/dupset.yaml"
refuse "an event's set given twice" "$S/dupset.yaml" "dupset.yaml:5:5: events: set given twice (first at line 4)"
printf 'days: 30\nevents:\n  - {day: 5, set: {mint.inflation_max: 0.15, mint.inflation_max: 0.16}}\n' >"$S/dupparam.yaml"
refuse "a parameter twice in one set" "$S/dupparam.yaml" "dupparam.yaml:3:46: events: set: mint.inflation_max given twice (first at line 3, column 20)"
printf 'sweep:\n  mode: grid\n  mode: zip\n  params: {mint.inflation_max: [0.1, 0.2]}\n' >"$S/dupsweep.yaml"
refuse "a sweep's mode given twice" "$S/dupsweep.yaml" "dupsweep.yaml:3:3: sweep: mode given twice (first at line 2)"
printf 'resources:\n  h100: {capacity: 3, capacity: 4}\n' >"$S/dupres.yaml"
refuse "a resource class's key twice inline" "$S/dupres.yaml" "dupres.yaml:2:23: resources.h100.capacity given twice (first at line 2, column 10)"
printf 'base: ok.yaml\nbase: self.yaml\n' >"$S/dupbase.yaml"
refuse "base given twice" "$S/dupbase.yaml" "dupbase.yaml:2:1: base given twice (first at line 1)"

printf 'base: self.yaml\ndays: 3\n' >"$S/self.yaml"
refuse "a base file that is itself" "$S/self.yaml" "base: more than 8 levels of base files (a cycle?)"
printf 'base: /dev/zero\n' >"$S/zero.yaml"
refuse "a base file without end (/dev/zero)" "$S/zero.yaml" "zero.yaml:1:1: base: /dev/zero: cannot read scenario: not a regular file"
# a FIFO nobody writes to: refused at once, never waited on (timeout: a hang fails the case)
if mkfifo "$S/fifo.yaml" 2>/dev/null; then
    printf 'base: fifo.yaml\n' >"$S/usefifo.yaml"
    expect "validate: a FIFO" 2 "fifo.yaml: cannot read scenario: not a regular file" -- \
        timeout 20 "$BIN" validate "$S/fifo.yaml"
    expect "validate: a base file that is a FIFO" 2 "usefifo.yaml:1:1: base: $S/fifo.yaml: cannot read scenario: not a regular file" -- \
        timeout 20 "$BIN" validate "$S/usefifo.yaml"
    expect "run: a base file that is a FIFO" 2 "base: $S/fifo.yaml: cannot read scenario: not a regular file" -- \
        timeout 20 "$BIN" run "$S/usefifo.yaml" -n 2 --days 5 -j 1 --quiet -o "$OUT/bad.h5"
    expect "compare: a proposal that is a FIFO" 2 "fifo.yaml: cannot read scenario: not a regular file" -- \
        timeout 20 "$BIN" compare "$S/ok.yaml" "$S/fifo.yaml" -n 2 --days 5 -j 1 --quiet -o "$OUT/bad.h5"
    rm -f "$S/fifo.yaml"
else
    echo "skip a FIFO (mkfifo failed)"
fi

# paths of about 1,000 bytes (four directories of 240): the reason ends the message
D240=$(printf '%240s' '' | tr ' ' d)
LONG=$S/$D240/$D240/$D240/$D240
mkdir -p "$LONG"
printf 'base: missing.yaml\n' >"$LONG/a.yaml"
refuse "a missing file in a 1,000-byte path" "$LONG/nothere.yaml" "/nothere.yaml: cannot open scenario: No such file or directory"
refuse "a missing base file beside a 1,000-byte path" "$LONG/a.yaml" "/a.yaml:1:1: base: " \
    "/missing.yaml: cannot open scenario: No such file or directory"
printf 'price:\n  series_file: nothere.csv\n' >"$LONG/p.yaml"
refuse "a missing price series beside a 1,000-byte path" "$LONG/p.yaml" "/p.yaml:2:3: price.series_file: " \
    "/nothere.csv: cannot open: No such file or directory"
rm -rf "$S/$D240"

# ---- 2. deep and large ---------------------------------------------------------------
{ printf 'days: '; head -c 10000 /dev/zero | tr '\0' '['; } >"$S/deep.yaml"
refuse "10,000 nested flow lists" "$S/deep.yaml" "deep.yaml:1:" "nested more than 64 levels deep"
awk 'BEGIN { for (i = 0; i < 1000; i++) { printf "%*s", i, ""; print "a:" } }' >"$S/deepblock.yaml"
refuse "1,000 nested block mappings" "$S/deepblock.yaml" "nested more than 64 levels deep"
yes '# a comment line, repeated to make a very large scenario file' | head -c 52428800 >"$S/big.yaml"
refuse "a 50 MB file" "$S/big.yaml" "big.yaml: file too large for a scenario (52428800 bytes; the limit is 16 MiB)"
expect "validate: a pipe (/dev/stdin)" 2 "/dev/stdin: cannot read scenario: not a regular file" -- \
    sh -c 'cat "$2" | "$1" validate /dev/stdin' sh "$BIN" "$S/big.yaml"
rm -f "$S/big.yaml"
{ printf 'description: ['; yes '1,' | head -n 1000000 | tr -d '\n'; printf '1]\n'; } >"$S/list.yaml"
refuse "a list of 1,000,001 values" "$S/list.yaml" "more than 1000000 values in one scenario"

# ---- 3. anchors and aliases: supported, never expanded --------------------------------
printf 'days: 30\nmint:\n  inflation_min: &low 0.07\n  inflation: *low\n' >"$S/alias.yaml"
expect "anchors and aliases of values are supported" 0 -- "$BIN" validate "$S/alias.yaml"
{
    printf 'description: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n'
    for k in 1 2 3 4 5 6 7 8 9; do
        j=$((k - 1))
        printf 'l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n' $k $k $j $j $j $j $j $j $j $j $j
    done
} >"$S/laughs.yaml"
refuse "a billion laughs (9^10 if expanded)" "$S/laughs.yaml" "laughs.yaml:1:14: description: expected a single value, got a list"
if [ $asan = 0 ]; then
    expect "a billion laughs in 200 MB of address space" 2 "expected a single value" -- \
        sh -c 'ulimit -v 200000; exec "$1" validate "$2"' sh "$BIN" "$S/laughs.yaml"
fi
{ printf 'days: 10\nevents: [&e {day: 1, set: {mint.inflation_max: 0.19}}'; yes ', *e' | head -n 128 | tr -d '\n'; printf ']\n'; } >"$S/events.yaml"
refuse "one event aliased 129 times" "$S/events.yaml" "more than 128 event changes"
printf 'mint:\n  <<: {inflation: 0.1}\n' >"$S/merge.yaml"
refuse "a merge key" "$S/merge.yaml" "merge.yaml:2:3: mint: merge keys ('<<: *name') are not supported"
printf 'events: &e [*e]\n' >"$S/cycle.yaml"
refuse "an alias inside its own anchor" "$S/cycle.yaml" "events: each event is a mapping"

# ---- 4. numbers --------------------------------------------------------------------------
one() { printf '%s\n' "$2" >"$S/$1.yaml"; shift; }
one huge_real 'mint: {inflation: 1e400}'
refuse "a real too large (1e400)" "$S/huge_real.yaml" "mint.inflation: value 1e400 is out of range [0, 1] (1/yr)"
one huge_int 'days: 1180591620717411303424'
refuse "an integer too large (2^70)" "$S/huge_int.yaml" "days: value 1180591620717411303424 is out of range [1, 36525]"
one huge_seed 'seed: 9007199254740993'
refuse "a seed above 2^53" "$S/huge_seed.yaml" "seed: value 9007199254740993 is out of range"
one huge_amount 'supply: {total_akt: 1180591620717411303424}'
refuse "an amount too large (2^70 AKT)" "$S/huge_amount.yaml" "supply.total_akt: value 1180591620717411303424 is out of range"
one fine_amount 'supply: {total_akt: 1.0000001}'
refuse "an amount finer than 1 uakt" "$S/fine_amount.yaml" "has more than 6 decimals"
for v in .nan .NaN nan .inf -.inf +.Inf inf Infinity; do
    one nonfinite "mint: {inflation: $v}"
    refuse "mint.inflation: $v" "$S/nonfinite.yaml" "value $v is not a finite number"
done
one nan_int 'runs: .nan'
refuse "runs: .nan" "$S/nan_int.yaml" "runs: value .nan is not a finite number"
one negative_runs 'runs: -5'
refuse "negative runs" "$S/negative_runs.yaml" "runs: value -5 is out of range [1, 10000000]"
one negative_providers 'providers: {initial: -1}'
refuse "negative providers" "$S/negative_providers.yaml" "providers.initial: value -1 is out of range [0, 1000000]"
one negative_amount 'pool: {burn_akt: -3}'
refuse "a negative amount" "$S/negative_amount.yaml" "pool.burn_akt: value -3 is out of range"
one days0 'days: 0'
refuse "days: 0" "$S/days0.yaml" "days: value 0 is out of range [1, 36525]"
one runs0 'runs: 0'
refuse "runs: 0" "$S/runs0.yaml" "runs: value 0 is out of range [1, 10000000]"
one half 'days: 2.5'
refuse "a fractional count" "$S/half.yaml" "days: expected a whole number, got '2.5'"
printf 'days: "3\\e[31m\\nx"\n' >"$S/ctl.yaml"
refuse "control characters quoted back harmlessly" "$S/ctl.yaml" "days: expected a whole number, got '3?[31m?x'"

# user text printed on a terminal: control characters (C0, DEL, C1 such as U+009B CSI) as '?'
printf 'name: "\\e[31mred\\u009b1m"\ndays: 5\n' >"$S/escname.yaml"
# clean CMD...: CMD exits 0 and its stdout holds no ESC, no CSI (C2 9B) and the text $WANT
clean() {
    "$@" >"$TMP/clean.out" 2>"$TMP/clean.err" || { echo "  exit status $?"; return 1; }
    if LC_ALL=C grep -q "$(printf '\033')\|$(printf '\302\233')" "$TMP/clean.out" "$TMP/clean.err"; then
        echo "  a raw control character was printed"; return 1; fi
    grep -qF -- "$WANT" "$TMP/clean.out" || { echo "  stdout lacks '$WANT':"; head -5 "$TMP/clean.out"; return 1; }
}
WANT="(name ?[31mred?1m, 200 runs x 5 days"
expect "validate: a name with terminal escapes" 0 -- clean "$BIN" validate "$S/escname.yaml"
"$BIN" run "$S/escname.yaml" -n 2 -j 1 --quiet -o "$TMP/escname.h5"
WANT="scenario          ?[31mred?1m"
expect "summary: a name with terminal escapes" 0 -- clean "$BIN" summary "$TMP/escname.h5"
WANT="compare: ?[31mred?1m (proposal) against unnamed (base)"
expect "compare: a name with terminal escapes" 0 -- clean "$BIN" compare "$S/ok.yaml" "$S/escname.yaml" -n 2 --days 5 -j 1 --quiet -o "$TMP/escc.h5"
rm -f "$TMP/escname.h5" "$TMP/escc.h5"
printf 'base: "\\e[31mx.yaml"\n' >"$S/escbase.yaml"
refuse "a base path with terminal escapes" "$S/escbase.yaml" "escbase.yaml:1:1: base: $S/?[31mx.yaml: cannot open scenario"

# ---- 5. the command line ---------------------------------------------------------------
run() { "$BIN" run "$S/ok.yaml" --quiet -j 1 -o "$OUT/bad.h5" "$@"; }
expect "-n 0" 2 "runs=0: value 0 is out of range [1, 10000000]" -- run -n 0
expect "-n -1" 2 "out of range" -- run -n -1
expect "-n abc" 2 "expected a whole number, got 'abc'" -- run -n abc
expect "--days 0" 2 "days=0: value 0 is out of range" -- run --days 0
expect "--seed 2^70" 2 "out of range" -- run --seed 1180591620717411303424
expect "--set mint.inflation=.nan" 2 "not a finite number" -- run --set mint.inflation=.nan
expect "--set without =" 2 "--set days: expected key=value" -- run --set days
expect "--set without a value" 2 "--set days=: no value given" -- run --set days=
expect "--set of an unknown key" 2 "unknown parameter (did you mean 'mint.inflation_max'?)" -- run --set mint.inflation_mx=1
expect "-j 0" 2 "-j/--threads needs a thread count" -- run -j 0
expect "-n given four times" 0 -- sh -c '"$1" run "$2" --quiet -j 1 --days 2 -n 1 -n 1 -n 1 -n 2 -o "$3/x.h5" && rm "$3/x.h5"' \
    sh "$BIN" "$S/ok.yaml" "$OUT"

# ---- 6. sizes that would exhaust memory or disk -----------------------------------------
one leases 'market: {max_leases: 1e8}'
refuse "a lease table of 6 GiB a run" "$S/leases.yaml" "one run's tables would need 6.0 GiB" "the limit is 4 GiB a run"
one orders 'tenants: {max_orders_per_day: 1e7}
market: {order_retry_days: 365}'
refuse "an order queue of 109 GiB a run" "$S/orders.yaml" "the limit is 4 GiB a run" "lower tenants.max_orders_per_day"
one values 'runs: 1e7'
refuse "1e7 runs x 1826 times kept" "$S/values.yaml" "values a metric; the limit is 1e+09"
expect "-n 1e7 --days 3000" 2 "after --set: runs x sweep points x recorded times = 10000000 x 1 x 3001" -- \
    run -n 1e7 --days 3000
{
    printf 'sweep:\n  mode: grid\n  params:\n'
    for p in mint.inflation staking.restake_share market.usdc_share; do
        printf '    %s: [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8]\n' $p
    done
} >"$S/grid.yaml"
expect "a grid sweep of 4913 points" 2 "the sweep has 4913 points; the limit is 4096" -- \
    "$BIN" sweep "$S/grid.yaml" --quiet -o "$OUT/bad.h5"

# ---- 6a. rules between parameters: placed where the file set one of them ----------------
printf 'days: 30\nmint:\n  inflation_max: 0.1\n' >"$S/onlymax.yaml"
refuse "a maximum below the default minimum" "$S/onlymax.yaml" "onlymax.yaml:3:3: mint.inflation_min (0.13) is above mint.inflation_max (0.1)"
printf 'start_date: 2019-01-01\nmint: {model: whitepaper}\n' >"$S/genesis.yaml"
refuse "a start before the default genesis" "$S/genesis.yaml" "genesis.yaml:1:1: mint.whitepaper_genesis_date (2020-09-25) is after start_date (2019-01-01)"

# ---- 6b. events: the rules after each day's changes, and the horizon --------------------
one event_max '
events:
  - {day: 180, set: {mint.inflation_max: 0.1}}'
refuse "an event's maximum below the minimum" "$S/event_max.yaml" \
    "event_max.yaml:3:22: event on day 180 (2024-09-16): mint.inflation_min (0.13) is above mint.inflation_max (0.1)"
one event_both '
events:
  - {day: 10, set: {mint.inflation_min: 0.5, mint.inflation_max: 0.1}}'
refuse "one event's minimum above its maximum" "$S/event_both.yaml" "event_both.yaml:3:46: event on day 10 (2024-03-30): mint.inflation_min (0.5) is above"
printf 'events:\n  - {day: 10, set: {mint.inflation_max: 0.16}}\n' >"$S/event_base.yaml"
printf 'base: event_base.yaml\nmint: {inflation_min: 0.17}\n' >"$S/event_child.yaml"
refuse "a base file's event broken by the file" "$S/event_child.yaml" "event_base.yaml:2:21: event on day 10 (2024-03-30): mint.inflation_min (0.17) is above"
one event_burn '
events:
  - {day: 50, set: {pool.burn_day: 40, pool.burn_akt: 1000}}'
refuse "a burn moved to a day already past" "$S/event_burn.yaml" "event_burn.yaml:3:21: event on day 50 (2024-05-09): pool.burn_day (40) is before the event's day"
one event_late 'days: 30
events:
  - {day: 180, set: {mint.inflation_max: 0.18}}'
expect "validate --strict: an event after the horizon" 2 \
    "warning: $S/event_late.yaml:3:22: event on day 180 (2024-09-16) sets mint.inflation_max = 0.18 after the horizon (30 days): it is ignored" \
    "--strict makes the warning above an error" -- "$BIN" validate "$S/event_late.yaml" --strict
expect "run --strict: an event after the horizon" 2 "after the horizon (30 days): it is ignored" -- \
    "$BIN" run "$S/event_late.yaml" --strict -n 2 -j 1 --quiet -o "$OUT/bad.h5"

# ---- 7. output paths ---------------------------------------------------------------------
expect "output in a missing directory" 1 "cannot create the output file: its directory does not exist" -- \
    run -n 2 --days 5 -o "$OUT/no/such/dir/x.h5"
expect "output under a regular file" 1 "part of its directory is not a directory" -- \
    run -n 2 --days 5 -o "$S/ok.yaml/x.h5"
expect "output that is a directory" 1 "it is a directory" -- sh -c \
    'mkdir "$3/d" && "$1" run "$2" --quiet -j 1 -n 2 --days 5 -o "$3/d"; st=$?; rmdir "$3/d"; exit $st' \
    sh "$BIN" "$S/ok.yaml" "$OUT"
# a read-only directory: chmod stops everyone but root; root needs a read-only
# file system (a read-only tmpfs when mount is allowed, else /sys)
ro=""
if [ $root = 0 ]; then
    mkdir -p "$TMP/ro" && chmod 555 "$TMP/ro" && ro=$TMP/ro && how="chmod 555"
elif mkdir -p "$TMP/rofs" && mount -t tmpfs -o ro,size=64k tokensim-ro "$TMP/rofs" 2>/dev/null; then
    MNT=$TMP/rofs; ro=$MNT; how="a read-only tmpfs"
elif [ -d /sys ] && ! (: >/sys/tokensim-probe) 2>/dev/null; then
    ro=/sys; how="/sys"
fi
if [ -n "$ro" ]; then
    expect "output in a read-only directory ($how)" 1 "cannot create the output file" -- \
        run -n 2 --days 5 -o "$ro/x.h5"
    [ -z "$(ls -A "$ro" 2>/dev/null | grep '^x\.h5')" ] || bad "nothing left in the read-only directory"
    expect "plot into a read-only directory ($how)" 1 "plot: $ro/x.png: cannot write the figure" -- \
        "$BIN" plot "$TMP/ok.h5" -o "$ro/x.png"
    [ -n "$MNT" ] && umount "$MNT" && MNT=""
else
    echo "skip output in a read-only directory (root without mount or a read-only /sys)"
fi
# an existing output is kept unless --force (expect wants $OUT empty afterwards: keep the file elsewhere)
: >"$TMP/exists.h5"
expect "an existing output file without --force" 2 "exists" "--force" -- run -n 2 --days 5 -o "$TMP/exists.h5"
[ ! -s "$TMP/exists.h5" ] && ok "the existing file is untouched" || bad "the existing file is untouched"
rm -f "$TMP/exists.h5"

# ---- 7b. data loss and overwrites ------------------------------------------------------------
# wait_for PATH: until it exists (at most 30 s)
wait_for() { n=0; while [ ! -e "$1" ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done; }
# runs_done PARTIAL: /manifest/runs_done of a partial file (HDF5's lock set aside: it may be open)
runs_done() { HDF5_USE_FILE_LOCKING=FALSE h5dump -a /manifest/runs_done "$1" 2>/dev/null | sed -n 's/.*(0): \([0-9]*\).*/\1/p'; }
R=$TMP/race
mkdir -p "$R"
# two writers, one name: the second is refused while the first runs; the first's file is whole
"$BIN" run "$S/ok.yaml" -n 40 --days 365 --seed 7 -j 1 --quiet -o "$R/out.h5" 2>"$R/a.err" &
pid=$!
wait_for "$R/out.h5.partial"
expect "a second campaign onto a running one's output" 2 "$R/out.h5: a running campaign (process $pid) is writing it" -- \
    "$BIN" run "$S/ok.yaml" -n 10 --days 365 -j 1 --quiet -o "$R/out.h5"
expect "... and with --force" 2 "a running campaign (process $pid)" -- \
    "$BIN" run "$S/ok.yaml" -n 10 --days 365 -j 1 --quiet --force -o "$R/out.h5"
wait $pid
st=$?
[ $st -eq 0 ] && h5dump -a /runs "$R/out.h5" | grep -q '(0): 40' && [ ! -e "$R/out.h5.partial" ] \
    && ok "the first campaign's file is whole (40 runs)" || bad "the first campaign's file is whole (exit $st)"
rm -f "$R"/*
# the name taken while the campaign runs: the other file stays, the result is kept beside it
"$BIN" run "$S/ok.yaml" -n 40 --days 365 -j 1 --quiet -o "$R/out.h5" 2>"$TMP/stderr" &
pid=$!
wait_for "$R/out.h5.partial"
printf 'written meanwhile\n' >"$R/out.h5"
wait $pid
st=$?
if [ $st -eq 1 ] && grep -qF "$R/out.h5: another file took this name while the campaign ran, and without --force tokensim replaces nothing: the result is kept as $R/out-1.h5" "$TMP/stderr" \
    && [ "$(cat "$R/out.h5")" = "written meanwhile" ] && h5dump -a /runs "$R/out-1.h5" | grep -q '(0): 40' \
    && [ ! -e "$R/out.h5.partial" ]; then
    ok "the name taken during the run: the other file kept, the result as out-1.h5 (exit 1)"
else
    bad "the name taken during the run (exit $st): $(cat "$TMP/stderr")"
fi
[ -n "${ROBUSTNESS_TABLE:-}" ] && printf '| %s | %s | %s | %s |\n' "the output's name taken while the campaign runs" \
    "$st" "$(head -n 1 "$TMP/stderr" | sed "s|$TMP|\$TMP|g")" "the other file, out-1.h5" >>"$ROBUSTNESS_TABLE"
rm -f "$R"/*

# what is not a regular file is never replaced, --force or not
mkfifo "$R/fifo.h5"
expect "-o a named pipe, --force" 2 "$R/fifo.h5: the output name is a named pipe; tokensim writes and replaces regular files only" -- \
    run -n 2 --days 5 --force -o "$R/fifo.h5"
[ -p "$R/fifo.h5" ] && ok "the pipe is still there" || bad "the pipe is still there"
if mknod "$R/null.h5" c 1 3 2>/dev/null; then
    expect "-o a device node (as /dev/null), --force" 2 "the output name is a character device" -- \
        run -n 2 --days 5 --force -o "$R/null.h5"
    [ -c "$R/null.h5" ] && ok "the device node is still there" || bad "the device node is still there"
else
    echo "skip -o a device node (mknod not allowed)"
fi
ln -s "$R/nowhere.h5" "$R/dangling.h5"
expect "-o a dangling symbolic link" 2 "the output name is a dangling symbolic link" -- run -n 2 --days 5 -o "$R/dangling.h5"
[ -L "$R/dangling.h5" ] && [ ! -e "$R/nowhere.h5" ] && ok "the link is untouched, nothing written through it" \
    || bad "the link is untouched, nothing written through it"
ln -s "$R/loop.h5" "$R/loop.h5"
expect "-o a symbolic link loop" 2 "the output name is a dangling symbolic link (or a loop)" -- run -n 2 --days 5 -o "$R/loop.h5"
: >"$R/target.h5"
ln -s "$R/target.h5" "$R/link.h5"
expect "-o a symbolic link to a file, --force" 2 "the output name is a symbolic link" -- run -n 2 --days 5 --force -o "$R/link.h5"
[ ! -s "$R/target.h5" ] && ok "the link's target is untouched" || bad "the link's target is untouched"
rm -f "$R"/*

# SIGKILL: the partial file is a checkpoint; --resume loses at most the batch in flight and gives
# the uninterrupted campaign's bytes. The dead process's temporary file is named, with how to remove it.
export SOURCE_DATE_EPOCH=1700000000
"$BIN" run "$S/ok.yaml" -n 300 --days 300 -j 2 --quiet -o "$R/whole.h5"
"$BIN" run "$S/ok.yaml" -n 300 --days 300 -j 2 --quiet -o "$R/k.h5" &
pid=$!
wait_for "$R/k.h5.partial"
n=0
while [ "$(runs_done "$R/k.h5.partial")" = 0 ] && [ $n -lt 300 ]; do sleep 0.05; n=$((n + 1)); done
kill -KILL $pid
wait $pid
st=$?
saved=$(runs_done "$R/k.h5.partial")
[ $st -eq 137 ] && [ "${saved:-0}" -ge 128 ] && [ ! -e "$R/k.h5" ] \
    && ok "kill -9 after the first batch: $saved of 300 runs in the partial file" \
    || bad "kill -9 after the first batch (exit $st, ${saved:-no} runs saved)"
expect "--resume after kill -9: the dead process's temporary file named" 0 \
    "warning: $R/k.h5.tmp-$pid is the temporary file of an earlier campaign whose process ($pid) is gone" \
    "rm '$R/k.h5.tmp-$pid'" "$saved of the 300 runs came from $R/k.h5.partial" -- \
    "$BIN" run "$S/ok.yaml" -n 300 --days 300 -j 1 --resume "$R/k.h5"
cmp -s "$R/whole.h5" "$R/k.h5" && [ ! -e "$R/k.h5.partial" ] \
    && ok "kill -9, then --resume: byte for byte the uninterrupted file" || bad "kill -9, then --resume: byte for byte the uninterrupted file"
[ -e "$R/k.h5.tmp-$pid" ] && ok "the temporary file is named, not removed" || bad "the temporary file is named, not removed"
rm -f "$R"/*
# a partial file whose manifest says more than its data (edited with h5py, where there is one)
if /usr/bin/python3 -c 'import h5py' 2>/dev/null; then
    TOKENSIM_TEST_STOP_AFTER_RUNS=1 "$BIN" run "$S/ok.yaml" -n 400 --days 300 -j 2 --quiet -o "$R/t.h5" 2>/dev/null
    /usr/bin/python3 -c 'import sys, h5py; f = h5py.File(sys.argv[1], "r+"); f["manifest/done"][:] = 1; f.close()' "$R/t.h5.partial"
    sum=$(cksum <"$R/t.h5.partial")
    expect "--resume: /manifest/done[:] = 1 with 128 of 400 runs done" 2 \
        "$R/t.h5.partial: run 128 is marked done in /manifest/done, but its rows in /runs do not match its checksum" -- \
        "$BIN" run "$S/ok.yaml" -n 400 --days 300 -j 2 --quiet --resume "$R/t.h5"
    [ "$(cksum <"$R/t.h5.partial")" = "$sum" ] && [ ! -e "$R/t.h5" ] && ok "... the partial file is left as it was" \
        || bad "... the partial file is left as it was"
    rm -f "$R"/*
else
    echo "skip an edited manifest (no h5py)"
fi
expect "SOURCE_DATE_EPOCH=abc" 2 "SOURCE_DATE_EPOCH='abc' is not a whole number of seconds" -- \
    env SOURCE_DATE_EPOCH=abc "$BIN" run "$S/ok.yaml" -n 2 --days 5 -j 1 --quiet -o "$OUT/x.h5"
expect "SOURCE_DATE_EPOCH=1e9" 2 "SOURCE_DATE_EPOCH='1e9' is not a whole number of seconds" -- \
    env SOURCE_DATE_EPOCH=1e9 "$BIN" run "$S/ok.yaml" -n 2 --days 5 -j 1 --quiet -o "$OUT/x.h5"
expect "SOURCE_DATE_EPOCH past 9999-12-31 (compare)" 2 "SOURCE_DATE_EPOCH='253402300800'" -- \
    env SOURCE_DATE_EPOCH=253402300800 "$BIN" compare "$S/ok.yaml" "$S/ok.yaml" -n 2 --quiet -o "$OUT/x.h5"
unset SOURCE_DATE_EPOCH

# the printed resume command runs as printed: the binary as invoked, --force kept
: >"$R/f.h5"
TOKENSIM_TEST_STOP_AFTER_RUNS=1 "$BIN" run "$S/ok.yaml" -n 300 --days 300 -j 2 --quiet --force -o "$R/f.h5" 2>"$R/f.err"
cmd=$(sed -n '2s/^  //p' "$R/f.err")
case $cmd in "$BIN run "*--force*"--resume $R/f.h5") ok "the resume command: $BIN, --force kept" ;;
    *) bad "the resume command: $BIN, --force kept: '$cmd'" ;; esac
expect "the resume command of a --force run, run as printed" 0 -- sh -c "$cmd"
h5dump -a /runs "$R/f.h5" | grep -q '(0): 300' && ok "... gives the whole file" || bad "... gives the whole file"
rm -f "$R"/*

# the scenario's name as the default output: a plain name in the current directory
mkdir -p "$R/a/b"
printf 'name: ../../evil\ndays: 5\n' >"$S/evil.yaml"
printf 'name: ""\ndays: 5\n' >"$S/empty_name.yaml"
ABSBIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
(cd "$R/a/b" && "$ABSBIN" run "$S/evil.yaml" -n 2 -j 1 --quiet && "$ABSBIN" run "$S/ok.yaml" -n 2 --days 5 -j 1 \
    --quiet --set "name=$R/abs" && "$ABSBIN" run "$S/empty_name.yaml" -n 2 -j 1 --quiet)
abs=$(printf '%s' "$R/abs" | sed 's/[^A-Za-z0-9._-]\{1,\}/-/g; s/^[.-]*//').h5
[ "$(ls -A "$R/a/b" | sort | tr '\n' ' ')" = "$(printf '%s\n' "$abs" evil.h5 tokensim.h5 | sort | tr '\n' ' ')" ] \
    && [ -z "$(ls -A "$R/a" | grep -v '^b$')" ] && [ ! -e "$R/evil.h5" ] && [ ! -e "$R/abs.h5" ] \
    && ok "name: ../../evil, name=\$R/abs, name: \"\" write evil.h5, $abs, tokensim.h5 here" \
    || bad "default names: $(ls -A "$R/a/b" | tr '\n' ' ')"
rm -rf "$R"/*

# an output name as long as a name may be (NAME_MAX): written, interrupted, resumed
long=$(printf '%0*d' $(($(getconf NAME_MAX "$R") - 3)) 0 | tr 0 L).h5
expect "-o a name of NAME_MAX bytes" 0 -- run -n 4 --days 5 -o "$R/$long"
[ -e "$R/$long" ] && ok "... is written" || bad "... is written"
TOKENSIM_TEST_STOP_AFTER_RUNS=1 "$BIN" run "$S/ok.yaml" -n 300 --days 300 -j 2 --quiet --force -o "$R/$long" 2>/dev/null
expect "... interrupted, its partial file resumed" 0 -- "$BIN" run "$S/ok.yaml" -n 300 --days 300 -j 2 --quiet --force --resume "$R/$long"
[ "$(ls -A "$R")" = "$long" ] && ok "... nothing left beside it" || bad "... nothing left beside it: $(ls -A "$R")"
rm -rf "$R"

# ---- 8. a full disk ---------------------------------------------------------------------------
# ulimit -f makes writes past 32 KiB fail; with SIGXFSZ ignored they fail with
# EFBIG, as a full disk fails them with ENOSPC.
expect "full disk (ulimit -f, SIGXFSZ ignored)" 1 "File too large" -- \
    sh -c 'ulimit -f 64; trap "" XFSZ; exec "$1" run "$2" --quiet -j 1 -n 8 --days 365 -o "$3/full.h5"' \
    sh "$BIN" "$S/ok.yaml" "$OUT"
expect "file size limit (ulimit -f, SIGXFSZ default)" 1 "File too large" -- \
    sh -c 'ulimit -f 64; exec "$1" run "$2" --quiet -j 1 -n 8 --days 365 -o "$3/full.h5"' \
    sh "$BIN" "$S/ok.yaml" "$OUT"
expect "plot on a full disk (ulimit -f)" 1 "plot:" -- \
    sh -c 'ulimit -f 16; trap "" XFSZ; exec "$1" plot "$2" -o "$3/fig.png"' sh "$BIN" "$TMP/ok.h5" "$OUT"
if [ $root = 1 ] && mkdir -p "$TMP/small" && mount -t tmpfs -o size=64k tokensim-full "$TMP/small" 2>/dev/null; then
    MNT=$TMP/small
    expect "full disk (a 64 KiB tmpfs)" 1 "No space left on device" -- \
        "$BIN" run "$S/ok.yaml" --quiet -j 1 -n 8 --days 365 -o "$MNT/full.h5"
    [ -z "$(ls -A "$MNT")" ] || { bad "nothing left on the full disk"; rm -f "$MNT"/*; }
    expect "plot on a full disk (a 64 KiB tmpfs)" 1 "did not write the whole figure" -- \
        "$BIN" plot "$TMP/ok.h5" -o "$MNT/fig.png"
    [ -z "$(ls -A "$MNT")" ] && ok "plot leaves nothing on the full disk" || bad "plot leaves nothing on the full disk"
    umount "$MNT" && MNT=""
else
    echo "skip full disk on a small tmpfs (needs root and mount)"
fi

# ---- 9. result files that are not ------------------------------------------------------------
head -c 20000 "$TMP/ok.h5" >"$S/trunc.h5"
expect "summary of a truncated file" 1 "trunc.h5: cannot open the HDF5 file" -- "$BIN" summary "$S/trunc.h5"
expect "summary of a scenario file" 2 "not an HDF5 file" -- "$BIN" summary "$S/ok.yaml"
expect "plot of a truncated file" 1 "plot: $S/trunc.h5: cannot open the file" -- "$BIN" plot "$S/trunc.h5" -o "$OUT/x.png"
expect "plot of a scenario file" 2 "not an HDF5 file" -- "$BIN" plot "$S/ok.yaml" -o "$OUT/x.png"
expect "report of a truncated file" 1 "report: $S/trunc.h5: cannot open the HDF5 file" -- "$BIN" report "$S/trunc.h5" -o "$OUT/report"
expect "report of a scenario file" 2 "report: $S/ok.yaml: not an HDF5 file" -- "$BIN" report "$S/ok.yaml" -o "$OUT/report"
if command -v h5mkgrp >/dev/null 2>&1 && h5mkgrp "$S/foreign.h5" /g; then
    expect "report of an HDF5 file that is not a result" 2 "report: $S/foreign.h5: not a tokensim result file" -- \
        "$BIN" report "$S/foreign.h5" -o "$OUT/report"
else
    echo "skip report of an HDF5 file that is not a result (no h5mkgrp: Debian's hdf5-tools)"
fi
expect "report on a full disk (ulimit -f): its directory removed" 1 "plot:" -- \
    sh -c 'ulimit -f 16; trap "" XFSZ; exec "$1" report "$2" -o "$3/report"' sh "$BIN" "$TMP/ok.h5" "$OUT"

# ---- 10. plot ------------------------------------------------------------------------------------
expect "plot of an unknown metric" 2 "no metric 'supply_totl' (did you mean 'supply_total'?)" -- \
    "$BIN" plot "$TMP/ok.h5" --metric supply_totl -o "$OUT/x.png"
expect "plot of a metric nothing like any" 2 "no metric 'zzz'; this file has a100_capacity" -- \
    "$BIN" plot "$TMP/ok.h5" --metric zzz -o "$OUT/x.png"
expect "plot of a path as metric" 2 "no metric '../time'" -- "$BIN" plot "$TMP/ok.h5" --metric ../time -o "$OUT/x.png"
expect "plot of a dimension scale as metric" 2 "no metric 'time'" -- "$BIN" plot "$TMP/ok.h5" --metric time -o "$OUT/x.png"
expect "plot into a missing directory" 1 "cannot write the figure: its directory does not exist" -- \
    "$BIN" plot "$TMP/ok.h5" -o "$OUT/no/dir/x.png"
expect "plot under a regular file" 1 "is not a directory" -- "$BIN" plot "$TMP/ok.h5" -o "$S/ok.yaml/x.png"

echo "$pass passed, $fail failed, $xfail known failures"
[ $fail -eq 0 ]
